/**
 * Measurements taken inside a console window, passed to Playwright's page.evaluate: they run in the page, so their
 * times are the page's own (performance.now), free of the round trips between the benchmark and the browser.
 * Each function is sent as source text: it may use only its argument and the page's globals, described here
 * (the benchmarks are compiled without the DOM library).
 */

interface PageElement {
  textContent: string | null;
}

export interface DeployTiming {
  /** The Enter key's own time stamp: when the browser took the key press, before the page's main thread saw it. */
  pressedAt: number;
  /** When the page's first listener ran (capture phase on window). */
  handledAt: number;
  /** When the announcement region said the unit was deployed (the DOM change). */
  shownAt: number;
  /** When the next frame began: the change is on screen once that frame is painted. */
  frameAt: number;
}

interface PageGlobals {
  performance: { now(): number };
  requestAnimationFrame(callback: (time: number) => void): number;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(handle: number): void;
  addEventListener(type: 'keydown', listener: (event: { key: string; timeStamp: number }) => void, capture: boolean): void;
  removeEventListener(type: 'keydown', listener: (event: { key: string; timeStamp: number }) => void, capture: boolean): void;
  document: {
    querySelector(selector: string): PageElement | null;
    createElement(tag: 'canvas'): { getContext(kind: 'webgl2' | 'webgl'): WebGlContext | null };
  };
  MutationObserver: new (callback: () => void) => { observe(target: PageElement, options: { childList: boolean; subtree: boolean; characterData: boolean }): void; disconnect(): void };
  PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => { observe(options: { type: string }): void; disconnect(): void };
  cordonBenchDeploy?: Promise<DeployTiming>;
}

interface WebGlContext {
  getExtension(name: 'WEBGL_debug_renderer_info'): { UNMASKED_RENDERER_WEBGL: number } | null;
  getParameter(name: number): unknown;
  RENDERER: number;
}

export interface FrameRecord {
  /** Milliseconds between successive requestAnimationFrame callbacks (their frame time stamps). */
  intervals: number[];
  /** Tasks of 50 ms or more on the page's main thread while recording (the Long Tasks API). */
  longTasks: { count: number; totalMs: number };
}

/** Records every frame the page starts for `durationMs`. */
export function recordFrames(durationMs: number): Promise<FrameRecord> {
  const page = globalThis as unknown as PageGlobals;
  return new Promise((resolve) => {
    const intervals: number[] = [];
    const longTasks = { count: 0, totalMs: 0 };
    const observer = new page.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        longTasks.count += 1;
        longTasks.totalMs += entry.duration;
      }
    });
    observer.observe({ type: 'longtask' });
    let last: number | null = null;
    let started: number | null = null;
    const step = (time: number) => {
      if (last !== null) intervals.push(time - last);
      last = time;
      started ??= time;
      if (time - started < durationMs) page.requestAnimationFrame(step);
      else {
        observer.disconnect();
        resolve({ intervals, longTasks });
      }
    };
    page.requestAnimationFrame(step);
  });
}

/**
 * Arms the deploy probe: the next Enter pressed is timed until the announcement region contains `expected`
 * ("deployed to REF"). Collect the timing with `deployTiming`.
 */
export function armDeployProbe(expected: string): void {
  const page = globalThis as unknown as PageGlobals;
  page.cordonBenchDeploy = new Promise<DeployTiming>((resolve, reject) => {
    const region = page.document.querySelector('[role="status"][aria-label="Announcements"]');
    if (!region) throw new Error('no Announcements region in the page');
    let pressed: { pressedAt: number; handledAt: number } | null = null;
    const onKey = (event: { key: string; timeStamp: number }) => {
      if (event.key === 'Enter' && !pressed) pressed = { pressedAt: event.timeStamp, handledAt: page.performance.now() };
    };
    const observer = new page.MutationObserver(() => {
      if (!pressed || !(region.textContent ?? '').includes(expected)) return;
      const shownAt = page.performance.now();
      const { pressedAt, handledAt } = pressed;
      finish();
      page.requestAnimationFrame(() => resolve({ pressedAt, handledAt, shownAt, frameAt: page.performance.now() }));
    });
    const timer = page.setTimeout(() => {
      finish();
      reject(new Error(`the announcement did not say "${expected}" within 15 s; it says "${region.textContent ?? ''}"`));
    }, 15_000);
    const finish = () => {
      observer.disconnect();
      page.removeEventListener('keydown', onKey, true);
      page.clearTimeout(timer);
    };
    // Capture phase on window: before React's own listener, so the time is the key's, not the handler's.
    page.addEventListener('keydown', onKey, true);
    observer.observe(region, { childList: true, subtree: true, characterData: true });
  });
}

export function deployTiming(): Promise<DeployTiming> {
  const page = globalThis as unknown as PageGlobals;
  if (!page.cordonBenchDeploy) throw new Error('the deploy probe is not armed');
  return page.cordonBenchDeploy;
}

/** What WebGL in this page runs on ("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device …))"), as the map sees it. */
export function webGlRenderer(): string {
  const page = globalThis as unknown as PageGlobals;
  const gl = page.document.createElement('canvas').getContext('webgl2') ?? page.document.createElement('canvas').getContext('webgl');
  if (!gl) return 'no WebGL';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}
