/**
 * Minimal YUV4MPEG2 reader for 4:2:0 files (what tools/fake-camera.ts writes), giving
 * I420 planes, luma, or RGBA (BT.601, limited or full range as the header says).
 */
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';

export interface Y4mInfo {
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** true when the header says XCOLORRANGE=FULL (or a *jpeg chroma tag) */
  fullRange: boolean;
}

export interface I420Frame {
  width: number;
  height: number;
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

export class Y4mReader implements Y4mInfo {
  width = 0;
  height = 0;
  fps = 30;
  frameCount = 0;
  fullRange = false;
  private fd: number;
  private headerLen = 0;
  private frameBytes = 0;
  private frameStride = 0; // bytes per frame incl. "FRAME...\n" line (assumes constant tag line)
  private frameHeaderLen = 0;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'r');
    const head = Buffer.alloc(1024);
    const n = readSync(this.fd, head, 0, head.length, 0);
    const nl = head.subarray(0, n).indexOf(0x0a);
    if (nl < 0) throw new Error(`${file}: not a y4m file (no header line)`);
    const header = head.subarray(0, nl).toString('latin1');
    if (!header.startsWith('YUV4MPEG2 ')) throw new Error(`${file}: not a y4m file`);
    let chroma = '420jpeg';
    for (const tok of header.split(' ').slice(1)) {
      const t = tok[0];
      const val = tok.slice(1);
      if (t === 'W') this.width = Number(val);
      else if (t === 'H') this.height = Number(val);
      else if (t === 'F') {
        const [a, b] = val.split(':').map(Number);
        this.fps = a! / (b || 1);
      } else if (t === 'C') chroma = val;
      else if (t === 'X' && val.startsWith('COLORRANGE=')) this.fullRange = val.endsWith('FULL');
    }
    if (!chroma.startsWith('420')) throw new Error(`${file}: only 4:2:0 y4m is supported (C${chroma})`);
    this.headerLen = nl + 1;
    this.frameBytes = (this.width * this.height * 3) / 2;
    // first frame header line
    const fh = Buffer.alloc(256);
    const m = readSync(this.fd, fh, 0, fh.length, this.headerLen);
    const fnl = fh.subarray(0, m).indexOf(0x0a);
    if (fnl < 0 || !fh.subarray(0, 5).toString('latin1').startsWith('FRAME')) {
      this.frameCount = 0;
      return;
    }
    this.frameHeaderLen = fnl + 1;
    this.frameStride = this.frameHeaderLen + this.frameBytes;
    const size = fstatSync(this.fd).size;
    this.frameCount = Math.floor((size - this.headerLen) / this.frameStride);
  }

  /** I420 planes of frame `i` (0-based). */
  frame(i: number): I420Frame {
    if (i < 0 || i >= this.frameCount) throw new RangeError(`frame ${i} of ${this.frameCount}`);
    const buf = Buffer.alloc(this.frameBytes);
    readSync(this.fd, buf, 0, this.frameBytes, this.headerLen + i * this.frameStride + this.frameHeaderLen);
    const ys = this.width * this.height;
    const cs = ys / 4;
    const u8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    return {
      width: this.width,
      height: this.height,
      y: u8.subarray(0, ys),
      u: u8.subarray(ys, ys + cs),
      v: u8.subarray(ys + cs, ys + 2 * cs),
    };
  }

  /** Luma of frame i, mapped to full range 0..255 (so it is comparable to canvas-derived luma). */
  luma(i: number): Uint8Array {
    const f = this.frame(i);
    if (this.fullRange) return f.y.slice();
    const out = new Uint8Array(f.y.length);
    for (let k = 0; k < f.y.length; k++) out[k] = clamp(((f.y[k]! - 16) * 255) / 219);
    return out;
  }

  rgba(i: number): Uint8ClampedArray {
    return i420ToRgba(this.frame(i), this.fullRange);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function clamp(x: number): number {
  return x < 0 ? 0 : x > 255 ? 255 : Math.round(x);
}

/** BT.601 I420 → RGBA. */
export function i420ToRgba(f: I420Frame, fullRange = false): Uint8ClampedArray {
  const { width: w, height: h, y, u, v } = f;
  const out = new Uint8ClampedArray(w * h * 4);
  const cw = w >> 1;
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const ci = (row >> 1) * cw + (col >> 1);
      let Y = y[row * w + col]!;
      const U = u[ci]! - 128;
      const V = v[ci]! - 128;
      let r: number, g: number, b: number;
      if (fullRange) {
        r = Y + 1.402 * V;
        g = Y - 0.344136 * U - 0.714136 * V;
        b = Y + 1.772 * U;
      } else {
        Y = 1.164383 * (Y - 16);
        r = Y + 1.596027 * V;
        g = Y - 0.391762 * U - 0.812968 * V;
        b = Y + 2.017232 * U;
      }
      const o = (row * w + col) * 4;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = 255;
    }
  }
  return out;
}

/** Rec.601 luma (0..255) of an RGBA buffer. */
export function rgbaToLuma(rgba: Uint8Array | Uint8ClampedArray, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let k = 0, o = 0; k < out.length; k++, o += 4) {
    out[k] = (rgba[o]! * 299 + rgba[o + 1]! * 587 + rgba[o + 2]! * 114 + 500) / 1000;
  }
  return out;
}

export function openY4m(file: string): Y4mReader {
  return new Y4mReader(file);
}
