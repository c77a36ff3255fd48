/**
 * The digital mask's faces drawn with WebGL2 on an OffscreenCanvas: the same skin colour and
 * lighting as ShadedMeshPainter (flat Lambert per triangle, abs(normal·light), shaded-mesh.ts), but
 * depth-tested instead of painter-sorted. Draws from mesh vertices alone; no camera pixel is ever
 * uploaded.
 */
import { AMBIENT, LIGHT, SKIN } from './shaded-mesh';

const VERTEX_SHADER = `#version 300 es
layout(location = 0) in vec3 position; // normalized image coordinates, z like MediaPipe's (away from the camera)
uniform vec2 size;                       // frame size in pixels
uniform vec4 box;                        // the drawn region of the frame: x, y, width, height in pixels
out highp vec3 pixel;
void main() {
  // Pixel space as the CPU painter uses it (z scaled like x) for the normal.
  pixel = vec3(position.x * size.x, position.y * size.y, position.z * size.x);
  // Clip space over the region only (y up); the viewport puts it at the canvas's top left.
  vec2 p = (pixel.xy - box.xy) / box.zw;
  // Depth: MediaPipe's z grows away from the camera like GL's; a quarter keeps any face in [-1, 1].
  gl_Position = vec4(p.x * 2.0 - 1.0, 1.0 - p.y * 2.0, position.z * 0.25, 1.0);
}`;

const FRAGMENT_SHADER = `#version 300 es
precision highp float;
in highp vec3 pixel;
uniform vec3 skin;
uniform vec3 light;
uniform float ambient;
out vec4 colour;
void main() {
  // The triangle's own plane (flat shading, like the CPU painter); abs(): winding does not matter.
  vec3 n = normalize(cross(dFdx(pixel), dFdy(pixel)));
  float shade = ambient + (1.0 - ambient) * abs(dot(n, light));
  colour = vec4(skin * shade, 1.0);
}`;

/** What the GL driver is, from WEBGL_debug_renderer_info: software rasterisers share the CPU. */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error('WebGL: cannot create a shader');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS) && !gl.isContextLost()) {
    throw new Error(`WebGL shader: ${gl.getShaderInfoLog(shader)}`);
  }
  return shader;
}

