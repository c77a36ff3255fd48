/**
 * Makes the masked (generator) track behave like the camera track it stands for
 * (docs/design.md §Pipeline): the camera's label and settings (a generator track reports `{}` until
 * its first frame), constraints forwarded to the real camera, clones that stay masked — through the
 * track's, the stream's and the prototype's clone alike — and a camera that stops when the last
 * page-held track stops.
 *
 * The page-facing track is a plain MediaStreamTrack to the page: its prototype is
 * MediaStreamTrack.prototype, and the camera's answers come from that prototype's own methods, which
 * look up the track in a private table (no own properties on the track, native-looking functions).
 */
import type { CameraInfo } from '../channel/protocol';
import type { CameraClient } from './camera-client';
import { replaceGetter, replaceMethod } from './native-look';

interface CameraState {
  client: CameraClient;
  session: number;
  camera: CameraInfo;
  /** Live page-held tracks of this session; the camera is released when it drops to zero. */
  live: Set<MediaStreamTrack>;
}

const cameras = new WeakMap<MediaStreamTrack, CameraState>();
const nativeAddEventListener = EventTarget.prototype.addEventListener;
const trackProto = MediaStreamTrack.prototype;

/** The camera behind a page-facing track, if it is a masked camera track. */
export function cameraOf(track: unknown): CameraState | undefined {
  return typeof track === 'object' && track !== null ? cameras.get(track as MediaStreamTrack) : undefined;
}

function release(track: MediaStreamTrack, state: CameraState): void {
  if (!state.live.delete(track)) return;
  if (state.live.size === 0) state.client.release(state.session);
}

function adopt(track: MediaStreamTrack, state: CameraState): MediaStreamTrack {
  Object.setPrototypeOf(track, trackProto);
  cameras.set(track, state);
  state.live.add(track);
  nativeAddEventListener.call(track, 'ended', () => release(track, state));
  return track;
}

export function dressAsCamera(track: MediaStreamTrack, client: CameraClient, session: number, camera: CameraInfo): void {
  const state: CameraState = { client, session, camera, live: new Set() };
  client.onEnded(session, () => state.live.clear());
  adopt(track, state);
}

let patched = false;

/** Installs the camera answers on MediaStreamTrack.prototype (once per document). */
export function patchTrackPrototype(): void {
  if (patched) return;
  patched = true;
  replaceGetter(trackProto, 'label', (native) =>
    function (this: unknown) {
      return cameraOf(this)?.camera.label ?? native.call(this);
    },
  );
  for (const name of ['getSettings', 'getConstraints', 'getCapabilities'] as const) {
    const field = ({ getSettings: 'settings', getConstraints: 'constraints', getCapabilities: 'capabilities' } as const)[name];
    replaceMethod(trackProto, name, (native) =>
      function (this: unknown, ...args: unknown[]) {
        const state = cameraOf(this);
        return state ? { ...state.camera[field] } : native.apply(this, args);
      },
    );
  }
  replaceMethod(trackProto, 'applyConstraints', (native) =>
    async function (this: unknown, ...args: unknown[]) {
      const state = cameraOf(this);
      if (!state) return native.apply(this, args);
      state.camera = await state.client.apply(state.session, (args[0] as MediaTrackConstraints | undefined) ?? {});
    },
  );
  replaceMethod(trackProto, 'clone', (native) =>
    function (this: unknown, ...args: unknown[]) {
      const state = cameraOf(this);
      const copy = native.apply(this, args) as MediaStreamTrack;
      return state ? adopt(copy, state) : copy;
    },
  );
  replaceMethod(trackProto, 'stop', (native) =>
    function (this: unknown, ...args: unknown[]) {
      native.apply(this, args);
      const state = cameraOf(this);
      if (state) release(this as MediaStreamTrack, state);
    },
  );
  // A stream's clone clones each track through the track's own clone, so masked ones stay dressed.
  replaceMethod(MediaStream.prototype, 'clone', (native) =>
    function (this: unknown, ...args: unknown[]) {
      const stream = this as MediaStream;
      if (!stream.getTracks().some((t) => cameraOf(t))) return native.apply(this, args);
      return new MediaStream(stream.getTracks().map((t) => t.clone()));
    },
  );
}
