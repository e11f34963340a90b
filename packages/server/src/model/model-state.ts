/** Tracks the model through loading: `/readyz` and every model route read it. */
import type { Model, ModelSource } from './model.js';
import { SHOULD_RETRY_HEADER, ServiceError } from '../errors/service-error.js';

/** Retry-After while the model loads: a hub download or a 3B load takes tens of seconds; poll every few. */
const LOADING_RETRY_AFTER_SECONDS = 5;

type State =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; model: Model }
  | { status: 'failed'; error: unknown };

/**
 * Holds the model or why it is not there yet.
 * @example const state = new ModelState(() => PaliGemma.load()); await state.load(); state.model()
 */
export class ModelState {
  private state: State = { status: 'idle' };
  private loading: Promise<Model> | undefined;
  private disposed = false;

  constructor(private readonly source: ModelSource) {}

  get status(): State['status'] {
    return this.state.status;
  }

  /** The load failure, when loading failed. */
  get failure(): unknown {
    return this.state.status === 'failed' ? this.state.error : undefined;
  }

  /** Starts loading (once); resolves with the model, rejects with the load error. */
  load(onLoaded?: (seconds: number) => void): Promise<Model> {
    this.loading ??= (async () => {
      this.state = { status: 'loading' };
      const started = performance.now();
      try {
        const model = typeof this.source === 'function' ? await this.source() : this.source;
        if (this.disposed) {
          await model.dispose();
          throw new Error('the server shut down while the model was loading');
        }
        const loadSeconds = (performance.now() - started) / 1000;
        this.state = { status: 'ready', model };
        onLoaded?.(loadSeconds);
        return model;
      } catch (error) {
        this.state = { status: 'failed', error };
        throw error;
      }
    })();
    return this.loading;
  }

  /**
   * The model, or a 503 `model_not_ready` saying whether it is still loading (`Retry-After`) or failed to load
   * (`x-should-retry: false`: retrying cannot help until an operator fixes the model).
   */
  model(): Model {
    if (this.state.status === 'ready') return this.state.model;
    throw new ServiceError('model_not_ready', this.notReadyMessage(), {
      headers: this.state.status === 'failed' ? { [SHOULD_RETRY_HEADER]: 'false' } : { 'Retry-After': String(LOADING_RETRY_AFTER_SECONDS) },
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

  /** Releases the model when it was loaded; later calls answer 503. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const state = this.state;
    this.state = { status: 'failed', error: new Error('the server is shutting down') };
    if (state.status === 'ready') await state.model.dispose();
  }
}
