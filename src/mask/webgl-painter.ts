/**
 * The digital mask drawn with WebGL2 on an OffscreenCanvas, where a GPU is present
 * (digital-renderer.ts autoBackend): the same picture as the CPU rasterizer (cpu-rasterizer.ts)
 * from the same FaceScene — skin as light × texture (bilinear), eyeballs and the mouth's interior
 * per pixel with the same code in GLSL as interior-shading.ts. Draws from the mask's geometry
 * alone; no camera pixel is ever uploaded.
 */
import type { EyeScene, FaceScene, MouthScene, SceneTopology } from './face-scene';
import { IRIS_SINE } from './eye-state';
import { EDGE_FEATHER_PX, LASH_ROOT_RGB, LOWER_LINE_RGB, TOOTH_EDGES } from './interior-shading';
import * as look from './mask-look';
import type { SkinTexture } from './skin-texture';

/** A rectangle of the frame in whole pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the GL driver is, from WEBGL_debug_renderer_info: software rasterisers share the CPU. */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
}

/**
 * The WebGL2 renderer's name (UNMASKED_RENDERER_WEBGL, else RENDERER), null without WebGL2: a bare
 * context, freed at once, so that deciding against WebGL costs no programs, buffers or texture.
 */
export function webgl2Renderer(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2', { alpha: false, depth: false, antialias: false, powerPreference: 'low-power' });
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

const f = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));
const rgb = (c: readonly number[]) => `vec3(${f(c[0]!)}, ${f(c[1]!)}, ${f(c[2]!)})`;
/** Depth: pixels (z away from the camera) into clip space; any head fits well within ±this. */
const DEPTH_RANGE_PX = 8192;

const VERTEX = `#version 300 es
layout(location = 0) in vec3 position; // frame pixels, z away from the camera
layout(location = 1) in float shade;
layout(location = 2) in vec2 uv;
uniform vec4 box; // the drawn region: x, y, width, height (pixels)
out float vShade;
out vec2 vUv;
out vec2 vPixel;
void main() {
  vShade = shade;
  vUv = uv;
  vPixel = position.xy;
  vec2 p = (position.xy - box.xy) / box.zw;
  gl_Position = vec4(p.x * 2.0 - 1.0, 1.0 - p.y * 2.0, position.z / ${f(DEPTH_RANGE_PX)}, 1.0);
}`;

const SKIN_FRAGMENT = `#version 300 es
precision highp float;
in float vShade;
in vec2 vUv;
uniform sampler2D skin;
out vec4 colour;
void main() {
  colour = vec4(texture(skin, vUv).rgb * vShade, 1.0);
}`;

const COMMON = `
float sstep(float e0, float e1, float x) {
  float t = clamp((x - e0) / (e1 - e0), 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}`;

