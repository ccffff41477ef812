import type { RegionInfo } from '../../genesys/regions';
import { listRegions } from '../../genesys/regions';
import type { SavedConnection } from './savedConnections';

/** Picker label for a region: "Americas (US East) — mypurecloud.com". */
export function regionPickLabel(region: RegionInfo): string {
  return `${region.label} — ${region.host}`;
}

/** The SDK's regions, Americas first then EMEA, Middle East, Asia Pacific, each group in SDK order. */
export function regionsForPicker(): RegionInfo[] {
  const order = ['Americas', 'EMEA', 'Middle East', 'Asia Pacific'];
  const rank = (r: RegionInfo): number => {
    const i = order.findIndex((prefix) => r.label.startsWith(prefix));
    return i === -1 ? order.length : i;
  };
  return listRegions()
    .map((r, index) => ({ r, index }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.index - b.index)
    .map(({ r }) => r);
}

export const MAX_NAME_LENGTH = 60;

/** A connection name: not blank, not too long, unique (case-insensitively) among the others. */
export function validateConnectionName(value: string, existing: readonly Pick<SavedConnection, 'id' | 'name'>[], ownId?: string): string | undefined {
  const name = value.trim();
  if (name === '') {
    return 'Enter a name for this connection, for example "Acme production".';
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `Keep the name under ${MAX_NAME_LENGTH} characters (it has ${name.length}).`;
  }
  if ([...name].some((ch) => ch.charCodeAt(0) < 0x20)) {
    return 'The name cannot contain control characters.';
  }
  const clash = existing.find((c) => c.id !== ownId && c.name.trim().toLowerCase() === name.toLowerCase());
  return clash ? `A connection named "${clash.name}" already exists: pick another name, or sign out of that one first.` : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A client ID. Genesys Cloud OAuth client IDs are UUIDs, so for a real region anything else (often the
 * secret pasted into the wrong box) is caught here; a sandbox accepts any non-blank ID.
 */
export function validateClientId(value: string, kind: 'region' | 'sandboxUrl'): string | undefined {
  const id = value.trim();
  if (id === '') {
    return 'Enter the client ID of an OAuth client that uses the Client Credentials grant (Admin > Integrations > OAuth).';
  }
  if (/\s/.test(id)) {
    return 'A client ID has no spaces.';
  }
  if (kind === 'region' && !UUID.test(id)) {
    return 'A Genesys Cloud client ID looks like 0a1b2c3d-1234-5678-9abc-0123456789ab (copy it from Admin > Integrations > OAuth).';
  }
  return undefined;
}

export function validateClientSecret(value: string): string | undefined {
  if (value === '') {
    return 'Enter the client secret of the OAuth client.';
  }
  if (value.trim() !== value) {
    return 'The secret starts or ends with a space; copy it again without surrounding spaces.';
  }
  return undefined;
}

/** A sandbox base URL: http(s), a host, no query or fragment. Returns the normalised URL or a message. */
export function parseSandboxUrl(value: string): { url: string } | { problem: string } {
  const text = value.trim();
  if (text === '') {
    return { problem: 'Enter the URL the sandbox prints at start, for example http://127.0.0.1:8787.' };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `"${text}" is not a URL; expected something like http://127.0.0.1:8787.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: 'The URL must start with http:// or https://.' };
  }
  if (url.username || url.password) {
    return { problem: 'Put no credentials in the URL; the client ID and secret are asked next.' };
  }
  if (url.search || url.hash) {
    return { problem: 'The URL cannot have a query (?…) or fragment (#…).' };
  }
  return { url: url.origin + url.pathname.replace(/\/+$/, '') };
}

export function validateSandboxUrl(value: string): string | undefined {
  const parsed = parseSandboxUrl(value);
  return 'problem' in parsed ? parsed.problem : undefined;
}
