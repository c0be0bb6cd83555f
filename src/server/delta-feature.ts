// The server end of delta resync (docs/protocol.md §8.8). A client's `sync` carries what it wrote
// while apart and its watermark; the room handles the writes as a ContentDiff from that client
// (write gate, merge, relay), then answers with the leaves changed after the watermark, the new
// watermark and the room store's content hashes, or tells the client to fall back to the hash
// walk when the room's change sequence cannot say what changed.
import type {MergeableChanges} from '../store/types.js';
import {
  DELTA_FEATURE,
  type DeltaChangesBody,
  DeltaType,
  parseDeltaSync,
} from '../synchronizers/extensions/delta-wire.js';
import {invalidMessageError} from '../synchronizers/ws/errors.js';
import {forEachLeafStamp, type LeafKey} from './delta-log.js';
import type {ServerFeature} from './extensions.js';

/**
 * Beyond this many changed leaves an answer would be one huge frame (extension frames are not
 * fragmented, §8.1): the client walks the hash trees instead, which comes in parts (§7.1).
 */
export const MAX_DELTA_LEAVES = 100_000;

export const createDeltaFeature = (): ServerFeature => ({
  name: DELTA_FEATURE,
  onMessage: (room, member, type, body) => {
    const send = (answerType: string, answer: unknown) =>
      member.extensions?.send(DELTA_FEATURE, answerType, answer);
    const sync = type === DeltaType.Sync ? parseDeltaSync(body) : `unknown delta frame ${type}`;
    if (typeof sync === 'string') {
      member.fail(invalidMessageError(sync));
      return;
    }
    const store = room.getStore();
    const log = room.getChangeLog();
    if (store === undefined || log === undefined) {
      send(DeltaType.Unsupported, {});
      return;
    }
    const sent = new Map<LeafKey, string>();
    forEachLeafStamp(sync.changes, (key, [, hlc = '']) => sent.set(key, hlc));
    if (sent.size > 0) {
      room.mergeFrom(member, sync.changes);
    }
    const changed = sync.epoch === log.epoch ? log.changedSince(sync.since) : undefined;
    if (changed === undefined || changed.length > MAX_DELTA_LEAVES) {
      send(DeltaType.Fallback, {epoch: log.epoch, seq: log.seq});
      return;
    }
    const changes = store.getEncodedLeafStamps(changed);
    dropLeavesHeld(changes, sent);
    const answer: DeltaChangesBody = {
      epoch: log.epoch,
      seq: log.seq,
      changes,
      hashes: store.getMergeableContentHashes(),
    };
    send(DeltaType.Changes, answer);
  },
});

/**
 * Removes from `changes` (fresh from the store) the leaves the client holds already: those it
 * just sent whose stamp won. A leaf it sent that lost (to a newer stamp, or to a write-gate
 * correction) has another HLC here, and goes back to it. Emptied rows and tables go too.
 */
const dropLeavesHeld = (changes: MergeableChanges, sent: ReadonlyMap<LeafKey, string>): void => {
  if (sent.size === 0) {
    return;
  }
  const tables = changes[0][0];
  for (const tableId of Object.keys(tables)) {
    const rows = tables[tableId]![0];
    for (const rowId of Object.keys(rows)) {
      const cells = rows[rowId]![0];
      for (const cellId of Object.keys(cells)) {
        if (sent.get(JSON.stringify([tableId, rowId, cellId])) === (cells[cellId]![1] ?? '')) {
          delete cells[cellId];
        }
      }
      if (Object.keys(cells).length === 0) {
        delete rows[rowId];
      }
    }
    if (Object.keys(rows).length === 0) {
      delete tables[tableId];
    }
  }
  const values = changes[1][0];
  for (const valueId of Object.keys(values)) {
    if (sent.get(JSON.stringify([valueId])) === (values[valueId]![1] ?? '')) {
      delete values[valueId];
    }
  }
};