/** A rectangle of the frame in whole pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The pixels the meshes cover (with a margin of `pad` pixels), clipped to the frame; null if none. */
export function meshRegion(meshes: readonly Float32Array[], width: number, height: number, pad = 2): Region | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const m of meshes) {
    for (let i = 0; i < m.length; i += 3) {
      const x = m[i]! * width, y = m[i + 1]! * height;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  const left = Math.max(0, Math.floor(x0 - pad)), top = Math.max(0, Math.floor(y0 - pad));
  const right = Math.min(width, Math.ceil(x1 + pad)), bottom = Math.min(height, Math.ceil(y1 + pad));
  return right > left && bottom > top ? { x: left, y: top, width: right - left, height: bottom - top } : null;
}

export class WebGLMeshPainter {
  readonly canvas: OffscreenCanvas;
  /** UNMASKED_RENDERER_WEBGL (or RENDERER when the extension is missing). */
  readonly renderer: string;
  private lostFlag = false;
  private readonly sizeLoc: WebGLUniformLocation | null;
  private readonly boxLoc: WebGLUniformLocation | null;
  private readonly positions: WebGLBuffer;
  private readonly indexCount: number;

  /** A painter, or null where WebGL2 is unavailable (then the caller uses the CPU painter). */
  static create(triangles: Uint32Array): WebGLMeshPainter | null {
    if (typeof OffscreenCanvas === 'undefined') return null;
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2', {
      alpha: false,
      depth: true,
      stencil: false,
      antialias: false,
      premultipliedAlpha: false,
      // drawImage() of this canvas into the 2D canvas happens after the draw, in the same task.
      preserveDrawingBuffer: false,
      powerPreference: 'low-power',
    });
    if (!gl) return null;
    try {
      return new WebGLMeshPainter(canvas, gl, triangles);
    } catch {
      return null;
    }
  }

  private constructor(canvas: OffscreenCanvas, private readonly gl: WebGL2RenderingContext, triangles: Uint32Array) {
    this.canvas = canvas;
    canvas.addEventListener('webglcontextlost', (e) => {
      e.preventDefault();
      this.lostFlag = true;
    });
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    this.renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');

    const program = gl.createProgram();
    if (!program) throw new Error('WebGL: cannot create a program');
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX_SHADER));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT_SHADER));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`WebGL program: ${gl.getProgramInfoLog(program)}`);
    gl.useProgram(program);
    this.sizeLoc = gl.getUniformLocation(program, 'size');
    this.boxLoc = gl.getUniformLocation(program, 'box');
    gl.uniform3f(gl.getUniformLocation(program, 'skin'), SKIN[0] / 255, SKIN[1] / 255, SKIN[2] / 255);
    gl.uniform3f(gl.getUniformLocation(program, 'light'), LIGHT[0], LIGHT[1], LIGHT[2]);
    gl.uniform1f(gl.getUniformLocation(program, 'ambient'), AMBIENT);

    const vao = gl.createVertexArray();
    gl.bindVertexArray(vao);
    const positions = gl.createBuffer();
    const indices = gl.createBuffer();
    if (!positions || !indices) throw new Error('WebGL: cannot create buffers');
    this.positions = positions;
    gl.bindBuffer(gl.ARRAY_BUFFER, positions);
    gl.enableVertexAttribArray(0);
    gl.vertexAttribPointer(0, 3, gl.FLOAT, false, 0, 0);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, indices);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, Uint16Array.from(triangles), gl.STATIC_DRAW);
    this.indexCount = triangles.length;

    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LESS);
    // 888 of 898 canonical triangles wind one way, not all (notes/mask-render.md): draw both sides.
    gl.disable(gl.CULL_FACE);
  }

  /** True once the context is lost (driver reset, too many contexts): the caller falls back. */
  get lost(): boolean {
    return this.lostFlag || this.gl.isContextLost();
  }

  /**
   * Draws the faces (each 468 × xyz in normalized image coordinates, z away from the camera) over
   * `background` (r, g, b 0..255), only inside `region` (pixels, integers, within the frame): the
   * result is the canvas's top-left region.width × region.height pixels. Drawing (and later
   * reading back) only the faces' box instead of the whole frame is what software GL pays for.
   * Depth is cleared per face, so a later face covers an earlier one as with the CPU painter (each
   * face's z is relative to its own head, not comparable across faces).
   */
  draw(meshes: readonly Float32Array[], width: number, height: number, region: Region, background: readonly [number, number, number]): void {
    const gl = this.gl;
    // The canvas grows in steps and never shrinks, so a moving face does not reallocate it each frame.
    const cw = Math.max(this.canvas.width, Math.ceil(region.width / 64) * 64);
    const ch = Math.max(this.canvas.height, Math.ceil(region.height / 64) * 64);
    if (this.canvas.width !== cw || this.canvas.height !== ch) {
      this.canvas.width = cw;
      this.canvas.height = ch;
    }
    // GL's origin is the bottom left: the region's viewport sits at the top of the canvas.
    gl.viewport(0, ch - region.height, region.width, region.height);
    gl.enable(gl.SCISSOR_TEST);
    gl.scissor(0, ch - region.height, region.width, region.height);
    gl.uniform2f(this.sizeLoc, width, height);
    gl.uniform4f(this.boxLoc, region.x, region.y, region.width, region.height);
    gl.clearColor(background[0] / 255, background[1] / 255, background[2] / 255, 1);
    gl.clearDepth(1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.positions);
    for (const mesh of meshes) {
      gl.clear(gl.DEPTH_BUFFER_BIT);
      gl.bufferData(gl.ARRAY_BUFFER, mesh, gl.STREAM_DRAW);
      gl.drawElements(gl.TRIANGLES, this.indexCount, gl.UNSIGNED_SHORT, 0);
    }
  }

  /** Frees the GL context now rather than at garbage collection (software GL holds threads and memory). */
  dispose(): void {
    this.gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
