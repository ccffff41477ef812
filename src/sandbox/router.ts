import type { Handler } from './http';

export interface Route {
  method: string;
  /** Path template, e.g. /api/v2/analytics/conversations/details/jobs/{jobId}. */
  template: string;
  handler: Handler;
  /** POST/PATCH bodies must be JSON (else 415). */
  jsonBody?: boolean;
  /** The client needs any one of these (else 403 missing.any.permissions); absent = none needed. */
  permissions?: readonly string[];
}

interface CompiledRoute extends Route {
  re: RegExp;
  names: string[];
}

export type RouteMatch = { kind: 'found'; route: Route; params: Record<string, string> } | { kind: 'wrongMethod'; allowed: string[] } | { kind: 'none' };

/**
 * Literal segments win over parameters (so .../jobs/availability never reaches .../jobs/{jobId}):
 * routes are tried most-literal first.
 */
export class Router {
  private readonly _routes: CompiledRoute[] = [];

  add(route: Route): void {
    const names: string[] = [];
    const pattern = route.template
      .split('/')
      .map((seg) => {
        const m = /^\{(\w+)\}$/.exec(seg);
        if (m) {
          names.push(m[1]);
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this._routes.push({ ...route, re: new RegExp(`^${pattern}/?$`), names });
    this._routes.sort((a, b) => b.template.split('/').filter((s) => !s.startsWith('{')).length - a.template.split('/').filter((s) => !s.startsWith('{')).length);
  }

  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    for (const r of this._routes) {
      const m = r.re.exec(path);
      if (!m) {
        continue;
      }
      if (r.method !== method) {
        allowed.push(r.method);
        continue;
      }
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => {
        params[n] = safeDecode(m[i + 1]);
      });
      return { kind: 'found', route: r, params };
    }
    return allowed.length > 0 ? { kind: 'wrongMethod', allowed } : { kind: 'none' };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
