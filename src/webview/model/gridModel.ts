/**
 * The webview's whole model and the pure reducer that applies host messages to it (STYLE §2.10). The DOM
 * layer (../main.ts) only renders a model and turns user gestures into new states and requests.
 */
import type { Cell, ColumnInfo, DistinctValue } from '../../results/view/viewTypes';
import type { HostMessage, NameMap, PersistedViewState, RequestKind, RequestMap, RequestMessage, RunStatus } from '../../shared/protocol';

export interface LoadedWindow {
  readonly offset: number;
  readonly rows: readonly (readonly Cell[])[];
  /** Column ids of each row's cells, in order. */
  readonly columns: readonly string[];
  readonly names: NameMap;
  /** Genesys pages: the cache row of the first row (row details ask for cache rows, not Genesys numbering). */
  readonly sourceOffset?: number;
}

export interface DistinctState {
  readonly column: string;
  readonly values?: readonly DistinctValue[];
  readonly names: NameMap;
  readonly error?: string;
}

export interface DetailsState {
  readonly offset: number;
  readonly record?: unknown;
  readonly error?: string;
}

export interface GridModel {
  /** Undefined until the host's `init`. */
  readonly state?: PersistedViewState;
  readonly status?: RunStatus;
  /** Columns of `state.grain` (undefined while they load). */
  readonly columns?: readonly ColumnInfo[];
  /** Rows in the filtered view; undefined until the first window answered. */
  readonly total?: number;
  readonly window?: LoadedWindow;
  /** The loaded window belongs to an older view or older data: keep showing it, but fetch again. */
  readonly windowStale: boolean;
  readonly loadingWindow: boolean;
  /** Column ids of the newest window request, so its answer's cells can be matched to columns. */
  readonly requestedColumns?: readonly string[];
  /** The last failed request, shown as an error banner until the next success. */
  readonly error?: string;
  readonly distinct?: DistinctState;
  readonly details?: DetailsState;
  readonly notice?: string;
  /** Newest request id per kind: older answers are dropped. */
  readonly latest: Readonly<Partial<Record<RequestKind, number>>>;
  readonly nextId: number;
}

export function initialModel(): GridModel {
  return { windowStale: true, loadingWindow: false, latest: {}, nextId: 1 };
}

/** Numbers a request and remembers it as the newest of its kind. */
export function makeRequest<K extends RequestKind>(model: GridModel, kind: K, params: RequestMap[K]['params']): [GridModel, RequestMessage] {
  const id = model.nextId;
  const message = { type: 'request', id, kind, params } as RequestMessage;
  const next: GridModel = {
    ...model,
    nextId: id + 1,
    latest: { ...model.latest, [kind]: id },
    ...(kind === 'window' ? { loadingWindow: true, requestedColumns: (params as RequestMap['window']['params']).columns } : {}),
  };
  return [next, message];
}

/** The view changed (sort, filter, grain, columns): what is loaded no longer matches it. */
export function viewChanged(model: GridModel, state: PersistedViewState, grainChanged: boolean): GridModel {
  return {
    ...model,
    state,
    windowStale: true,
    details: undefined,
    distinct: undefined,
    ...(grainChanged ? { columns: undefined, window: undefined, total: undefined } : {}),
  };
}

export function reduce(model: GridModel, msg: HostMessage): GridModel {
  switch (msg.type) {
    case 'init':
      // A new page load or a run switch: everything but the id counter starts over.
      return { ...initialModel(), nextId: model.nextId, state: msg.state, status: msg.status, ...(msg.columns ? { columns: msg.columns } : {}) };
    case 'status': {
      const grew = model.status !== undefined && msg.status.dataVersion !== model.status.dataVersion;
      return { ...model, status: msg.status, windowStale: model.windowStale || grew };
    }
    case 'notice':
      return { ...model, notice: msg.text };
    case 'response':
      return reduceResponse(model, msg);
  }
}

function reduceResponse(model: GridModel, msg: Extract<HostMessage, { type: 'response' }>): GridModel {
  if (model.latest[msg.kind] !== msg.id) {
    return model; // superseded by a newer request of the same kind
  }
  if (!msg.ok) {
    if (msg.superseded) {
      return model;
    }
    switch (msg.kind) {
      case 'window':
        return { ...model, loadingWindow: false, windowStale: false, error: msg.error };
      case 'distinct':
        return model.distinct ? { ...model, distinct: { ...model.distinct, error: msg.error } } : model;
      case 'rowRecord':
        return model.details ? { ...model, details: { ...model.details, error: msg.error } } : model;
      default:
        return { ...model, error: msg.error };
    }
  }
  switch (msg.kind) {
    case 'columns':
      return { ...model, columns: msg.result, error: undefined };
    case 'window':
      return {
        ...model,
        loadingWindow: false,
        windowStale: false,
        error: undefined,
        total: msg.result.totalRows,
        window: {
          offset: msg.result.offset,
          rows: msg.result.rows,
          columns: model.requestedColumns ?? [],
          names: msg.result.names,
          ...(msg.result.sourceOffset !== undefined ? { sourceOffset: msg.result.sourceOffset } : {}),
        },
      };
    case 'distinct':
      return model.distinct ? { ...model, distinct: { ...model.distinct, values: msg.result.values, names: msg.result.names, error: undefined } } : model;
    case 'rowRecord':
      return model.details ? { ...model, details: { ...model.details, record: msg.result, error: undefined } } : model;
    case 'copyRows':
      return model; // answered to the copy's own promise by the listener
  }
}