// Line for line interior-shading.ts eyeColour (colours 0..255 until the end).
const EYE_FRAGMENT = `#version 300 es
precision highp float;
in vec2 vPixel;
uniform vec4 sphere;   // cx, cy, cz, r
uniform vec3 gaze;
uniform vec3 e1;
uniform vec3 e2;
uniform vec2 origin;
uniform vec2 axisA;
uniform vec2 axisB;
uniform float eyeWidth;
uniform float lids[36];
out vec4 colour;
${COMMON}
float lidAt(int at, float a) {
  float pa = lids[at], pb = lids[at + 1];
  if (a <= pa) return pb;
  for (int k = 1; k < 9; k++) {
    float ca = lids[at + k * 2], cb = lids[at + k * 2 + 1];
    if (a <= ca) return ca > pa ? pb + ((a - pa) / (ca - pa)) * (cb - pb) : cb;
    pa = ca;
    pb = cb;
  }
  return pb;
}
void main() {
  vec2 rel = vPixel - origin;
  float a = dot(rel, axisA) / eyeWidth, b = dot(rel, axisB) / eyeWidth;
  float up = lidAt(0, a), lo = lidAt(18, a);
  float dx = (vPixel.x - sphere.x) / sphere.w, dy = (vPixel.y - sphere.y) / sphere.w;
  float q = 1.0 - dx * dx - dy * dy;
  vec3 c;
  float light;
  float spec = 0.0;
  if (q <= 0.0) {
    c = ${rgb(look.SOCKET_RGB)};
    light = 0.55;
  } else {
    float nz = -sqrt(q);
    vec3 n = vec3(dx, dy, nz);
    c = mix(${rgb(look.SCLERA_RGB)}, ${rgb(look.SCLERA_EDGE_RGB)}, sstep(0.35, 0.95, 1.0 + nz));
    float cg = dot(n, gaze);
    float rr = sqrt(max(0.0, 1.0 - cg * cg)) / ${f(IRIS_SINE)};
    float feather = ${f(EDGE_FEATHER_PX)} / (${f(IRIS_SINE)} * sphere.w);
    float inIris = cg > 0.0 ? clamp((1.0 - rr) / feather + 0.5, 0.0, 1.0) : 0.0;
    if (inIris > 0.0) {
      float t = clamp((rr - ${f(look.PUPIL_SHARE)}) / (1.0 - ${f(look.PUPIL_SHARE)}), 0.0, 1.0);
      float phi = atan(dot(n, e2), dot(n, e1));
      float fibre = 1.0 + 0.22 * (0.5 * sin(phi * 23.0 + 1.3) + 0.3 * sin(phi * 41.0 + 4.1 + t * 3.0) + 0.2 * sin(phi * 67.0 + 2.2));
      float limbus = 0.85 * sstep(0.78, 1.0, rr);
      vec3 iris = mix(${rgb(look.IRIS_INNER_RGB)}, ${rgb(look.IRIS_OUTER_RGB)}, t) * fibre;
      iris = mix(iris, ${rgb(look.LIMBUS_RGB)}, limbus);
      iris = mix(iris, ${rgb(look.PUPIL_RGB)}, clamp((${f(look.PUPIL_SHARE)} - rr) / feather + 0.5, 0.0, 1.0));
      c = mix(c, iris, inIris);
    }
    light = 0.45 + 0.55 * -nz;
    float h = dot(n, vec3(${f(look.CATCH_LIGHT[0])}, ${f(look.CATCH_LIGHT[1])}, ${f(look.CATCH_LIGHT[2])}));
    spec = h > 0.0 ? ${f(look.CATCH_LIGHT_STRENGTH)} * pow(h, ${f(look.CATCH_LIGHT_POWER)}) : 0.0;
  }
  float d = b - up;
  light *= 1.0 - ${f(look.LID_SHADOW_DEPTH)} * (1.0 - sstep(0.0, ${f(look.LID_SHADOW_REACH)}, d));
  c = c * light + 255.0 * spec;
  c = mix(c, ${rgb(look.LID_MARGIN_RGB)}, 1.0 - sstep(${f(look.LOWER_MARGIN * 0.5)}, ${f(look.LOWER_MARGIN)}, lo - b));
  c = mix(c, ${rgb(LASH_ROOT_RGB)}, 1.0 - sstep(${f(look.UPPER_MARGIN * 0.4)}, ${f(look.UPPER_MARGIN)}, d));
  c = mix(c, ${rgb(LOWER_LINE_RGB)}, 1.0 - clamp((lo - b) * eyeWidth / ${f(EDGE_FEATHER_PX)}, 0.0, 1.0));
  c = mix(c, ${rgb(LASH_ROOT_RGB)}, 1.0 - clamp(d * eyeWidth / ${f(EDGE_FEATHER_PX)}, 0.0, 1.0));
  colour = vec4(clamp(c, 0.0, 255.0) / 255.0, 1.0);
}`;

// Line for line interior-shading.ts mouthColour.
const MOUTH_FRAGMENT = `#version 300 es
precision highp float;
in vec2 vPixel;
uniform vec2 origin;
uniform vec2 axisA;
uniform vec2 axisB;
uniform float halfWidth;
uniform vec2 teeth; // upper, lower edge at the middle
out vec4 colour;
${COMMON}
void main() {
  vec2 rel = vPixel - origin;
  float u = dot(rel, axisA) / halfWidth, v = dot(rel, axisB) / halfWidth;
  float au = abs(u);
  float upperEdge = teeth.x - 0.12 * u * u;
  float lowerEdge = teeth.y - 0.06 * u * u;
  vec3 c;
  if ((au < 0.92 && v < upperEdge) || (au < 0.85 && v > lowerEdge)) {
    float g = 1.0;
    ${TOOTH_EDGES.map((e) => `g = min(g, abs(au - ${f(e)}));`).join(' ')}
    float shade = (1.0 - 0.65 * sstep(0.25, 0.95, au)) * (1.0 - 0.45 * (1.0 - sstep(0.008, 0.025, g)));
    c = ${rgb(look.TEETH_RGB)} * shade;
  } else {
    float tongue = sstep(-0.04, 0.04, v - (teeth.y - 0.22 + 0.35 * u * u));
    c = mix(${rgb(look.MOUTH_CAVITY_RGB)}, ${rgb(look.TONGUE_RGB)}, tongue * 0.6) * (1.0 - 0.35 * au);
  }
  colour = vec4(clamp(c, 0.0, 255.0) / 255.0, 1.0);
}`;

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

