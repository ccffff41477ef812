/** In-memory stand-in for vscode.SecretStorage, with its change event. */
export class FakeSecretStorage {
  private readonly _values = new Map<string, string>();
  private readonly _listeners = new Set<(e: { key: string }) => void>();

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this._values.get(key));
  }

  keys(): Promise<string[]> {
    return Promise.resolve([...this._values.keys()]);
  }

  store(key: string, value: string): Promise<void> {
    this._values.set(key, value);
    this._fire(key);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    if (this._values.delete(key)) {
      this._fire(key);
    }
    return Promise.resolve();
  }

  /** A change made by another window: same storage, same event. */
  simulateExternalDelete(key: string): void {
    this._values.delete(key);
    this._fire(key);
  }

  readonly onDidChange = (listener: (e: { key: string }) => void): { dispose(): void } => {
    this._listeners.add(listener);
    return { dispose: () => this._listeners.delete(listener) };
  };

  private _fire(key: string): void {
    for (const l of [...this._listeners]) {
      l({ key });
    }
  }
}
