import { randomBytes } from 'node:crypto';

interface TokenRecord {
  clientId: string;
  expiresAt: number;
}

/** Live tokens kept at most; past it the oldest is forgotten (its holder gets 401 bad.credentials and logs in again). */
export const MAX_TOKENS = 10_000;

/** Issued bearer tokens. Random (crypto) so nothing can guess one; expiry checked on every call. */
export class TokenStore {
  private readonly _tokens = new Map<string, TokenRecord>();

  get size(): number {
    return this._tokens.size;
  }

  issue(clientId: string, ttlSeconds: number, now: number): string {
    this._prune(now);
    const token = randomBytes(32).toString('base64url');
    this._tokens.set(token, { clientId, expiresAt: now + ttlSeconds * 1000 });
    return token;
  }

  /** The client id behind a live token, or undefined when unknown, revoked or expired. */
  check(token: string, now: number): string | undefined {
    const rec = this._tokens.get(token);
    if (!rec) {
      return undefined;
    }
    if (now >= rec.expiresAt) {
      this._tokens.delete(token);
      return undefined;
    }
    return rec.clientId;
  }

  revoke(token: string): void {
    this._tokens.delete(token);
  }

  revokeAll(): void {
    this._tokens.clear();
  }

  private _prune(now: number): void {
    // Long-running sandboxes (benchmarks log in thousands of times) must not grow without bound.
    // Dropping only expired tokens is not enough: with the default 24 h TTL none has expired yet.
    if (this._tokens.size < MAX_TOKENS) {
      return;
    }
    for (const [t, rec] of this._tokens) {
      if (now >= rec.expiresAt) {
        this._tokens.delete(t);
      }
    }
    // Maps iterate in insertion order: the first keys are the oldest tokens.
    for (const t of this._tokens.keys()) {
      if (this._tokens.size < MAX_TOKENS) {
        break;
      }
      this._tokens.delete(t);
    }
  }
}

export type BasicCredentials = { clientId: string; clientSecret: string };

export function parseBasic(header: string | undefined): BasicCredentials | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=._-]+)\s*$/i.exec(header ?? '');
  if (!m) {
    return undefined;
  }
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return undefined;
  }
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

export function parseBearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : undefined;
}
