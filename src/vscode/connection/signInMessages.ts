import { classifyError, PERMISSION_DETAIL_VIEW } from '../../genesys/errors';
import type { OrgInfo } from '../../genesys/types';
import type { SavedConnection } from './savedConnections';
import { whereLabel } from './savedConnections';

type Described = Pick<SavedConnection, 'name' | 'region' | 'sandboxUrl' | 'clientId'>;

/** "Connected to Acme as Analytics Export" (the OAuth client's name, else its ID). */
export function connectedMessage(org: OrgInfo, clientId: string): string {
  return `Connected to ${org.orgName || org.orgId || 'the org'} as ${org.clientName ?? clientId}`;
}

/**
 * One precise sentence for a failed sign-in check, from the classified GenesysError: which part is
 * wrong (credentials, region/host, permission) and what to do. Never includes the secret.
 */
export function describeSignInFailure(err: unknown, connection: Described): string {
  const error = classifyError(err, 'checkConnection');
  const where = whereLabel(connection);
  const host = connection.sandboxUrl ?? (connection.region ? `api.${connection.region}` : where);
  const prefix = `Could not sign in to "${connection.name}"`;
  switch (error.kind) {
    case 'auth': {
      const code = error.code ?? 'invalid_client';
      const regionHint = connection.sandboxUrl
        ? ''
        : ` OAuth clients exist in one region only: check that the org lives in ${where} (${connection.region ?? ''}).`;
      return `${prefix}: ${where} rejected the client ID or secret (${code}). Check the client ID ${connection.clientId} and its secret, and that the client uses the Client Credentials grant.${regionHint}`;
    }
    case 'network': {
      const hint = connection.sandboxUrl
        ? 'Is the sandbox running (`npm run sandbox`) at that URL?'
        : 'Check the region, your network and any proxy (settings http.proxy).';
      return `${prefix}: cannot reach ${host} (${error.errno ?? 'unreachable'}). ${hint}`;
    }
    case 'permission':
      return `${prefix}: the OAuth client is missing a permission: give its role ${(error.permissions ?? [PERMISSION_DETAIL_VIEW]).map((p) => `'${p}'`).join(' or ')}.`;
    case 'transient':
      return `${prefix}: ${host} did not answer properly (${error.status !== undefined ? `HTTP ${error.status}` : (error.errno ?? 'timeout')}). Try again in a moment.`;
    case 'notFound':
      return `${prefix}: ${host} does not look like a Genesys Cloud API (404 on the organization endpoints). Check the region or URL.`;
    default:
      return `${prefix}: ${error.message}`;
  }
}

/** Sign-in worked but the client cannot run analytics queries: name the missing permission. */
export function missingPermissionWarning(org: OrgInfo, clientId: string, permissions: readonly string[] | undefined): string {
  const names = (permissions && permissions.length > 0 ? permissions : [PERMISSION_DETAIL_VIEW]).map((p) => `'${p}'`).join(' or ');
  return `${connectedMessage(org, clientId)}, but the OAuth client is missing the permission ${names}: add it to the client's role before running queries.`;
}
