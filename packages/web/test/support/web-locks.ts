import type { LockRequester } from '../../src/data/device.ts';

// Node has no Web Locks API. This manager grants exclusive locks in request order, as
// navigator.locks does for the tabs of one browser, so tests can run two tabs side by side.

export class TestLockManager implements LockRequester {
  /** Per lock name, a promise that settles when the last holder or waiter has finished. */
  private readonly queues = new Map<string, Promise<void>>();
  /** Per lock name, how many requests wait for the lock. */
  private readonly waiting = new Map<string, number>();

  async request<T>(
    name: string,
    options: { readonly ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T> {
    const previous = this.queues.get(name);
    if (previous && options.ifAvailable) return callback(null);

    let release: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = (previous ?? Promise.resolve()).then(() => done);
    this.queues.set(name, queue);
    this.waiting.set(name, this.waitersOf(name) + 1);
    await previous;
    this.waiting.set(name, this.waitersOf(name) - 1);
    try {
      return await callback({ name });
    } finally {
      release();
      if (this.queues.get(name) === queue) this.queues.delete(name);
    }
  }

  waitersOf(name: string): number {
    return this.waiting.get(name) ?? 0;
  }

  /** Takes a lock as another tab would; resolves with the function that releases it. */
  async hold(name: string): Promise<() => void> {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await new Promise<void>((granted) => {
      void this.request(name, {}, () => {
        granted();
        return released;
      });
    });
    return release;
  }
}
