/**
 * The live page's HTTP server: 127.0.0.1 only, a fixed list of routes (nothing is read from disk by
 * a path a request names), and requests refused unless their Host is this machine's own name for
 * the server: a web page elsewhere cannot point a name of its own at 127.0.0.1 and read the
 * student's results (DNS rebinding), nor embed the page (frame-ancestors), nor make the server run
 * the student's code from another origin (knob requests must come from the page itself).
 *
 * Routes:
 *   GET /             the live page (grader/dev/page.ts)
 *   GET /live.js      its script
 *   GET /view.json    the last grade (LiveView)
 *   GET /events       server-sent events: `view` with each new grade's LiveView
 *   GET /figures?…    the figures for the knobs in the query (KnobAnswer); the page's X-Live-Page header required
 *   GET /vendor/…     vega, vega-lite and vega-embed, from node_modules (no network)
 *   GET /favicon.ico  nothing (204), so that browsers stop asking
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { KIT_ROOT } from '../lib/paths';
import { knobNames, type RawKnobs } from '../lab-code';
import { currentLabCode } from '../lib/paths';
import type { KnobAnswer, LiveView } from './session';
import { livePage } from './page';

/** What the server asks of the session. */
export interface LiveSource {
  /** The last grade, if any. */
  view: LiveView | undefined;
  /** The figures for typed knobs. */
  figuresFor(raw: RawKnobs): Promise<KnobAnswer>;
}

/** The browser libraries the page loads, by route. */
const VENDOR: Record<string, string> = {
  '/vendor/vega.min.js': path.join('node_modules', 'vega', 'build', 'vega.min.js'),
  '/vendor/vega-lite.min.js': path.join('node_modules', 'vega-lite', 'build', 'vega-lite.min.js'),
  '/vendor/vega-embed.min.js': path.join('node_modules', 'vega-embed', 'build', 'vega-embed.min.js'),
};

/** The page's script, beside this module's source. */
const LIVE_SCRIPT = path.join(KIT_ROOT, 'grader', 'dev', 'assets', 'live.js');

/**
 * What the page may do: its own scripts only (vega-embed is told to interpret expressions, not
 * eval them, so no 'unsafe-eval'), inline styles (vega-embed's tooltips), images from data: URIs
 * (vega's own), requests to this server only, and no framing by anyone.
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A running live server. */
export interface LiveServer {
  /** The page's address, `http://127.0.0.1:PORT/`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Sends a new grade to every open page. */
  publish(view: LiveView): void;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

/** The port tried first. */
export const DEFAULT_PORT = 5178;

/** A port the server cannot listen on (asked for explicitly, and taken). */
export class PortTaken extends Error {}

/**
 * Starts the server on 127.0.0.1:`port`; without an explicit port, on the default one, or a free
 * one if that is taken.
 */
export async function startServer(source: LiveSource, port: number | undefined): Promise<LiveServer> {
  const streams = new Set<http.ServerResponse>();
  let bound = 0;
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // A fault of the kit: say so, once, without the stack (it names the kit's paths).
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `npm run dev: ${err instanceof Error ? err.message : String(err)}\n`);
      else res.end();
    });
  });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    // 1. Only this machine's own names for the server: anything else may be DNS rebinding.
    const host = (req.headers.host ?? '').toLowerCase();
    if (![`127.0.0.1:${bound}`, `localhost:${bound}`].includes(host)) {
      send(res, 403, 'text/plain; charset=utf-8', 'This server answers requests for 127.0.0.1 and localhost only.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'Only GET and HEAD.\n');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    switch (url.pathname) {
      case '/':
        send(res, 200, 'text/html; charset=utf-8', livePage(), { 'Content-Security-Policy': CSP });
        return;
      case '/favicon.ico':
        res.writeHead(204, COMMON_HEADERS).end();
        return;
      case '/live.js':
        send(res, 200, 'text/javascript; charset=utf-8', fs.readFileSync(LIVE_SCRIPT));
        return;
      case '/view.json':
        send(res, 200, 'application/json; charset=utf-8', JSON.stringify(source.view ?? null));
        return;
      case '/events':
        res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
        // Comments keep proxies and idle timers from closing the stream; `retry` is how soon the
        // page reconnects after a restart of the server.
        res.write('retry: 500\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      case '/figures': {
        // Runs the student's code: only for the page itself, never for another site's request.
        // The page sends a header of its own, which a page elsewhere cannot send without a CORS
        // preflight this server never allows (browsers without Sec-Fetch-Site included).
        const site = req.headers['sec-fetch-site'];
        if ((site !== undefined && site !== 'same-origin' && site !== 'none') || req.headers['x-live-page'] !== '1') {
          send(res, 403, 'text/plain; charset=utf-8', 'Knob requests come from the live page only.\n');
          return;
        }
        const raw: RawKnobs = {};
        for (const name of knobNames(currentLabCode())) {
          const value = url.searchParams.get(name);
          if (value !== null) raw[name] = value.slice(0, 100);
        }
        send(res, 200, 'application/json; charset=utf-8', JSON.stringify(await source.figuresFor(raw)));
        return;
      }
      default: {
        const vendor = VENDOR[url.pathname];
        if (vendor) {
          send(res, 200, 'text/javascript; charset=utf-8', fs.readFileSync(path.join(KIT_ROOT, vendor)), { 'Cache-Control': 'max-age=3600' });
          return;
        }
        send(res, 404, 'text/plain; charset=utf-8', 'Not found: this server serves the live report only.\n');
      }
    }
  };

  bound = await listen(server, port ?? DEFAULT_PORT).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    if (port !== undefined) throw new PortTaken(`port ${port} is taken on 127.0.0.1: choose another with --port, or leave --port out for a free one`);
    return listen(server, 0);
  });
  // Idle keep-alive connections must not hold the process open at the end.
  server.keepAliveTimeout = 1000;
  return {
    url: `http://127.0.0.1:${bound}/`,
    port: bound,
    publish(view: LiveView): void {
      const data = `event: view\ndata: ${JSON.stringify(view)}\n\n`;
      for (const res of streams) res.write(data);
    },
    close(): Promise<void> {
      for (const res of streams) res.end();
      streams.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => { server.off('listening', onListening); reject(err); };
    const onListening = (): void => { server.off('error', onError); resolve((server.address() as AddressInfo).port); };
    server.once('error', onError);
    server.once('listening', onListening);
    // 127.0.0.1, not localhost (which may be ::1 only) nor every interface: a class's network
    // must not reach a student's code runner.
    server.listen(port, '127.0.0.1');
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