function program(gl: WebGL2RenderingContext, vertex: WebGLShader, fragment: string): WebGLProgram {
  const p = gl.createProgram();
  if (!p) throw new Error('WebGL: cannot create a program');
  gl.attachShader(p, vertex);
  gl.attachShader(p, compile(gl, gl.FRAGMENT_SHADER, fragment));
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS) && !gl.isContextLost()) throw new Error(`WebGL program: ${gl.getProgramInfoLog(p)}`);
  return p;
}

interface Batch {
  buffer: WebGLBuffer;
  offset: number;
  count: number;
}

export class WebGLPainter {
  readonly canvas: OffscreenCanvas;
  /** UNMASKED_RENDERER_WEBGL (or RENDERER when the extension is missing). */
  readonly renderer: string;
  private lostFlag = false;
  private readonly skinProgram: WebGLProgram;
  private readonly eyeProgram: WebGLProgram;
  private readonly mouthProgram: WebGLProgram;
  private readonly positions: WebGLBuffer;
  private readonly shades: WebGLBuffer;
  private readonly batches: { skin: Batch; rightEye: Batch; leftEye: Batch; mouth: Batch };
  private readonly uniforms = new Map<WebGLProgram, Map<string, WebGLUniformLocation | null>>();

  /** A painter, or null where WebGL2 is unavailable (the caller then uses the CPU rasterizer). */
  static create(topology: SceneTopology, texture: SkinTexture, interiors: boolean): WebGLPainter | null {
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
      return new WebGLPainter(canvas, gl, topology, texture, interiors);
    } catch {
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return null;
    }
  }

  private constructor(canvas: OffscreenCanvas, private readonly gl: WebGL2RenderingContext, topology: SceneTopology, texture: SkinTexture, private readonly interiors: boolean) {
    this.canvas = canvas;
    canvas.addEventListener('webglcontextlost', (e) => {
      e.preventDefault();
      this.lostFlag = true;
    });
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    this.renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');

    const vertex = compile(gl, gl.VERTEX_SHADER, VERTEX);
    this.skinProgram = program(gl, vertex, SKIN_FRAGMENT);
    this.eyeProgram = program(gl, vertex, EYE_FRAGMENT);
    this.mouthProgram = program(gl, vertex, MOUTH_FRAGMENT);

    const vao = gl.createVertexArray();
    gl.bindVertexArray(vao);
    const buffer = (): WebGLBuffer => {
      const b = gl.createBuffer();
      if (!b) throw new Error('WebGL: cannot create buffers');
      return b;
    };
    this.positions = buffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, this.positions);
    gl.enableVertexAttribArray(0);
    gl.vertexAttribPointer(0, 3, gl.FLOAT, false, 0, 0);
    this.shades = buffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, this.shades);
    gl.enableVertexAttribArray(1);
    gl.vertexAttribPointer(1, 1, gl.FLOAT, false, 0, 0);
    const uvs = buffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, uvs);
    gl.bufferData(gl.ARRAY_BUFFER, topology.uvs, gl.STATIC_DRAW);
    gl.enableVertexAttribArray(2);
    gl.vertexAttribPointer(2, 2, gl.FLOAT, false, 0, 0);
    // One index buffer holding every batch (skin, right eye, left eye, mouth) one after another.
    const all = new Uint16Array(topology.skin.length + topology.rightEye.length + topology.leftEye.length + topology.mouth.length);
    const indices = buffer();
    let at = 0;
    const batch = (tris: Uint16Array): Batch => {
      all.set(tris, at);
      const b = { buffer: indices, offset: at * 2, count: tris.length };
      at += tris.length;
      return b;
    };
    this.batches = { skin: batch(topology.skin), rightEye: batch(topology.rightEye), leftEye: batch(topology.leftEye), mouth: batch(topology.mouth) };
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, indices);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, all, gl.STATIC_DRAW);

    const tex = gl.createTexture();
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, texture.size, texture.size, 0, gl.RGBA, gl.UNSIGNED_BYTE, texture.data);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.useProgram(this.skinProgram);
    gl.uniform1i(this.uniform(this.skinProgram, 'skin'), 0);

    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LESS);
    gl.disable(gl.CULL_FACE);
  }

  private uniform(p: WebGLProgram, name: string): WebGLUniformLocation | null {
    let m = this.uniforms.get(p);
    if (!m) this.uniforms.set(p, (m = new Map()));
    if (!m.has(name)) m.set(name, this.gl.getUniformLocation(p, name));
    return m.get(name)!;
  }

  /** True once the context is lost (driver reset, too many contexts): the caller falls back. */
  get lost(): boolean {
    return this.lostFlag || this.gl.isContextLost();
  }

  /**
   * Draws the faces over `background` (r, g, b 0..255), only inside `region` (pixels, within the
   * frame): the result is the canvas's top-left region.width × region.height pixels. Drawing (and
   * reading back) only the faces' box is what software GL pays for. Depth is cleared per face, so
   * a later face covers an earlier one, as the CPU rasterizer does.
   */
  draw(scenes: readonly FaceScene[], region: Region, background: readonly [number, number, number]): void {
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
    gl.clearColor(background[0] / 255, background[1] / 255, background[2] / 255, 1);
    gl.clearDepth(1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    for (const p of [this.skinProgram, this.eyeProgram, this.mouthProgram]) {
      gl.useProgram(p);
      gl.uniform4f(this.uniform(p, 'box'), region.x, region.y, region.width, region.height);
    }
    for (const s of scenes) {
      gl.clear(gl.DEPTH_BUFFER_BIT);
      gl.bindBuffer(gl.ARRAY_BUFFER, this.positions);
      gl.bufferData(gl.ARRAY_BUFFER, s.positions, gl.STREAM_DRAW);
      gl.bindBuffer(gl.ARRAY_BUFFER, this.shades);
      gl.bufferData(gl.ARRAY_BUFFER, s.shade, gl.STREAM_DRAW);
      gl.useProgram(this.skinProgram);
      this.drawBatch(this.batches.skin);
      if (!this.interiors) continue;
      gl.useProgram(this.eyeProgram);
      this.eyeUniforms(s.eyes.right);
      this.drawBatch(this.batches.rightEye);
      this.eyeUniforms(s.eyes.left);
      this.drawBatch(this.batches.leftEye);
      gl.useProgram(this.mouthProgram);
      this.mouthUniforms(s.mouth);
      this.drawBatch(this.batches.mouth);
    }
  }

  private drawBatch(b: Batch): void {
    this.gl.drawElements(this.gl.TRIANGLES, b.count, this.gl.UNSIGNED_SHORT, b.offset);
  }

  private eyeUniforms(e: EyeScene): void {
    const gl = this.gl, p = this.eyeProgram;
    gl.uniform4f(this.uniform(p, 'sphere'), e.cx, e.cy, e.cz, e.r);
    gl.uniform3f(this.uniform(p, 'gaze'), ...e.gaze);
    gl.uniform3f(this.uniform(p, 'e1'), ...e.e1);
    gl.uniform3f(this.uniform(p, 'e2'), ...e.e2);
    gl.uniform2f(this.uniform(p, 'origin'), e.ox, e.oy);
    gl.uniform2f(this.uniform(p, 'axisA'), e.ax, e.ay);
    gl.uniform2f(this.uniform(p, 'axisB'), e.bx, e.by);
    gl.uniform1f(this.uniform(p, 'eyeWidth'), e.width);
    gl.uniform1fv(this.uniform(p, 'lids'), e.lids);
  }

  private mouthUniforms(m: MouthScene): void {
    const gl = this.gl, p = this.mouthProgram;
    gl.uniform2f(this.uniform(p, 'origin'), m.ox, m.oy);
    gl.uniform2f(this.uniform(p, 'axisA'), m.ax, m.ay);
    gl.uniform2f(this.uniform(p, 'axisB'), m.bx, m.by);
    gl.uniform1f(this.uniform(p, 'halfWidth'), m.half);
    gl.uniform2f(this.uniform(p, 'teeth'), m.upperTeeth, m.lowerTeeth);
  }

  /** Frees the GL context now rather than at garbage collection (software GL holds threads and memory). */
  dispose(): void {
    this.gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
