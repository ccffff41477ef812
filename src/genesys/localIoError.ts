import type { GenesysErrorInit } from './errors';

/** Codes of local file-system failures (never of a socket that reached or failed to reach a host). */
const LOCAL_IO_CODES = new Set([
  'ENOSPC', 'EDQUOT', 'EFBIG', 'EACCES', 'EPERM', 'EROFS', 'EEXIST', 'ENOENT', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY',
  'EMFILE', 'ENFILE', 'EBUSY', 'EIO', 'EXDEV', 'EBADF', 'ELOOP', 'ENAMETOOLONG',
]);

const LOCAL_IO_ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full. Free some space (or lower genesysCloud.results.cacheMaxSizeMB)',
  EDQUOT: 'the disk quota is used up. Free some space (or lower genesysCloud.results.cacheMaxSizeMB)',
  EFBIG: 'the file is larger than the system allows. Free space or raise the file-size limit',
  EACCES: 'permission denied. Check that VS Code may write to this folder',
  EPERM: 'the operation is not permitted. Check the permissions of this folder',
  EROFS: 'the file system is read-only',
  EEXIST: 'it already exists',
  ENOENT: 'it does not exist (it may have been deleted meanwhile)',
  EMFILE: 'too many files are open. Close some editors or processes',
  ENFILE: 'too many files are open on this system',
};

/**
 * A Node file-system error (ENOSPC, EACCES, EEXIST…) as the fields of a 'local-io' GenesysError naming
 * the path, or undefined for anything else. classifyError checks it before the ErrorBody shapes: such
 * an error also has a string `code`, and must never read like "Genesys Cloud rejected the request (HTTP 400 ENOSPC)".
 */
export function localIoInit(err: unknown): GenesysErrorInit | undefined {
  const rec = err !== null && typeof err === 'object' ? (err as Record<string, unknown>) : undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const code = str(rec?.code);
  if (!(err instanceof Error) || !rec || !code || !LOCAL_IO_CODES.has(code) || typeof rec.address === 'string') {
    return undefined;
  }
  const path = str(rec.dest) && code !== 'ENOENT' ? str(rec.dest) : str(rec.path);
  const what = LOCAL_IO_ADVICE[code] ?? `the operation failed (${err.message})`;
  return {
    kind: 'local-io',
    errno: code,
    path,
    cause: err,
    message: `A local file could not be written or read${path ? ` (${path})` : ''}: ${what} (${code}). This is a problem on this computer, not at Genesys Cloud.`,
  };
}

