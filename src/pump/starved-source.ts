/**
 * A camera source that hands over to a second one when the first is starved: the camera keeps
 * delivering frames but none reach the reader. Chromium's MediaStreamTrackProcessor does this in a
 * window that was reused from its initial about:blank (a same-origin iframe or a popup navigated
 * from it): the track counts 30 frames a second delivered while the processor gets one every few
 * seconds, or none for tens of seconds (docs/frame-path.md). A new processor on the same track
 * starves too; a playing <video> of the track does not.
 *
 * Starvation is measured in the camera's own frames, not in time: a camera that is slow to start
 * or paused by the system delivers nothing and is not starved. Only frames the camera delivered
 * count, so a slow machine that reads late is not starved either. And it takes two checks in a row:
 * a main thread that was busy for half a second runs its late check before the frame queued behind
 * it, and that frame arrives before the next check.
 */
import type { CameraFrame, FrameSource } from './frame-io';

/** Frames the camera delivered, unread, before the reader counts as starved (0.5 s at 30 fps). */
export const STARVED_FRAMES = 15;
/** How often a waiting read compares the camera's count with what arrived. */
export const STARVATION_CHECK_MS = 250;
/** Checks in a row that must find the reader starved. */
export const STARVED_CHECKS = 2;

export interface StarvationWatch {
  /** Frames the camera has delivered to its sinks so far (null: the browser does not say). */
  delivered(): number | null;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

/**
 * `primary` until the camera delivered STARVED_FRAMES frames that `primary` never produced, then
 * `fallback()` for the rest of the session (the primary is cancelled, a frame it still yields is closed).
 */
export function fallBackWhenStarved<F extends CameraFrame>(
  primary: FrameSource<F>,
  fallback: () => FrameSource<F>,
  watch: StarvationWatch,
): FrameSource<F> {
  let active = primary;
  let switched = false;
  let cancelled = false;
  /** The camera's count when the primary last produced a frame. */
  let deliveredAtLastFrame = watch.delivered();
  /** Set while a read of the primary waits: called once the camera's count says it starves. */
  let onStarved: (() => void) | null = null;
  /** Checks in a row that found the primary starved. */
  let strikes = 0;
  // One check for the primary's whole life, not a timer per frame.
  const stopWatching = watch.every(STARVATION_CHECK_MS, () => {
    const now = watch.delivered();
    if (!onStarved || now === null || deliveredAtLastFrame === null) return;
    if (now - deliveredAtLastFrame < STARVED_FRAMES) strikes = 0;
    else if (++strikes >= STARVED_CHECKS) onStarved();
  });

  const switchToFallback = (pending: Promise<F | null>) => {
    switched = true;
    stopWatching();
    primary.cancel();
    void pending.then((frame) => frame?.close(), () => undefined);
    active = fallback();
  };

  return {
    async read() {
      if (switched || cancelled) return active.read();
      const pending = primary.read();
      const starved = new Promise<'starved'>((resolve) => (onStarved = () => resolve('starved')));
      const first = await Promise.race([pending, starved]);
      onStarved = null;
      if (first !== 'starved') {
        deliveredAtLastFrame = watch.delivered();
        strikes = 0;
        return first;
      }
      if (cancelled) return pending;
      switchToFallback(pending);
      return active.read();
    },
    cancel() {
      cancelled = true;
      stopWatching();
      active.cancel();
    },
  };
}

/** What Chromium says a track delivered (MediaStreamTrack.stats, where it exists). */
export function trackDeliveredFrames(track: MediaStreamTrack): () => number | null {
  return () => {
    const stats = (track as MediaStreamTrack & { stats?: { deliveredFrames?: number } }).stats;
    return typeof stats?.deliveredFrames === 'number' ? stats.deliveredFrames : null;
  };
}
