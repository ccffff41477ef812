import type { IDisposable } from './lifecycle';

/** Listener registration in the shape of vscode.Event, so the UI can adapt it one-to-one. */
export type Event<T> = (listener: (e: T) => void) => IDisposable;

/** A minimal typed event emitter; a throwing listener never stops the others. */
export class Emitter<T> implements IDisposable {
  private _listeners = new Set<(e: T) => void>();
  private _disposed = false;

  readonly event: Event<T> = (listener) => {
    if (this._disposed) {
      return { dispose: () => undefined };
    }
    this._listeners.add(listener);
    return { dispose: () => this._listeners.delete(listener) };
  };

  fire(e: T): void {
    for (const listener of [...this._listeners]) {
      try {
        listener(e);
      } catch {
        // A broken listener must not break the producer (a runner mid-walk); it is the listener's bug.
      }
    }
  }

  get listenerCount(): number {
    return this._listeners.size;
  }

  dispose(): void {
    this._disposed = true;
    this._listeners.clear();
  }
}
