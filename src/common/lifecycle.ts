/** Anything that holds a resource until disposed; structurally identical to vscode.Disposable. */
export interface IDisposable {
  dispose(): void;
}

/** Collects disposables and refuses new ones once disposed, so late registrations cannot leak. */
export class DisposableStore implements IDisposable {
  private readonly _items = new Set<IDisposable>();
  private _disposed = false;

  get isDisposed(): boolean {
    return this._disposed;
  }

  add<T extends IDisposable>(item: T): T {
    if (this._disposed) {
      item.dispose();
      throw new Error('DisposableStore is already disposed');
    }
    this._items.add(item);
    return item;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    const errors: unknown[] = [];
    for (const item of [...this._items].reverse()) {
      try {
        item.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    this._items.clear();
    if (errors.length > 0) {
      throw new AggregateError(errors, 'Errors while disposing');
    }
  }
}

/** Base class whose owned resources are released with it. */
export abstract class Disposable implements IDisposable {
  private readonly _store = new DisposableStore();

  protected _register<T extends IDisposable>(item: T): T {
    return this._store.add(item);
  }

  dispose(): void {
    this._store.dispose();
  }
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}
