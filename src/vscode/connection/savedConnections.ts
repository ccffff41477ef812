import { randomUUID } from 'node:crypto';
import type { Connection } from '../../genesys/regions';
import { findRegion } from '../../genesys/regions';
import type { OrgInfo } from '../../genesys/types';

/** The Memento methods used here (vscode.ExtensionContext.globalState satisfies it). */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/**
 * What is remembered about a signed-in connection, in globalState. Never the client secret or a token:
 * the secret lives in SecretStorage under the same id, and tokens only in memory.
 */
export interface SavedConnection {
  /** Stable id: the SecretStorage key suffix, and the id run manifests and history record. */
  readonly id: string;
  /** The user's name for it ("Acme prod"). */
  readonly name: string;
  /** Region host (`mypurecloud.ie`) for a real org; absent for a sandbox at a URL. */
  readonly region?: string;
  /** Base URL of a standalone sandbox (`http://127.0.0.1:8787`); absent for a real org. */
  readonly sandboxUrl?: string;
  readonly clientId: string;
  /** Runs ask for confirmation first (setting `genesysCloud.confirmRunsOnProduction`). */
  readonly production: boolean;
  /** Who the credentials signed in as, last time they were checked. */
  readonly org?: OrgInfo;
}

/** What the sign-in flow collects; the secret is split off before anything is persisted. */
export interface SignInAnswers {
  readonly name: string;
  readonly target: { readonly kind: 'region'; readonly host: string } | { readonly kind: 'sandboxUrl'; readonly url: string };
  readonly clientId: string;
  readonly clientSecret: string;
  readonly production: boolean;
}

const STATE_KEY = 'genesysCloud.connections';
const ID_PATTERN = /^c-[0-9a-f]{12}$/;

export function newConnectionId(): string {
  return `c-${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** Splits sign-in answers into the metadata to persist and the secret for SecretStorage. */
export function splitSecret(id: string, answers: SignInAnswers, org?: OrgInfo): { metadata: SavedConnection; clientSecret: string } {
  const metadata: SavedConnection = {
    id,
    name: answers.name.trim(),
    ...(answers.target.kind === 'region' ? { region: answers.target.host } : { sandboxUrl: answers.target.url }),
    clientId: answers.clientId.trim(),
    production: answers.production,
    ...(org ? { org: { orgId: org.orgId, orgName: org.orgName, ...(org.clientName ? { clientName: org.clientName } : {}) } } : {}),
  };
  return { metadata, clientSecret: answers.clientSecret };
}

/** The facade's view of a saved connection (src/genesys builds the SDK client from it). */
export function toGenesysConnection(saved: SavedConnection): Connection {
  return saved.sandboxUrl !== undefined
    ? { id: saved.id, name: saved.name, kind: 'sandbox', sandboxUrl: saved.sandboxUrl, clientId: saved.clientId }
    : { id: saved.id, name: saved.name, kind: 'region', region: saved.region, clientId: saved.clientId };
}

/** "EMEA (Dublin)" for a region, "sandbox at 127.0.0.1:8787" for a URL. */
export function whereLabel(saved: Pick<SavedConnection, 'region' | 'sandboxUrl'>): string {
  if (saved.sandboxUrl !== undefined) {
    try {
      return `sandbox at ${new URL(saved.sandboxUrl).host}`;
    } catch {
      return `sandbox at ${saved.sandboxUrl}`;
    }
  }
  const region = saved.region ? findRegion(saved.region) : undefined;
  return region?.label ?? saved.region ?? 'unknown region';
}

/** Drops entries that are not well-formed (hand-edited or from a newer version) instead of failing. */
function isSaved(value: unknown): value is SavedConnection {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    ID_PATTERN.test(v.id) &&
    typeof v.name === 'string' &&
    typeof v.clientId === 'string' &&
    typeof v.production === 'boolean' &&
    (typeof v.region === 'string') !== (typeof v.sandboxUrl === 'string')
  );
}

/** The list of saved connections in globalState (shared by every window of the profile). */
export class SavedConnectionStore {
  constructor(private readonly _memento: MementoLike) {}

  list(): SavedConnection[] {
    const raw = this._memento.get<unknown>(STATE_KEY);
    return Array.isArray(raw) ? raw.filter(isSaved) : [];
  }

  get(id: string): SavedConnection | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** Adds or replaces (by id). Only whitelisted fields are written, whatever the caller's object holds. */
  async save(connection: SavedConnection): Promise<void> {
    const clean: SavedConnection = {
      id: connection.id,
      name: connection.name,
      ...(connection.region !== undefined ? { region: connection.region } : {}),
      ...(connection.sandboxUrl !== undefined ? { sandboxUrl: connection.sandboxUrl } : {}),
      clientId: connection.clientId,
      production: connection.production,
      ...(connection.org ? { org: { orgId: connection.org.orgId, orgName: connection.org.orgName, ...(connection.org.clientName ? { clientName: connection.org.clientName } : {}) } } : {}),
    };
    if (!isSaved(clean)) {
      throw new Error(`Refusing to save a malformed connection '${connection.name}'`);
    }
    const others = this.list().filter((c) => c.id !== clean.id);
    await this._memento.update(STATE_KEY, [...others, clean]);
  }

  async remove(id: string): Promise<SavedConnection | undefined> {
    const all = this.list();
    const removed = all.find((c) => c.id === id);
    if (removed) {
      await this._memento.update(STATE_KEY, all.filter((c) => c.id !== id));
    }
    return removed;
  }

  async setProduction(id: string, production: boolean): Promise<SavedConnection | undefined> {
    const found = this.get(id);
    if (!found) {
      return undefined;
    }
    const updated = { ...found, production };
    await this.save(updated);
    return updated;
  }
}
