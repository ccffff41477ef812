import type * as vscode from 'vscode';
import type { Event } from '../../common/emitter';
import { Emitter } from '../../common/emitter';
import type { IDisposable } from '../../common/lifecycle';
import { SecretKeys } from '../../constants';

const PROFILE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The only owner of SecretStorage: OAuth client secrets per profile. Profile metadata (client ID,
 * region, label) belongs in Memento; only the secret lives here. Fires when another window signs a
 * profile in or out, because SecretStorage change events cross windows. Uses only the SecretStorage
 * interface (type import), so unit tests run it over an in-memory fake.
 */
export class SecretStore implements IDisposable {
  private readonly _onDidChangeClientSecret = new Emitter<string>();
  /** Fires with the profile id whose client secret was stored or deleted (in this window or another). */
  readonly onDidChangeClientSecret: Event<string> = this._onDidChangeClientSecret.event;
  private readonly _subscription: IDisposable;

  constructor(private readonly _secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>) {
    this._subscription = _secrets.onDidChange((e) => {
      if (e.key.startsWith(SecretKeys.clientSecretPrefix)) {
        this._onDidChangeClientSecret.fire(e.key.slice(SecretKeys.clientSecretPrefix.length));
      }
    });
  }

  async getClientSecret(profileId: string): Promise<string | undefined> {
    return this._secrets.get(key(profileId));
  }

  async storeClientSecret(profileId: string, secret: string): Promise<void> {
    if (secret.length === 0) {
      throw new Error('A client secret cannot be empty');
    }
    await this._secrets.store(key(profileId), secret);
  }

  async hasClientSecret(profileId: string): Promise<boolean> {
    return (await this._secrets.get(key(profileId))) !== undefined;
  }

  async deleteClientSecret(profileId: string): Promise<void> {
    await this._secrets.delete(key(profileId));
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
