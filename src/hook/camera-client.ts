/**
 * MAIN world's side of the page channel: asks the isolated world for masked camera streams.
 * Requests are answered in order; the stream itself arrives as the shared <video>'s srcObject,
 * which is read the moment the reply lands (before the next reply can overwrite it).
 */
import type { PageChannelEnd } from '../channel/page-channel';
import type { CameraInfo, PageReply, PageRequest, VideoConstraints } from '../channel/protocol';

export interface OpenedCamera {
  session: number;
  stream: MediaStream;
  camera: CameraInfo;
}

type Pending = { resolve: (reply: PageReply, stream: MediaStream | null) => void };

export class CameraClient {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private endedListeners = new Map<number, () => void>();

  constructor(private readonly end: PageChannelEnd) {
    end.port.onmessage = (e: MessageEvent<PageReply>) => this.onReply(e.data);
  }

  open(video: VideoConstraints, audio: boolean | MediaTrackConstraints | undefined): Promise<OpenedCamera> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply, stream) => {
          if (reply.type === 'opened' && stream) resolve({ session: reply.session, stream, camera: reply.camera });
          else if (reply.type === 'open-failed') reject(new DOMException(reply.message, reply.name));
          else reject(new DOMException('Could not start video source', 'NotReadableError'));
        },
      });
      this.post({ type: 'open', id, video, audio });
    });
  }

  apply(session: number, constraints: MediaTrackConstraints): Promise<CameraInfo | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply) => {
          if (reply.type === 'applied' && reply.ok) resolve(reply.camera);
          else if (reply.type === 'applied') reject(new DOMException(reply.message ?? '', reply.name ?? 'OverconstrainedError'));
        },
      });
      this.post({ type: 'apply', id, session, constraints });
    });
  }

  release(session: number): void {
    this.endedListeners.delete(session);
    this.post({ type: 'release', session });
  }

  onEnded(session: number, listener: () => void): void {
    this.endedListeners.set(session, listener);
  }

  private post(request: PageRequest): void {
    this.end.port.postMessage(request);
  }

  private onReply(reply: PageReply): void {
    if (reply.type === 'ended') {
      this.endedListeners.get(reply.session)?.();
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    let stream: MediaStream | null = null;
    if (reply.type === 'opened') {
      stream = this.end.video.srcObject instanceof MediaStream ? this.end.video.srcObject : null;
      this.end.video.srcObject = null;
    }
    pending.resolve(reply, stream);
  }
}
