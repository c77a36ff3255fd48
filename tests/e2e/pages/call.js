// Test call page: gets the camera like a telehealth site would and exposes helpers the e2e tests
// call through page.evaluate. No inline script, no innerHTML: it must run under
// "default-src 'self'; script-src 'self'; worker-src 'self'; require-trusted-types-for 'script'".
(() => {
  'use strict';
  const W = 640;
  const H = 480;
  const video = /** @type {HTMLVideoElement} */ (document.getElementById('self'));
  const statusEl = document.getElementById('status');
  const state = { stream: null, track: null, error: null, startedAt: performance.now(), firstFrameAt: 0 };

  const setStatus = (s) => {
    if (statusEl) statusEl.textContent = s;
  };

  function toBase64(bytes) {
    let s = '';
    const CH = 0x8000;
    for (let i = 0; i < bytes.length; i += CH) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + CH));
    }
    return btoa(s);
  }

  const canvases = new Map();
  function canvasFor(w, h) {
    const k = w + 'x' + h;
    let c = canvases.get(k);
    if (!c) {
      const el = document.createElement('canvas');
      el.width = w;
      el.height = h;
      c = el.getContext('2d', { willReadFrequently: true });
      canvases.set(k, c);
    }
    return c;
  }

  function grabPixels(w, h, format) {
    const ctx = canvasFor(w, h);
    ctx.drawImage(video, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    if (format === 'luma') {
      const y = new Uint8Array(w * h);
      for (let i = 0, o = 0; i < y.length; i++, o += 4) {
        y[i] = (rgba[o] * 299 + rgba[o + 1] * 587 + rgba[o + 2] * 114 + 500) / 1000;
      }
      return y;
    }
    return new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  }

  const ready = (async () => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: W, height: H }, audio: false });
      state.stream = stream;
      state.track = stream.getVideoTracks()[0] || null;
      video.srcObject = stream;
      await video.play().catch(() => {});
      await new Promise((resolve) => {
        if (video.readyState >= 2 && video.videoWidth) resolve();
        else video.addEventListener('loadeddata', () => resolve(), { once: true });
      });
      state.firstFrameAt = performance.now();
      setStatus('in call');
      return true;
    } catch (e) {
      state.error = String((e && e.name ? e.name + ': ' : '') + (e && e.message ? e.message : e));
      setStatus('error: ' + state.error);
      return false;
    }
  })();

  /**
   * Collect `n` distinct frames as presented by the <video> (requestVideoFrameCallback), drawn at
   * opts.width x opts.height (default 640x480). opts.format: 'rgba' (default) or 'luma'.
   * Returns { width, height, format, frames: [{ data: base64, mediaTime, presentedFrames, t }] }.
   */
  async function nextFrames(n, opts = {}) {
    const w = opts.width || W;
    const h = opts.height || H;
    const format = opts.format || 'rgba';
    const timeoutMs = opts.timeoutMs || 30000;
    if (!(await ready)) throw new Error('no camera: ' + state.error);
    const frames = [];
    let lastMediaTime = -1;
    let lastPresented = -1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('timeout: got ' + frames.length + ' of ' + n + ' frames')),
        timeoutMs,
      );
      const onFrame = (_now, meta) => {
        try {
          const distinct = meta.presentedFrames !== lastPresented && meta.mediaTime !== lastMediaTime;
          if (distinct) {
            lastPresented = meta.presentedFrames;
            lastMediaTime = meta.mediaTime;
            frames.push({
              data: toBase64(grabPixels(w, h, format)),
              mediaTime: meta.mediaTime,
              presentedFrames: meta.presentedFrames,
              t: performance.now(),
            });
          }
          if (frames.length >= n) {
            clearTimeout(timer);
            resolve({ width: w, height: h, format, frames });
          } else {
            video.requestVideoFrameCallback(onFrame);
          }
        } catch (e) {
          clearTimeout(timer);
          reject(e);
        }
      };
      video.requestVideoFrameCallback(onFrame);
    });
  }

  /** Mean and spread of the current frame (quick "is it a uniform fill?" check in the page). */
  function frameStats() {
    const px = grabPixels(W, H, 'rgba');
    const sum = [0, 0, 0];
    const sq = [0, 0, 0];
    const n = W * H;
    for (let i = 0; i < px.length; i += 4) {
      for (let c = 0; c < 3; c++) {
        sum[c] += px[i + c];
        sq[c] += px[i + c] * px[i + c];
      }
    }
    const mean = sum.map((s) => s / n);
    const std = sq.map((s, c) => Math.sqrt(Math.max(0, s / n - mean[c] * mean[c])));
    return { mean, std };
  }

  function info() {
    const t = state.track;
    return {
      error: state.error,
      hasTrack: !!t,
      label: t ? t.label : null,
      readyState: t ? t.readyState : null,
      settings: t ? t.getSettings() : null,
      videoWidth: video.videoWidth,
      videoHeight: video.videoHeight,
      firstFrameMs: state.firstFrameAt ? state.firstFrameAt - state.startedAt : null,
    };
  }

  window.testCall = {
    ready,
    get stream() {
      return state.stream;
    },
    get track() {
      return state.track;
    },
    get error() {
      return state.error;
    },
    video,
    nextFrames,
    frameStats,
    info,
  };
})();
