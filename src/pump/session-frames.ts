/**
 * Which worker answers belong to the camera session using an engine now. One engine serves one
 * session after another (engine-pool.ts keeps it warm), and each session numbers its frames from 1:
 * an answer to the last session's frame, still on its way when the next session starts, would pass
 * for an answer to the new session's frame of the same number — its picture (another camera stream)
 * written to the new track, its timestamp blocking the new one's. So on the wire a frame carries the
 * engine's own number, and an answer is handed to the session only if it sent that frame.
 */
export class SessionFrames {
  private nextWireId = 1;
  /** Frames of the current session not answered yet: wire id → the session's id, oldest first. */
  private readonly pending = new Map<number, number>();

  /** The number a frame of the current session carries on the wire. */
  outgoing(sessionId: number): number {
    const wireId = this.nextWireId++;
    this.pending.set(wireId, sessionId);
    return wireId;
  }

  /** The session's id of an answered frame, or null if the frame was sent before the last reset. */
  answered(wireId: number): number | null {
    const sessionId = this.pending.get(wireId);
    if (sessionId === undefined) return null;
    // Answers come in order: this one settles every frame sent before it.
    for (const id of this.pending.keys()) {
      this.pending.delete(id);
      if (id === wireId) break;
    }
    return sessionId;
  }

  /** A new session starts: nothing sent before belongs to it. */
  reset(): void {
    this.pending.clear();
  }
}
