// Holds a synchronizer's SyncStatus and tells listeners when, and only when, a field really
// changes. The snapshot object is replaced on every change and never mutated, so it can be handed
// straight to React's useSyncExternalStore.

import type {SyncStatus} from './types.js';

export const INITIAL_SYNC_STATUS: SyncStatus = Object.freeze({
  connection: 'online',
  phase: 'idle',
  pendingChanges: 0,
  lastSyncedAt: null,
  error: null,
});

export class SyncStatusHolder {
  #status: SyncStatus;
  readonly #onChange: (status: SyncStatus) => void;

  constructor(initial: SyncStatus, onChange: (status: SyncStatus) => void) {
    this.#status = Object.freeze({...initial});
    this.#onChange = onChange;
  }

  get current(): SyncStatus {
    return this.#status;
  }

  /** Applies the given fields; notifies once if any of them differs from the current value. */
  update(fields: Partial<SyncStatus>): void {
    const current = this.#status;
    let changed = false;
    for (const key of Object.keys(fields) as (keyof SyncStatus)[]) {
      if (fields[key] !== current[key]) {
        changed = true;
        break;
      }
    }
    if (changed) {
      this.#status = Object.freeze({...current, ...fields});
      this.#onChange(this.#status);
    }
  }
}
