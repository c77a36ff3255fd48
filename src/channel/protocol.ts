/**
 * Every message that crosses a browser context, typed on both ends.
 *
 *  page MAIN world  ⇄  page ISOLATED world      PageRequest / PageReply   (private MessagePort)
 *  ISOLATED world   ⇄  mask worker              ToWorker / FromWorker     (MessagePort via the extension frame)
 *  any context      ⇄  background               ExtensionProtocol         (runtime messaging)
 */
import type { MaskStyle } from '../settings/style';
import type { PerfFigures } from '../status/perf';
import type { MaskStatus, TabState } from '../status/status';

// ── MAIN ⇄ ISOLATED ───────────────────────────────────────────────────────────
/** What the page asked of its camera, reduced to what we forward to the native getUserMedia. */
export type VideoConstraints = boolean | MediaTrackConstraints;

export type PageRequest =
  | { type: 'open'; id: number; video: VideoConstraints; audio: boolean | MediaTrackConstraints | undefined }
  | { type: 'apply'; id: number; session: number; constraints: MediaTrackConstraints }
  | { type: 'release'; session: number };

/** What the page-facing track reports about the camera behind it. */
export interface CameraInfo {
  label: string;
  settings: MediaTrackSettings;
  constraints: MediaTrackConstraints;
  capabilities: MediaTrackCapabilities;
}

export type PageReply =
  // The stream is set as srcObject on the shared <video> before this reply is posted.
  | { type: 'opened'; id: number; session: number; camera: CameraInfo }
  | { type: 'open-failed'; id: number; name: string; message: string }
  | { type: 'applied'; id: number; ok: boolean; name?: string; message?: string; camera?: CameraInfo }
  | { type: 'ended'; session: number };

// ── ISOLATED ⇄ worker ─────────────────────────────────────────────────────────
export interface FramePixels {
  format: VideoPixelFormat;
  codedWidth: number;
  codedHeight: number;
  layout: PlaneLayout[];
  visibleRect: { x: number; y: number; width: number; height: number };
  /** The size the frame is meant to be shown at (the camera's constraints may scale it lazily). */
  displayWidth: number;
  displayHeight: number;
  buffer: ArrayBuffer;
}

export type ToWorker =
  | { type: 'frame'; id: number; timestamp: number; pixels: FramePixels }
  /** Which mask to draw from the next frame on. */
  | { type: 'config'; style: MaskStyle };

/** Why a frame came back obscured instead of masked. */
export type ObscuredCause = 'starting' | 'no-face' | 'error';

/** Where a masked frame's time went in the worker, ms (read by `npm run bench`). */
export interface StageTimings {
  /** camera pixels → RGBA ImageData */
  pixels: number;
  landmarks: number;
  /** landmarks → mask geometry (styles that build one: digital) */
  geometry?: number;
  /** drawing the output bitmap (for styles without a geometry step, all of render()) */
  render: number;
  /** the painter that drew it (digital: 'cpu' or 'webgl') */
  backend?: string;
}

export type FromWorker =
  | { type: 'masked'; id: number; timestamp: number; bitmap: ImageBitmap; faces: number; ms: number; stages?: StageTimings }
  | { type: 'obscured'; id: number; timestamp: number; cause: ObscuredCause; reason?: string }
  | { type: 'status'; status: Extract<MaskStatus, 'starting' | 'masking' | 'error'>; reason?: string };

// ── runtime messaging (background is the hub) ────────────────────────────────
export interface StatusReport {
  status: MaskStatus;
  reason?: string;
  perf?: PerfFigures;
}

/** What a tab's camera pipeline needs to know: masking on or off here, and which mask. */
export interface MaskSettings {
  enabled: boolean;
  style: MaskStyle;
}

export interface ExtensionProtocol {
  /** Content script → background: the tab's current settings when a camera session starts. */
  bridgeHello(): MaskSettings;
  /** Content script → background: what the camera shows now. */
  reportStatus(report: StatusReport): void;
  /** Content script → background: a one-time token to authenticate its port to the mask frame. */
  issueFrameToken(): string;
  /** Mask frame → background: is this token one the background issued to my own tab? */
  redeemFrameToken(token: string): boolean;
  /** Popup → background. */
  getTabState(tabId: number): TabState;
  setTabEnabled(data: { tabId: number; enabled: boolean }): TabState;
  getStyle(): MaskStyle;
  setStyle(style: MaskStyle): MaskStyle;
  /** Background → content scripts of a tab: settings changed. */
  applyTabSettings(data: MaskSettings): void;
}
