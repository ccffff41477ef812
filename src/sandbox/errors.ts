/** Genesys `ErrorBody` errors. Handlers throw ApiError; the server turns it into the wire shape. */

export interface ErrorDetail {
  errorCode?: string;
  fieldName?: string;
}

/** `ErrorBody.limit` (genesys-api.md §3.1): which limit was hit. */
export interface ErrorLimit {
  key: string;
  namespace: string;
  value: number;
}

export interface ErrorBody {
  message: string;
  code: string;
  status: number;
  contextId: string;
  details: ErrorDetail[];
  errors: ErrorBody[];
  limit?: ErrorLimit;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers: Record<string, string> = {},
    readonly limit?: ErrorLimit,
  ) {
    super(message);
  }

  toBody(contextId: string): ErrorBody {
    return { message: this.message, code: this.code, status: this.status, contextId, details: this.details, errors: [], ...(this.limit ? { limit: { ...this.limit } } : {}) };
  }
}

/**
 * A client-supplied value for an error message. JSON.stringify recurses, so a deeply nested value
 * (a 1 MB body of brackets parses fine) would overflow the stack and turn a 400 into a 500.
 */
export function showValue(v: unknown): string {
  if (typeof v === 'string') {
    return v;
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    text = Array.isArray(v) ? '[array]' : `[${typeof v}]`;
  }
  text ??= 'undefined';
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

/** Messages follow the Genesys catalogue (genesys-api.md §3.1) so clients can match on them. */
export const Errors = {
  badRequest: (message = 'The request could not be understood by the server due to malformed syntax.', fieldName?: string) =>
    new ApiError(400, 'bad.request', message, fieldName ? [{ fieldName }] : []),
  invalidValue: (value: unknown, fieldType: string, allowed: readonly string[]) =>
    new ApiError(
      400,
      'invalid.value',
      `Value [${String(value)}] is not valid for field type [${fieldType}]. Allowable values are: ${allowed.join(', ')}`,
      [{ fieldName: fieldType }],
    ),
  invalidDate: (detail: string) =>
    new ApiError(
      400,
      'invalid.date',
      `Dates must be specified as ISO-8601 strings. For example: yyyy-MM-ddTHH:mm:ss.SSSZ. ${detail}`.trim(),
      [{ fieldName: 'interval' }],
    ),
  authRequired: () => new ApiError(401, 'authentication.required', 'No authentication bearer token specified in authorization header.'),
  badCredentials: () => new ApiError(401, 'bad.credentials', 'Invalid login credentials.'),
  missingAnyPermissions: (permissions: readonly string[]) =>
    new ApiError(
      403,
      'missing.any.permissions',
      `Unable to perform the requested action. You must have at least one of the following permissions assigned: [${permissions.join(', ')}]`,
    ),
  notFound: (message = 'The requested resource was not found.') => new ApiError(404, 'not.found', message),
  methodNotAllowed: (method: string) => new ApiError(405, 'method.not.allowed', `HTTP method ${method} is not supported by this resource.`),
  payloadTooLarge: () => new ApiError(413, 'request.entity.too.large', 'The request body exceeds the maximum size of 1 MB.'),
  unsupportedMediaType: (type: string) =>
    new ApiError(415, 'unsupported.media.type', `Content type '${type}' is not supported. Use application/json.`),
  tooManyRequests: (retryAfterSeconds: number) => {
    // Retry-After is whole delta-seconds (RFC 9110); a fractional knob value would not parse in clients.
    const seconds = Math.ceil(retryAfterSeconds);
    return new ApiError(
      429,
      'too.many.requests',
      `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`,
      [],
      { 'Retry-After': String(seconds) },
    );
  },
  /**
   * The org's cap on concurrently running async jobs (genesys-api.md §2.6, §9: "429 or 400 with
   * limit"): a 429, so clients wait Retry-After (until the first running job completes) and retry;
   * nothing was created, so retrying a submission is safe.
   */
  tooManyRunningJobs: (cap: number, retryAfterSeconds: number) => {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new ApiError(
      429,
      'too.many.requests',
      `The maximum of ${cap} concurrently running analytics jobs for this organization was reached. Retry the request in [${seconds}] seconds`,
      [],
      { 'Retry-After': String(seconds) },
      { namespace: 'analytics', key: 'conversation.details.jobs.running.max', value: cap },
    );
  },
  internal: () => new ApiError(500, 'internal.server.error', 'The server encountered an unexpected condition which prevented it from fulfilling the request.'),
  unavailable: () => new ApiError(503, 'service.unavailable', 'Service is currently unavailable. Please try again later.'),
};
