import { MercatorCoordinate, type CustomLayerInterface, type CustomRenderMethodInput, type Map as MapLibreMap } from 'maplibre-gl';
import type { GeoPoint } from '../../../shared/domain/location';
import { rgb, sizeAt, translated } from './dot-geometry';
import { inDrawingOrder } from './dot-order';

/** A unit's colour on the map by its status (the same in both themes, strong on either ground). */
export const STATUS_COLOURS: Record<string, string> = {
  available: '#1fa64a',
  assigned: '#f0b400',
  en_route: '#f08a00',
  at_scene: '#d02060',
  committed: '#8a2be2',
};
export const OTHER_STATUS_COLOUR = '#7a7a7a';

export interface UnitDot {
  id: string;
  point: GeoPoint;
  status: string;
}

const VERTEX_SHADER = `#version 300 es
precision highp float;
uniform mat4 u_matrix;
uniform float u_size;
in vec2 a_pos;
in vec3 a_colour;
out vec3 v_colour;
void main() {
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
  gl_PointSize = u_size;
  v_colour = a_colour;
}`;

// A filled circle with a halo ring, edges smoothed over a pixel; premultiplied alpha.
const FRAGMENT_SHADER = `#version 300 es
precision highp float;
uniform float u_size;
uniform float u_radius;
uniform vec3 u_halo;
in vec3 v_colour;
out vec4 colour;
void main() {
  float d = length(gl_PointCoord - 0.5) * u_size;
  float edge = clamp(u_size * 0.5 - d, 0.0, 1.0);
  float fill = clamp(u_radius - d + 0.5, 0.0, 1.0);
  colour = vec4(mix(u_halo, v_colour, fill) * edge, edge);
}`;

/**
 * The units' dots, drawn by the map's own WebGL context from one buffer of positions. A vehicle's report changes that
 * buffer and asks for one draw; as a GeoJSON layer, each report re-cut the layer's tiles in a worker and the map drew
 * two or three times as they came back. With 2,000 units reporting every second, that was most of the window's
 * drawing. Positions are kept relative to a point in the area, so single-precision floats place them to millimetres.
 */
export class UnitDotsLayer implements CustomLayerInterface {
  readonly id: string;
  readonly type = 'custom' as const;
  readonly renderingMode = '2d' as const;

  private map: MapLibreMap | null = null;
  private program: WebGLProgram | null = null;
  private buffer: WebGLBuffer | null = null;
  private vertexArray: WebGLVertexArrayObject | null = null;
  private uniforms: Record<'matrix' | 'size' | 'radius' | 'halo', WebGLUniformLocation | null> | null = null;

  private dots: UnitDot[] = [];
  private indexOf = new Map<string, number>();
  /** Per dot: x, y (Mercator, relative to the origin), r, g, b. */
  private data = new Float32Array(0);
  private uploaded = false;
  private origin: MercatorCoordinate | null = null;

  constructor(
    id: string,
    private halo: [number, number, number],
  ) {
    this.id = id;
  }

