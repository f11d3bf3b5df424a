/**
 * V8's flags of the figure renderer, whether it starts from its script or from its startup
 * snapshot (lib/snapshots.ts makes the snapshot with them: Node 20 and 22 refuse one made with
 * other flags).
 *
 * No TurboFan: a renderer draws a few dozen charts at most, and V8's optimizing compiler spent more
 * CPU compiling vega's code on its worker threads than the optimized code saved. The lab's eight
 * student figures and overlays, drawn after a first chart, took 380 to 436 ms of CPU without it against
 * 476 to 545 ms with it (252 to 279 ms of wall time against 294 to 331), and five rounds of them as
 * long or less; Maglev and Sparkplug still compile the hot code.
 *
 * `gc` exposed: a renderer that has drawn many figures collects its garbage, caches included, once
 * it has nothing to do (draw.ts serve). A batch's renderer otherwise grew by 20 to 50 MB for every
 * two dozen figures, to 350 MB and more; two of them took about 600 MB of a class's peak.
 */
export const RENDERER_V8_FLAGS: readonly string[] = ['--no-turbofan', '--expose-gc'];
