/** In-memory stand-in for vscode.Memento (globalState) that stores JSON copies, as VS Code does. */
export class FakeMemento {
  private readonly _values = new Map<string, string>();

  keys(): readonly string[] {
    return [...this._values.keys()];
  }

  get<T>(key: string, defaultValue?: T): T | undefined {
    const raw = this._values.get(key);
    return raw === undefined ? defaultValue : (JSON.parse(raw) as T);
  }

  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      this._values.delete(key);
    } else {
      this._values.set(key, JSON.stringify(value));
    }
    return Promise.resolve();
  }

  /** Everything stored, serialised: what a test scans for secrets. */
  dump(): string {
    return JSON.stringify(Object.fromEntries(this._values));
  }
}
