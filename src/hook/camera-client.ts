/**
 * MAIN world's side of the page channel: asks the isolated world for masked camera streams.
 * The stream itself arrives as the shared <video>'s srcObject, which is read the moment the reply
 * lands (before the next reply can overwrite it).
 *
 * Every request ends: with its reply, when its session ends, when the isolated world goes away,
 * or — for requests a camera answers at once (constraints, photo capabilities) — after a timeout.
 * Opening a camera has no timeout: a permission prompt may wait on the patient for as long as it takes.
 */
import type { PageChannelEnd } from '../channel/page-channel';
import type { CameraError, CameraInfo, PageReply, PageRequest, PhotoFormat, VideoConstraints } from '../channel/protocol';

/** Requests the camera answers without the patient: longer than this, and something is broken. */
export const ANSWER_TIMEOUT_MS = 10_000;

export interface OpenedCamera {
  session: number;
  stream: MediaStream;
  camera: CameraInfo;
}

// Captured at document_start, before the page can replace them.
const NativeOverconstrainedError = globalThis.OverconstrainedError;
const NativeDOMException = DOMException;

/** The page gets the error the camera raised, of the class the camera would raise it as. */
export function pageError(error: CameraError): Error {
  if (error.name === 'OverconstrainedError' && typeof NativeOverconstrainedError === 'function') {
    return new NativeOverconstrainedError(error.constraint ?? '', error.message);
  }
  return new NativeDOMException(error.message, error.name);
}

const unavailable = (): CameraError => ({ name: 'NotReadableError', message: 'Could not start video source' });

/** Why a request ended without a reply. */
type Unanswered = 'ended' | 'closed' | 'timeout';

interface Pending {
  session?: number;
  settle(reply: PageReply | null, stream: MediaStream | null, why?: Unanswered): void;
  timer?: ReturnType<typeof setTimeout>;
}

export class CameraClient {
  private nextId = 1;
  private closed = false;
  private readonly pending = new Map<number, Pending>();
  private readonly endedListeners = new Map<number, () => void>();

  constructor(private readonly end: PageChannelEnd) {
    end.port.onmessage = (e: MessageEvent<PageReply>) => this.onReply(e.data);
  }

  open(video: VideoConstraints, audio: boolean | MediaTrackConstraints | undefined): Promise<OpenedCamera> {
    return new Promise((resolve, reject) => {
      this.request({ type: 'open', id: 0, video, audio }, undefined, false, (reply, stream) => {
        if (reply?.type === 'opened' && stream) resolve({ session: reply.session, stream, camera: reply.camera });
        else reject(pageError(reply?.type === 'open-failed' ? reply.error : unavailable()));
      });
    });
  }

  apply(session: number, constraints: MediaTrackConstraints): Promise<CameraInfo> {
    return new Promise((resolve, reject) => {
      this.request({ type: 'apply', id: 0, session, constraints }, session, true, (reply, _stream, why) => {
        if (reply?.type === 'applied') resolve(reply.camera);
        else if (reply?.type === 'apply-failed') reject(pageError(reply.error));
        else if (why === 'timeout') reject(new NativeDOMException('The camera did not answer', 'AbortError'));
        else reject(new NativeDOMException('The track has ended', 'InvalidStateError'));
      });
    });
  }

  /** The real camera's photo capabilities or settings; null when it has none to give. */
  photoQuery(session: number, what: 'capabilities'): Promise<PhotoCapabilities | null>;
  photoQuery(session: number, what: 'settings'): Promise<PhotoSettings | null>;
  photoQuery(session: number, what: 'capabilities' | 'settings'): Promise<PhotoCapabilities | PhotoSettings | null> {
    return new Promise((resolve) => {
      this.request({ type: 'photo-query', id: 0, session, what }, session, true, (reply) => {
        resolve(reply?.type === 'photo-query' ? reply.value : null);
      });
    });
  }

  /** The real camera takes a photo; resolves with its format, or rejects as the camera did. */
  photoFormat(session: number, settings: PhotoSettings): Promise<PhotoFormat> {
    return new Promise((resolve, reject) => {
      this.request({ type: 'photo-format', id: 0, session, settings }, session, true, (reply, _stream, why) => {
        if (reply?.type === 'photo-format' && reply.format) resolve(reply.format);
        else if (reply?.type === 'photo-format' && reply.error) reject(pageError(reply.error));
        else reject(new NativeDOMException(why === 'timeout' ? 'The camera did not answer' : 'The track has ended', why === 'timeout' ? 'AbortError' : 'InvalidStateError'));
      });
    });
  }

  release(session: number): void {
    this.endedListeners.delete(session);
    this.post({ type: 'release', session });
  }

  onEnded(session: number, listener: () => void): void {
    this.endedListeners.set(session, listener);
  }

  private request(
    message: Extract<PageRequest, { id: number }>,
    session: number | undefined,
    timed: boolean,
    settle: Pending['settle'],
  ): void {
    if (this.closed) {
      settle(null, null, 'closed');
      return;
    }
    const id = this.nextId++;
    const pending: Pending = { session, settle };
    if (timed) pending.timer = setTimeout(() => this.finish(id, null, null, 'timeout'), ANSWER_TIMEOUT_MS);
    this.pending.set(id, pending);
    this.post({ ...message, id });
  }

  private finish(id: number, reply: PageReply | null, stream: MediaStream | null, why?: Unanswered): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.settle(reply, stream, why);
  }

  private post(request: PageRequest): void {
    this.end.port.postMessage(request);
  }

  private onReply(reply: PageReply): void {
    if (reply.type === 'closed') {
      this.closed = true;
      for (const id of [...this.pending.keys()]) this.finish(id, null, null, 'closed');
      for (const listener of this.endedListeners.values()) listener();
      this.endedListeners.clear();
      return;
    }
    if (reply.type === 'ended') {
      this.endedListeners.get(reply.session)?.();
      this.endedListeners.delete(reply.session);
      for (const [id, pending] of [...this.pending]) if (pending.session === reply.session) this.finish(id, null, null, 'ended');
      return;
    }
    let stream: MediaStream | null = null;
    if (reply.type === 'opened') {
      stream = this.end.video.srcObject instanceof MediaStream ? this.end.video.srcObject : null;
      this.end.video.srcObject = null;
    }
    this.finish(reply.id, reply, stream);
  }
}
