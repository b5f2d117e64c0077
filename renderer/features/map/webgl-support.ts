import { isSoftwareRenderer } from './map-drawing';

/**
 * What this window's browser can draw the map with: WebGL 2 on a graphics card; WebGL 2 drawn by the processor
 * (SwiftShader, llvmpipe and the like: a thin client, a virtual desktop, a GPU blocked by its driver); or none at
 * all (graphics switched off, a driver fault). MapLibre needs WebGL 2, and without it throws as the map is made.
 */
export type WebGLSupport = { kind: 'hardware'; renderer: string } | { kind: 'software'; renderer: string } | { kind: 'none'; problem: string };

let probed: WebGLSupport | null = null;

/**
 * Asks once per window: a WebGL 2 context on a canvas of its own, its renderer's name (through
 * WEBGL_debug_renderer_info where the browser has it), and the context let go at once. `again` asks afresh (a
 * driver that failed may have recovered).
 */
export function webGLSupport(again = false): WebGLSupport {
  if (probed && !again) return probed;
  probed = probe();
  return probed;
}

function probe(): WebGLSupport {
  let gl: WebGL2RenderingContext | null;
  try {
    gl = document.createElement('canvas').getContext('webgl2');
  } catch (error) {
    return { kind: 'none', problem: `WebGL could not start (${(error as Error).message})` };
  }
  if (!gl) return { kind: 'none', problem: 'WebGL is not available in this browser (graphics acceleration is switched off, or the graphics driver failed)' };
  try {
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String((info && gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) ?? gl.getParameter(gl.RENDERER) ?? 'unknown');
    return { kind: isSoftwareRenderer(renderer) ? 'software' : 'hardware', renderer };
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
