/** Tracks the engine through loading: `/readyz` and every model route read it. */
import type { Engine, EngineSource } from './model.js';
import { ServiceError } from '../errors/service-error.js';

/** Retry-After while the model loads: a hub download or a 3B load takes tens of seconds; poll every few. */
const LOADING_RETRY_AFTER_SECONDS = 5;

type State =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; engine: Engine; loadSeconds: number }
  | { status: 'failed'; error: unknown };

/**
 * Holds the engine or why it is not there yet.
 * @example const state = new ModelState(() => PaliGemma.load()); await state.load(); state.engine()
 */
export class ModelState {
  private state: State = { status: 'idle' };
  private loading: Promise<Engine> | undefined;
  private disposed = false;

  constructor(private readonly source: EngineSource) {}

  get status(): State['status'] {
    return this.state.status;
  }

  /** The load failure, when loading failed. */
  get failure(): unknown {
    return this.state.status === 'failed' ? this.state.error : undefined;
  }

  /** Starts loading (once); resolves with the engine, rejects with the load error. */
  load(onLoaded?: (seconds: number) => void): Promise<Engine> {
    this.loading ??= (async () => {
      this.state = { status: 'loading' };
      const started = performance.now();
      try {
        const engine = typeof this.source === 'function' ? await this.source() : this.source;
        if (this.disposed) {
          await engine.dispose();
          throw new Error('the server shut down while the model was loading');
        }
        const loadSeconds = (performance.now() - started) / 1000;
        this.state = { status: 'ready', engine, loadSeconds };
        onLoaded?.(loadSeconds);
        return engine;
      } catch (error) {
        this.state = { status: 'failed', error };
        throw error;
      }
    })();
    return this.loading;
  }

  /** The engine, or a 503 `model_not_ready` saying whether it is still loading or failed. */
  engine(): Engine {
    if (this.state.status === 'ready') return this.state.engine;
    throw new ServiceError('model_not_ready', this.notReadyMessage(), {
      headers: this.state.status === 'failed' ? {} : { 'Retry-After': String(LOADING_RETRY_AFTER_SECONDS) },
    });
  }

  /** One sentence for `/readyz` and 503s. */
  notReadyMessage(): string {
    if (this.state.status === 'failed') {
      const error = this.state.error;
      return `the model failed to load: ${error instanceof Error ? error.message : String(error)}`;
    }
    return 'the model is loading; retry shortly';
  }

  /** Releases the engine when it was loaded; later calls answer 503. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const state = this.state;
    this.state = { status: 'failed', error: new Error('the server is shutting down') };
    if (state.status === 'ready') await state.engine.dispose();
  }
}
