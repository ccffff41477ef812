/**
 * Runs one file operation and, when it fails with a Node error that does not say which file (writes
 * and syncs on an open FileHandle report only `ENOSPC … write`), records `path` on it, so the error the
 * user sees (a 'local-io' GenesysError) names the file.
 */
export async function withPath<T>(path: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).path === undefined) {
      (err as NodeJS.ErrnoException).path = path;
    }
    throw err;
  }
}
