/**
 * Makes the masked (generator) track behave like the camera track it stands for
 * (DESIGN.md §Pipeline 1): the camera's label and settings (a generator track reports `{}` until
 * its first frame), constraints forwarded to the real camera, clones that stay masked, and a
 * camera that stops when the last page-held track stops.
 */
import type { CameraInfo } from '../channel/protocol';
import type { CameraClient } from './camera-client';

// Captured at document_start, before the page can replace them.
const nativeStop = MediaStreamTrack.prototype.stop;
const nativeClone = MediaStreamTrack.prototype.clone;

interface SessionState {
  session: number;
  camera: CameraInfo;
  /** Live page-held tracks of this session; the camera is released when it drops to zero. */
  live: Set<MediaStreamTrack>;
}

export function dressAsCamera(track: MediaStreamTrack, client: CameraClient, session: number, camera: CameraInfo): void {
  const state: SessionState = { session, camera, live: new Set() };
  client.onEnded(session, () => state.live.clear());
  dress(track, client, state);
}

function dress(track: MediaStreamTrack, client: CameraClient, state: SessionState): void {
  state.live.add(track);
  const release = () => {
    if (!state.live.delete(track)) return;
    if (state.live.size === 0) client.release(state.session);
  };
  Object.defineProperties(track, {
    label: { get: () => state.camera.label, configurable: true },
    getSettings: { value: () => ({ ...state.camera.settings }), configurable: true },
    getConstraints: { value: () => ({ ...state.camera.constraints }), configurable: true },
    getCapabilities: { value: () => ({ ...state.camera.capabilities }), configurable: true },
    applyConstraints: {
      value: async (constraints: MediaTrackConstraints = {}) => {
        const camera = await client.apply(state.session, constraints);
        if (camera) state.camera = camera;
      },
      configurable: true,
    },
    clone: {
      value: () => {
        const copy = nativeClone.call(track);
        dress(copy, client, state);
        return copy;
      },
      configurable: true,
    },
    stop: {
      value: () => {
        nativeStop.call(track);
        release();
      },
      configurable: true,
    },
  });
  track.addEventListener('ended', release);
}