  onAdd(map: MapLibreMap, gl: WebGL2RenderingContext): void {
    this.map = map;
    this.program = linkProgram(gl, VERTEX_SHADER, FRAGMENT_SHADER);
    this.uniforms = {
      matrix: gl.getUniformLocation(this.program, 'u_matrix'),
      size: gl.getUniformLocation(this.program, 'u_size'),
      radius: gl.getUniformLocation(this.program, 'u_radius'),
      halo: gl.getUniformLocation(this.program, 'u_halo'),
    };
    this.buffer = gl.createBuffer();
    this.vertexArray = gl.createVertexArray();
    gl.bindVertexArray(this.vertexArray);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer);
    const position = gl.getAttribLocation(this.program, 'a_pos');
    const colour = gl.getAttribLocation(this.program, 'a_colour');
    gl.enableVertexAttribArray(position);
    gl.vertexAttribPointer(position, 2, gl.FLOAT, false, 20, 0);
    gl.enableVertexAttribArray(colour);
    gl.vertexAttribPointer(colour, 3, gl.FLOAT, false, 20, 8);
    gl.bindVertexArray(null);
    this.uploaded = false;
  }

  onRemove(_map: MapLibreMap, gl: WebGL2RenderingContext): void {
    gl.deleteBuffer(this.buffer);
    gl.deleteVertexArray(this.vertexArray);
    gl.deleteProgram(this.program);
    this.map = null;
    this.program = this.buffer = this.vertexArray = null;
    this.uniforms = null;
  }

  /** All the units, as they are now. */
  show(dots: readonly UnitDot[]): void {
    this.dots = inDrawingOrder(dots);
    this.indexOf = new Map(this.dots.map((dot, i) => [dot.id, i]));
    this.origin ??= this.dots[0] ? MercatorCoordinate.fromLngLat([this.dots[0].point.lon, this.dots[0].point.lat]) : null;
    this.data = new Float32Array(this.dots.length * 5);
    this.dots.forEach((dot, i) => this.write(i, dot));
    this.changed();
  }

  /** New positions of some units; the rest untouched. */
  move(moves: Iterable<[string, GeoPoint]>): void {
    let any = false;
    for (const [id, point] of moves) {
      const i = this.indexOf.get(id);
      if (i === undefined) continue;
      this.dots[i] = { ...this.dots[i]!, point };
      this.write(i, this.dots[i]);
      any = true;
    }
    if (any) this.changed();
  }

  /** The ground the dots stand out from, when the style (day or night) changes. */
  setHalo(halo: [number, number, number]): void {
    this.halo = halo;
    this.map?.triggerRepaint();
  }

  render(gl: WebGL2RenderingContext, options: CustomRenderMethodInput): void {
    if (!this.program || !this.uniforms || !this.origin || this.dots.length === 0 || !this.map) return;
    if (!this.uploaded) {
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer);
      gl.bufferData(gl.ARRAY_BUFFER, this.data, gl.DYNAMIC_DRAW);
      this.uploaded = true;
    }
    const ratio = this.map.getPixelRatio();
    const { radius, stroke } = sizeAt(this.map.getZoom());
    gl.useProgram(this.program);
    gl.uniformMatrix4fv(this.uniforms.matrix, false, translated(options.defaultProjectionData.mainMatrix, this.origin.x, this.origin.y));
    gl.uniform1f(this.uniforms.size, 2 * (radius + stroke) * ratio);
    gl.uniform1f(this.uniforms.radius, radius * ratio);
    gl.uniform3f(this.uniforms.halo, ...this.halo);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.disable(gl.DEPTH_TEST);
    gl.bindVertexArray(this.vertexArray);
    gl.drawArrays(gl.POINTS, 0, this.dots.length);
    gl.bindVertexArray(null);
  }

  private write(i: number, dot: UnitDot): void {
    const at = MercatorCoordinate.fromLngLat([dot.point.lon, dot.point.lat]);
    const [r, g, b] = rgb(STATUS_COLOURS[dot.status] ?? OTHER_STATUS_COLOUR);
    this.data.set([at.x - this.origin!.x, at.y - this.origin!.y, r, g, b], i * 5);
  }

  private changed(): void {
    this.uploaded = false;
    this.map?.triggerRepaint();
  }
}

function linkProgram(gl: WebGL2RenderingContext, vertexSource: string, fragmentSource: string): WebGLProgram {
  const program = gl.createProgram();
  for (const [kind, source] of [
    [gl.VERTEX_SHADER, vertexSource],
    [gl.FRAGMENT_SHADER, fragmentSource],
  ] as const) {
    const shader = gl.createShader(kind)!;
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`unit dots shader: ${gl.getShaderInfoLog(shader) ?? 'did not compile'}`);
    gl.attachShader(program, shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`unit dots program: ${gl.getProgramInfoLog(program) ?? 'did not link'}`);
  return program;
}
