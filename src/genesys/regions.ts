import * as pc from 'purecloud-platform-client-v2';
import { GenesysError } from './errors';

/** One Genesys Cloud environment (region). `host` is what `ApiClient.setEnvironment` takes. */
export interface RegionInfo {
  /** SDK key, e.g. `eu_west_1`. */
  key: string;
  /** Environment host, e.g. `mypurecloud.ie`. */
  host: string;
  /** Human label for pickers, e.g. "EMEA (Dublin)". */
  label: string;
}

/**
 * A saved connection. The client secret is NOT part of it: the caller keeps it in SecretStorage and
 * passes it to GenesysClient, which never stores or logs it.
 */
export interface Connection {
  id: string;
  name: string;
  kind: 'region' | 'sandbox';
  /** Environment host (e.g. `mypurecloud.ie`) or SDK region key (e.g. `eu_west_1`); for kind 'region'. */
  region?: string;
  /** Base URL of a sandbox, e.g. `http://127.0.0.1:8787`; for kind 'sandbox'. */
  sandboxUrl?: string;
  clientId: string;
}

const LABELS: Record<string, string> = {
  us_east_1: 'Americas (US East)',
  us_east_2: 'Americas (US East 2, FedRAMP)',
  us_west_2: 'Americas (US West)',
  ca_central_1: 'Americas (Canada)',
  sa_east_1: 'Americas (São Paulo)',
  mx_central_1: 'Americas (Mexico)',
  eu_west_1: 'EMEA (Dublin)',
  eu_west_2: 'EMEA (London)',
  eu_central_1: 'EMEA (Frankfurt)',
  eu_central_2: 'EMEA (Zurich)',
  eusc_de_east_1: 'EMEA (EU Sovereign Cloud, Germany)',
  me_central_1: 'Middle East (UAE)',
  ap_south_1: 'Asia Pacific (Mumbai)',
  ap_southeast_1: 'Asia Pacific (Singapore)',
  ap_southeast_2: 'Asia Pacific (Sydney)',
  ap_northeast_1: 'Asia Pacific (Tokyo)',
  ap_northeast_2: 'Asia Pacific (Seoul)',
  ap_northeast_3: 'Asia Pacific (Osaka)',
};

/** Every environment the installed SDK knows, labelled; a key new to the SDK shows under its key. */
export function listRegions(): RegionInfo[] {
  return Object.entries(pc.PureCloudRegionHosts).map(([key, host]) => ({ key, host, label: LABELS[key] ?? key }));
}

/** Finds a region by SDK key (`eu_west_1`, also `eu-west-1`) or host (`mypurecloud.ie`, `api.mypurecloud.ie`). */
export function findRegion(keyOrHost: string): RegionInfo | undefined {
  const needle = keyOrHost.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '').replace(/^(api|login)\./, '');
  return listRegions().find((r) => r.key === needle.replace(/-/g, '_') || r.host === needle);
}

/** Where a connection's requests go, ready for the SDK. */
export type ConnectionTarget =
  | { kind: 'region'; region: RegionInfo }
  | { kind: 'sandbox'; url: string; gateway: { host: string; port?: number; protocol: 'http' | 'https'; path_params_api?: string; path_params_login?: string } };

/** Validates a connection and works out its target, throwing GenesysError('config') — no request is sent. */
export function resolveConnectionTarget(connection: Connection): ConnectionTarget {
  if (!connection.clientId || connection.clientId.trim() === '') {
    throw new GenesysError({ kind: 'config', message: `Connection '${connection.name}' has no OAuth client ID.` });
  }
  if (connection.kind === 'region') {
    const region = connection.region ? findRegion(connection.region) : undefined;
    if (!region) {
      throw new GenesysError({
        kind: 'config',
        message: `Unknown Genesys Cloud region '${connection.region ?? ''}' for connection '${connection.name}'. Pick one of: ${listRegions().map((r) => `${r.label} (${r.host})`).join(', ')}.`,
      });
    }
    return { kind: 'region', region };
  }
  if (connection.kind === 'sandbox') {
    let url: URL;
    try {
      url = new URL(connection.sandboxUrl ?? '');
    } catch {
      throw new GenesysError({ kind: 'config', message: `The sandbox URL '${connection.sandboxUrl ?? ''}' of connection '${connection.name}' is not a valid URL (expected e.g. http://127.0.0.1:8787).` });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new GenesysError({ kind: 'config', message: `The sandbox URL '${connection.sandboxUrl ?? ''}' must start with http:// or https://.` });
    }
    const path = url.pathname.replace(/\/+$/, '');
    return {
      kind: 'sandbox',
      url: url.origin + path,
      gateway: {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        ...(url.port ? { port: Number(url.port) } : {}),
        protocol: url.protocol === 'http:' ? 'http' : 'https',
        ...(path ? { path_params_api: path, path_params_login: path } : {}),
      },
    };
  }
  throw new GenesysError({ kind: 'config', message: `Connection '${connection.name}' has an unknown kind.` });
}
