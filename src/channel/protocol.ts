/**
 * Every message that crosses a browser context, typed on both ends.
 *
 *  page MAIN world  ⇄  page ISOLATED world      PageRequest / PageReply   (private MessagePort)
 *  ISOLATED world   ⇄  mask worker              ToWorker / FromWorker     (MessagePort via the extension frame)
 *  ISOLATED world   ⇄  background               FrameToBackground / BackgroundToFrame (runtime port, one per document)
 *  extension pages  ⇄  background               ExtensionProtocol         (runtime messaging)
 */
import type { Controls } from '../settings/controls';
import type { PolicyReading } from '../settings/policy';
import type { SiteAccess } from '../settings/sites';
import type { MaskStyle } from '../settings/style';
import type { PerfFigures } from '../status/perf';
import type { MaskStatus, Problem, TabState } from '../status/status';

// ── MAIN ⇄ ISOLATED ───────────────────────────────────────────────────────────
/** What the page asked of its camera, reduced to what we forward to the native getUserMedia. */
export type VideoConstraints = boolean | MediaTrackConstraints;

export type PageRequest =
  | { type: 'open'; id: number; video: VideoConstraints; audio: boolean | MediaTrackConstraints | undefined }
  | { type: 'apply'; id: number; session: number; constraints: MediaTrackConstraints }
  /** The real camera's photo capabilities or settings (no pixels), for the page's ImageCapture. */
  | { type: 'photo-query'; id: number; session: number; what: 'capabilities' | 'settings' }
  /** The page takes a photo: the real camera takes it, and says only its format (its pixels stay here). */
  | { type: 'photo-format'; id: number; session: number; settings: PhotoSettings }
  | { type: 'release'; session: number };

/** What a photo of the real camera is like: its type and size, never its pixels. */
export interface PhotoFormat {
  type: string;
  width: number;
  height: number;
}

/** What the page-facing track reports about the camera behind it. */
export interface CameraInfo {
  label: string;
  settings: MediaTrackSettings;
  constraints: MediaTrackConstraints;
  capabilities: MediaTrackCapabilities;
}

/** An error as the native camera call raised it, enough to raise the same kind in the page. */
export interface CameraError {
  name: string;
  message: string;
  /** OverconstrainedError's constraint: pages read it to decide what to relax. */
  constraint?: string;
}

export type PageReply =
  // The stream is set as srcObject on the shared <video> before this reply is posted.
  | { type: 'opened'; id: number; session: number; camera: CameraInfo }
  | { type: 'open-failed'; id: number; error: CameraError }
  | { type: 'applied'; id: number; camera: CameraInfo }
  | { type: 'apply-failed'; id: number; error: CameraError }
  | { type: 'photo-query'; id: number; value: PhotoCapabilities | PhotoSettings | null }
  | { type: 'photo-format'; id: number; format: PhotoFormat | null; error?: CameraError }
  | { type: 'ended'; session: number }
  /** The isolated world is going away (the extension was reloaded): no request will be answered. */
  | { type: 'closed' };

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
  /**
   * One frame to mask, in the style it must be drawn in. The camera pump always names the style
   * (the answer echoes it, so an answer drawn in a style changed since is never written); tools
   * that drive the worker directly (eval, bench) may set it once with 'config' instead. `readout`:
   * draw the clinician's eye read-out over the masked frame (docs/readout.md).
   */
  | { type: 'frame'; id: number; timestamp: number; style?: MaskStyle; readout?: boolean; pixels: FramePixels }
  | { type: 'config'; style: MaskStyle }
  /** A new camera stream starts on this worker: forget the faces of the last one. */
  | { type: 'reset' };

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
  | { type: 'masked'; id: number; timestamp: number; style: MaskStyle; bitmap: ImageBitmap; faces: number; ms: number; stages?: StageTimings }
  | { type: 'obscured'; id: number; timestamp: number; cause: ObscuredCause; problem?: Problem }
  | { type: 'status'; status: Extract<MaskStatus, 'starting' | 'masking' | 'error'>; problem?: Problem };

// ── ISOLATED ⇄ background (runtime port, name FRAME_PORT) ─────────────────────
export const FRAME_PORT = 'telemask-frame';

export interface StatusReport {
  status: MaskStatus;
  problem?: Problem;
  perf?: PerfFigures;
}

/** What a tab's camera pipeline needs to know: masking on or off here, and which mask. */
export interface MaskSettings {
  enabled: boolean;
  style: MaskStyle;
  /** Draw the clinician's eye read-out into the masked video (docs/readout.md). */
  showReadout: boolean;
}

/** The safe settings a document starts from until the background has answered: masked, strongest style. */
export const FAIL_SAFE_SETTINGS: MaskSettings = { enabled: true, style: 'digital', showReadout: false };

/** Document → background: what its camera sessions show now (one report stands for all of them). */
export type FrameToBackground = { type: 'status'; report: StatusReport };
/** Background → document: the settings in force for it, on connect and on every change. */
export type BackgroundToFrame = { type: 'settings'; settings: MaskSettings };

// ── extension pages ⇄ background (runtime messaging) ─────────────────────────
export interface ExtensionProtocol {
  /** Content script → background: a one-time token to authenticate its port to the mask frame. */
  issueFrameToken(): string;
  /** Mask frame → background: is this token one the background issued to my own tab? */
  redeemFrameToken(token: string): boolean;
  /** Popup → background (refused from any other sender). */
  getTabState(tabId: number): TabState;
  setTabEnabled(data: { tabId: number; enabled: boolean }): TabState;
  /** Popup and options page → background: the style in force and what the patient may change. */
  getControls(): Controls;
  setStyle(style: MaskStyle): Controls;
  /** The patient's choice to show the eye read-out to the clinician (refused when the clinic decides). */
  setReadout(show: boolean): Controls;
  getSites(): SitesView;
  /** Gives back a site the patient added (its host permission). */
  removeSite(site: string): SitesView;
  getPolicy(): PolicyView;
}

export interface SitesView {
  builtIn: string[];
  /** Sites the clinic's policy adds: the patient cannot remove them. */
  clinic: SiteAccess[];
  /** Sites the patient added. */
  user: SiteAccess[];
}

/** The clinic's policy as read: the keys in force, and every key or site ignored, with why. */
export type PolicyView = Pick<PolicyReading, 'inForce' | 'ignored'>;
