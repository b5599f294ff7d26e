import { errorMessage } from '../../format.ts';

export type SaveStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Follows the writes of one runner, so the save indicator can re-render on its own without the
 * whole section re-rendering. Implements the store contract of useSyncExternalStore.
 */
export class SaveTracker {
  private status: SaveStatus = { kind: 'idle' };
  private running = 0;
  private lastError: string | null = null;
  private readonly listeners = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SaveStatus => this.status;

  /** Follows a write; the indicator shows "Saved on device" once every write has finished. */
  async track<T>(write: Promise<T>): Promise<T> {
    this.running += 1;
    this.set({ kind: 'saving' });
    try {
      const result = await write;
      this.finish(null);
      return result;
    } catch (error) {
      this.finish(errorMessage(error));
      throw error;
    }
  }

  /** Resolves once no write is running, for example before a submit reads the answers. */
  whenIdle(): Promise<void> {
    if (this.running === 0) {
      return Promise.resolve();
    }

    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private finish(error: string | null): void {
    this.running -= 1;
    this.lastError = error ?? (this.running > 0 ? this.lastError : null);
    if (this.running > 0) {
      return;
    }

    this.set(this.lastError ? { kind: 'failed', message: this.lastError } : { kind: 'saved' });
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) {
      resolve();
    }
  }

  private set(status: SaveStatus): void {
    this.status = status;
    for (const listener of this.listeners) {
      listener();
    }
  }
}
