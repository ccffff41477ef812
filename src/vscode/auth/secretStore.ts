import * as vscode from 'vscode';
import { SecretKeys } from '../../constants';

const PROFILE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The only owner of SecretStorage: OAuth client secrets per profile. Profile metadata (client ID,
 * region, label) belongs in Memento; only the secret lives here. Fires when another window signs a
 * profile in or out, because SecretStorage change events cross windows.
 */
export class SecretStore implements vscode.Disposable {
  private readonly _onDidChangeClientSecret = new vscode.EventEmitter<string>();
  /** Fires with the profile id whose client secret was stored or deleted (in this window or another). */
  readonly onDidChangeClientSecret = this._onDidChangeClientSecret.event;
  private readonly _subscription: vscode.Disposable;

  constructor(private readonly _secrets: vscode.SecretStorage) {
    this._subscription = _secrets.onDidChange((e) => {
      if (e.key.startsWith(SecretKeys.clientSecretPrefix)) {
        this._onDidChangeClientSecret.fire(e.key.slice(SecretKeys.clientSecretPrefix.length));
      }
    });
  }

  getClientSecret(profileId: string): Thenable<string | undefined> {
    return this._secrets.get(key(profileId));
  }

  storeClientSecret(profileId: string, secret: string): Thenable<void> {
    if (secret.length === 0) {
      throw new Error('A client secret cannot be empty');
    }
    return this._secrets.store(key(profileId), secret);
  }

  deleteClientSecret(profileId: string): Thenable<void> {
    return this._secrets.delete(key(profileId));
  }

  dispose(): void {
    this._subscription.dispose();
    this._onDidChangeClientSecret.dispose();
  }
}

function key(profileId: string): string {
  if (!PROFILE_ID.test(profileId)) {
    throw new Error(`Invalid profile id: ${JSON.stringify(profileId)}`);
  }
  return `${SecretKeys.clientSecretPrefix}${profileId}`;
}
