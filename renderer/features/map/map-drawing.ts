/**
 * How the map draws: `full` on a graphics card; `light` where WebGL is drawn by the processor (SwiftShader,
 * llvmpipe), which shares its cores with the console and the operator's keys: the units' moves less often and held
 * while keys are pressed (below), call signs from a neighbourhood's view in, one pixel per CSS pixel, no glides.
 */
export type MapDrawing = 'full' | 'light';

/** Renderers that draw on the processor: the map must draw less there, or it takes the keyboard's time. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software rasteri[sz]er|basic render driver|mesa offscreen|apple software renderer|lavapipe/i;

/** Whether a renderer's name (WebGL's UNMASKED_RENDERER, or RENDERER) is one that draws on the processor. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERERS.test(renderer);
}

/**
 * Vehicles report about once a second, in batches spread over that second. The map draws their moves together at
 * most this often: each draw re-tiles the unit layer and places its labels, and a draw per batch (ten a second for a
 * big fleet) kept the window busy drawing. A move is on the map within this time of its report, the first at once.
 * Drawn by the processor, less often: a vehicle at 30 mph moves 35 m in 2.5 s, a few pixels at street level.
 */
export const UNIT_MOVES_DRAWN_EVERY_MS: Record<MapDrawing, number> = { full: 1000, light: 2500 };

/**
 * In light drawing, moves wait while keys are being pressed, until this long after the last one: an operator typing
 * or deploying gets the processor first. Never longer than MAX_HOLD_MS past when the moves were due, so the map
 * cannot freeze under a fast typist.
 */
export const KEYS_FIRST_MS = 400;
export const MAX_HOLD_MS = 2000;

/** Milliseconds until moves reported now may be drawn, given when moves were last drawn (performance.now() times). */
export function movesDueIn(drawing: MapDrawing, now: number, lastDrawnAt: number): number {
  return Math.max(0, lastDrawnAt + UNIT_MOVES_DRAWN_EVERY_MS[drawing] - now);
}

/**
 * When moves that were due at `dueAt` come up to be drawn: how much longer to hold them for the keyboard (0: draw
 * now). Only light drawing holds; `keyPressedAt` is when a key was last pressed in the window.
 */
export function holdForKeys(drawing: MapDrawing, now: number, dueAt: number, keyPressedAt: number): number {
  if (drawing !== 'light' || now - dueAt >= MAX_HOLD_MS) return 0;
  return Math.max(0, Math.min(keyPressedAt + KEYS_FIRST_MS - now, dueAt + MAX_HOLD_MS - now));
}
