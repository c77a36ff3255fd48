/**
 * The mask engines of one document. In the top document one engine is started early and kept warm
 * (its model loaded), so the first camera frame is masked as soon as the camera opens instead of
 * after the model loads, and a session hands a working engine back when it ends, for the next one.
 * Other documents (frames, which a page may make by the dozen) start an engine when a camera opens
 * and dispose of it when the camera ends: an idle engine holds a worker and a model in memory.
 * Every engine is disposed with the document's signal.
 */
import type { EngineProvider, MaskEngine } from './engine-supervisor';

export class EnginePool implements EngineProvider {
  private idle: MaskEngine | null = null;
  private readonly live = new Set<MaskEngine>();

  constructor(
    private readonly create: () => MaskEngine,
    private readonly signal: AbortSignal,
    /** Keep one working engine loaded between cameras (the top document). */
    private readonly keepWarm: boolean,
  ) {
    signal.addEventListener('abort', () => {
      for (const engine of this.live) engine.dispose();
      this.live.clear();
      this.idle = null;
    }, { once: true });
  }

  /** Starts one engine now (model loading included) if none is waiting. */
  warm(): void {
    if (!this.keepWarm || this.idle || this.signal.aborted) return;
    const engine = this.make();
    this.idle = engine;
    engine.connect().catch(() => {
      if (this.idle !== engine) return; // a session holds it now and hears the failure itself
      this.idle = null;
      this.dispose(engine);
    });
  }

  acquire(): MaskEngine {
    const idle = this.idle;
    this.idle = null;
    if (idle?.alive && !idle.failure) return idle;
    if (idle) this.dispose(idle);
    return this.make();
  }

  release(engine: MaskEngine, healthy: boolean): void {
    if (healthy && this.keepWarm && !this.idle && !this.signal.aborted) {
      engine.onMessage = () => undefined;
      this.idle = engine;
    } else {
      this.dispose(engine);
    }
  }

  private make(): MaskEngine {
    const engine = this.create();
    engine.onMessage = () => undefined;
    this.live.add(engine);
    return engine;
  }

  private dispose(engine: MaskEngine): void {
    this.live.delete(engine);
    engine.dispose();
  }
}
