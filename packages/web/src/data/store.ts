// A small observable value for state that lives in memory only (the session and the sync
// engine's progress). React reads it through useSyncExternalStore, which needs a stable
// snapshot: every change replaces the object, so an unchanged value keeps its identity.

type Listener = () => void;

export class Store<T extends object> {
  private value: T;
  private readonly listeners = new Set<Listener>();

  constructor(initial: T) {
    this.value = initial;
  }

  readonly get = (): T => this.value;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Merges `patch` into the value and notifies listeners when a field changed. */
  update(patch: Partial<T>): void {
    const changed = Object.entries(patch).some(
      ([key, next]) => !Object.is(this.value[key as keyof T], next),
    );
    if (!changed) return;

    this.value = { ...this.value, ...patch };
    for (const listener of this.listeners) listener();
  }
}
