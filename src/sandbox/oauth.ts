import type { TokenStore } from './auth';
import { parseBasic } from './auth';
import type { Reply } from './http';
import type { SandboxOptions } from './options';

/** OAuth errors use the login service's shape, not ErrorBody (genesys-api.md §4). */
function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, description, error_description: description } };
}

/** POST /oauth/token, client-credentials grant only. Any content type is accepted. */
export function issueToken(headers: Record<string, string | string[] | undefined>, rawBody: Buffer, o: SandboxOptions, tokens: TokenStore, now: number): Reply {
  const creds = parseBasic(typeof headers.authorization === 'string' ? headers.authorization : undefined);
  if (!creds || creds.clientId !== o.clientId || creds.clientSecret !== o.clientSecret) {
    return oauthError(401, 'invalid_client', 'client is invalid or the client secret does not match');
  }
  const grant = grantType(rawBody.toString('utf8'));
  if (grant !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `grant type ${grant ? `'${grant}' ` : ''}is not supported; use client_credentials`);
  }
  const token = tokens.issue(creds.clientId, o.tokenTtlSeconds, now);
  return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: o.tokenTtlSeconds } };
}

function grantType(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(trimmed);
      if (typeof v === 'object' && v !== null && 'grant_type' in v && typeof v.grant_type === 'string') {
        return v.grant_type;
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  return new URLSearchParams(trimmed).get('grant_type') ?? undefined;
}
