/**
 * The renderer's housekeeping (render/draw.ts): when it collects its garbage. The drawing itself
 * is tested through the renderer process (figures.test.ts): vega is ESM-only and jest's module
 * registry cannot load it.
 */
import { idleCollector } from '../../grader/render/draw';

describe('a renderer collects its garbage', () => {
  const g = globalThis as { gc?: unknown };
  const original = g.gc;
  let gc: jest.Mock;
  beforeEach(() => {
    jest.useFakeTimers();
    gc = jest.fn();
    g.gc = gc;
  });
  afterEach(() => {
    jest.useRealTimers();
    g.gc = original;
  });

  const draw = (c: ReturnType<typeof idleCollector>, n: number): void => {
    for (let i = 0; i < n; i++) c.drew();
  };

  test('once it has drawn many figures and had nothing to do for a moment, caches included', () => {
    const c = idleCollector();
    draw(c, 16);
    c.idle();
    jest.advanceTimersByTime(199);
    expect(gc).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(gc).toHaveBeenCalledTimes(1);
    expect(gc).toHaveBeenCalledWith({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    // Counted again from nothing.
    draw(c, 15);
    c.idle();
    jest.advanceTimersByTime(1000);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  test('not after a grade\'s eight figures, and not when work comes back before the moment is over', () => {
    const c = idleCollector();
    draw(c, 8);
    c.idle();
    jest.advanceTimersByTime(1000);
    expect(gc).not.toHaveBeenCalled();
    draw(c, 8);
    c.idle();
    jest.advanceTimersByTime(100);
    c.busy();
    jest.advanceTimersByTime(1000);
    expect(gc).not.toHaveBeenCalled();
    c.idle();
    jest.advanceTimersByTime(200);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  test('nothing where gc is not exposed', () => {
    g.gc = undefined;
    const c = idleCollector();
    draw(c, 100);
    expect(() => { c.idle(); jest.advanceTimersByTime(1000); }).not.toThrow();
  });
});
