import { cancelledError, classifyError } from './errors';

/**
 * Settles with `promise`, or rejects with a cancelled GenesysError as soon as `signal` aborts, without
 * waiting for `promise` (which keeps running; its own signal handling stops the underlying request).
 * Any other rejection comes out classified, so callers only ever see GenesysError.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return promise;
  }
  if (signal.aborted) {
    return Promise.reject(cancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(classifyError(e));
      },
    );
  });
}
