/**
 * Rejection value for work stopped on purpose (an aborted AbortSignal). The UI shows no error toast for
 * it. The genesys layer wraps it into a GenesysError of kind 'cancelled'; plain helpers in common/ throw
 * this one so they need nothing from genesys/.
 */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'The operation was cancelled.') {
    super(message);
  }
}

export function isCancelledError(err: unknown): err is CancelledError {
  return err instanceof CancelledError;
}

/** Throws CancelledError when the signal has already fired, so loops stop between steps. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new CancelledError();
  }
}

/**
 * Runs `fn` with `signal` as well as a private controller aborted when `parent` aborts; the listener is
 * removed when `fn` settles, so long-lived parent signals do not accumulate listeners.
 */
export async function withLinkedSignal<T>(
  parent: AbortSignal | undefined,
  fn: (signal: AbortSignal, controller: AbortController) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) {
    controller.abort(parent.reason);
  } else {
    parent?.addEventListener('abort', onAbort, { once: true });
  }
  try {
    return await fn(controller.signal, controller);
  } finally {
    parent?.removeEventListener('abort', onAbort);
  }
}
