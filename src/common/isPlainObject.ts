/** True for a JSON object (not null, not an array): the one guard for reading untrusted JSON bodies. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
