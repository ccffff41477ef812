import { Errors } from './errors';
import type { Reply } from './http';
import { optionsToJson, type DeepPartial, type SandboxOptions } from './options';
import type { Sandbox } from './server';

/**
 * /__sandbox/* : the runtime control surface for tests that run the sandbox in another process.
 * Not part of the Genesys API: no auth, no faults, not counted in stats.
 */
export function handleControl(method: string, path: string, query: URLSearchParams, raw: Buffer, sandbox: Sandbox, options: SandboxOptions): Reply {
  const route = `${method} ${path.replace(/\/$/, '')}`;
  switch (route) {
    case 'GET /__sandbox/config':
      return { status: 200, body: optionsToJson(options) };
    case 'PATCH /__sandbox/config': {
      const patch = parse(raw);
      try {
        sandbox.configure(patch as DeepPartial<SandboxOptions>);
      } catch (err) {
        throw Errors.badRequest(err instanceof Error ? err.message : String(err));
      }
      return { status: 200, body: optionsToJson(sandbox.options as SandboxOptions) };
    }
    case 'POST /__sandbox/revoke-tokens':
      sandbox.revokeTokens();
      return { status: 204 };
    case 'GET /__sandbox/stats':
      return { status: 200, body: sandbox.stats() };
    case 'POST /__sandbox/reset-stats':
      sandbox.resetStats();
      return { status: 204 };
    case 'POST /__sandbox/ground-truth': {
      const kind = query.get('route') ?? 'query';
      if (kind !== 'query' && kind !== 'job') {
        throw Errors.badRequest('route must be query or job.', 'route');
      }
      const body = parse(raw);
      if (typeof body !== 'object' || body === null) {
        throw Errors.badRequest('The body must be a query object.');
      }
      return { status: 200, body: { conversationIds: sandbox.groundTruth(body, kind) } };
    }
    default:
      throw Errors.notFound(`No sandbox control route ${route}.`);
  }
}

function parse(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw Errors.badRequest('The body is not valid JSON.');
  }
}
