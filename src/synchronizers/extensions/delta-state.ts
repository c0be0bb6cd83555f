// What a delta resync client remembers between sessions (docs/protocol.md §8.8): its watermark in
// the room's change sequence, and the local writes the server has not acknowledged yet. Kept in
// memory by default; give a DeltaStateStorage (say the IndexedDB one, next to an IndexedDB
// persister) and it survives a page reload too.
import type {MergeableChanges} from '../../store/types.js';
import type {Watermark} from './delta-wire.js';

export type DeltaState = {
  /** Where this client is in the room's change sequence; undefined before its first sync. */
  watermark: Watermark | undefined;
  /** Local writes made while apart, not yet acknowledged by the server (undefined: none). */
  unacknowledged: MergeableChanges | undefined;
};

/** Where a delta resync client keeps its state. Either method may be synchronous. */
export interface DeltaStateStorage {
  /** The state last saved, or undefined when none was. */
  load(): Promise<DeltaState | undefined> | DeltaState | undefined;
  save(state: DeltaState): Promise<void> | void;
}

/** Checks state read back from storage; anything malformed counts as none (a fallback, not a fault). */
export const isDeltaState = (state: unknown): state is DeltaState => {
  if (typeof state !== 'object' || state === null) {
    return false;
  }
  const {watermark, unacknowledged} = state as Record<string, unknown>;
  const watermarkOk =
    watermark === undefined ||
    (typeof watermark === 'object' &&
      watermark !== null &&
      typeof (watermark as Watermark).epoch === 'string' &&
      Number.isSafeInteger((watermark as Watermark).seq));
  return watermarkOk && (unacknowledged === undefined || Array.isArray(unacknowledged));
};
