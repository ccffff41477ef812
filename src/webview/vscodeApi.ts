import type { PersistedViewState, WebviewMessage } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Typed access to the host: one sender for every message, and the page's saved view state. */
export interface HostChannel {
  post(message: WebviewMessage): void;
  savedState(): unknown;
  saveState(state: PersistedViewState): void;
}

export function hostChannel(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    savedState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}
