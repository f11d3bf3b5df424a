/**
 * Drives `npm run dev` as a student runs it: a process of its own, its page over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { ROOT } from './fixtures';

/** A running `npm run dev`. */
export interface DevProcess {
  /** The child. */
  child: ChildProcess;
  /** The page's address, as it printed it. */
  url: string;
  /** Its port. */
  port: number;
  /** Everything it printed so far. */
  output: () => string;
  /** Resolves with its exit code (or signal) when it ends. */
  exited: Promise<number | string>;
}

/** Starts `node grader/bin/dev.js …` in `cwd` (the kit's, or a release's) with TMPDIR set (see processesUnder) and waits for its address. */
export function startDev(args: string[], tmpRoot: string, cwd: string = ROOT): Promise<DevProcess> {
  const child = spawn(process.execPath, [path.join('grader', 'bin', 'dev.js'), ...args], {
    cwd, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmpRoot }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | string>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run dev printed no address in 120 s:\n${out}`)), 120_000);
    const look = (): void => {
      const m = /(http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolve({ child, url: m[1], port: Number(m[2]), output: () => out, exited });
    };
    child.stdout!.on('data', look);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`npm run dev ended (${code}) before printing its address:\n${out}`)); });
  });
}

/** The answer to one request. */
export interface Answer {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: http.IncomingHttpHeaders;
  /** The body as text. */
  body: string;
}

/** A request to 127.0.0.1:port with any Host, method and headers. */
export function request(port: number, pathname: string, options: { host?: string; method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: pathname, method: options.method ?? 'GET',
      headers: { Host: options.host ?? `127.0.0.1:${port}`, ...options.headers }, setHost: false, agent: false,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A knob request as the live page sends it (with its X-Live-Page header). */
export async function knobs<T>(port: number, query: string): Promise<T> {
  const answer = await request(port, `/figures${query ? `?${query}` : ''}`, { headers: { 'X-Live-Page': '1' } });
  if (answer.status !== 200) throw new Error(`/figures answered ${answer.status}: ${answer.body}`);
  return JSON.parse(answer.body) as T;
}

/** Polls /view.json until the grade on it is at least `version`, complete (its warnings in); returns that view. */
export async function viewAtLeast<T extends { version: number; complete: boolean }>(port: number, version: number, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await request(port, '/view.json');
    const view = JSON.parse(answer.body) as T | null;
    if (view && view.version >= version && view.complete) return view;
    if (Date.now() > until) throw new Error(`no grade ${version} on the page in ${timeoutMs} ms (last: ${view?.version ?? 'none'})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
