// The server end of feature 'compact' (docs/protocol.md §8.6): the room store's whole content as
// compact snapshots, for a client that holds nothing yet.
//
//   snapshot {cursor: null}          -> {hashes, content, next}   the first part, values included
//   snapshot {cursor: next}          -> {hashes, content, next}   the following part; next null: done
//
// The first question fixes the list of rows (per table, in the store's order) that the parts walk;
// rows and tables are never removed from a store (§1.2), so a later part still finds every row
// listed, and rows added meanwhile reach the client as ContentDiffs like any change. Parts aim at
// 4 MiB, from the bytes per row the previous part measured; one socket has at most one snapshot
// under way, forgotten when it is done or when the client leaves.
import type {FullMergeableStore} from '../store/mergeable-store.js';
import type {ContentHashes, Id} from '../store/types.js';
import {CompactEncoder} from '../synchronizers/extensions/compact-encoding.js';
import {COMPACT_FEATURE} from '../synchronizers/extensions/extension-pull.js';
import {EncodedJson} from '../synchronizers/extensions/wire.js';
import {utf8ByteLength} from '../synchronizers/ws/utf8.js';
import {answerQuestion, BadQuestion} from './extension-questions.js';
import type {ServerFeature} from './extensions.js';
import type {RoomMember} from './room.js';

/** Bytes a part aims at: half the 8 MiB a message may have, for rows larger than measured. */
const TARGET_PART_BYTES = 4 * 1024 * 1024;
/** Rows in the first part, before any row was measured. */
const FIRST_PART_ROWS = 20_000;

type Snapshot = {
  hashes: ContentHashes;
  tables: [tableId: Id, rowIds: Id[]][];
  rowsPerPart: number;
  /** Where the next part starts: [table position, row position]. */
  next: [number, number];
};

export const createCompactFeature = (): ServerFeature => {
  const snapshots = new WeakMap<RoomMember, Snapshot>();

  /**
   * The part from `snapshot.next`: rows read straight from the store into the encoder, in the
   * listed order. Empty rows and tables still count in hashes (§3.4): they are sent, as the base
   * protocol does.
   */
  const part = (store: FullMergeableStore, snapshot: Snapshot, first: boolean) => {
    const encoder = new CompactEncoder();
    let rowsTaken = 0;
    let position: [number, number] = snapshot.next;
    while (position[0] < snapshot.tables.length && rowsTaken < snapshot.rowsPerPart) {
      const [tableId, rowIds] = snapshot.tables[position[0]]!;
      const end = Math.min(rowIds.length, position[1] + snapshot.rowsPerPart - rowsTaken);
      encoder.startTable(tableId);
      for (let row = position[1]; row < end; row++) {
        encoder.startRow(rowIds[row]!);
        store.forEachEncodedRowLeaf(tableId, rowIds[row]!, encoder.addCell);
      }
      rowsTaken += Math.max(1, end - position[1]);
      position = end >= rowIds.length ? [position[0] + 1, 0] : [position[0], end];
    }
    if (first) {
      const values = store.getMergeableValueDiff({})[0];
      for (const valueId of Object.keys(values)) {
        const [thing, hlc] = values[valueId]!;
        encoder.addValue(valueId, thing, hlc);
      }
    }
    // Encoded once: measured here, and sent as it is.
    const content = new EncodedJson(encoder.finishAsJson());
    return {content, position, rowsTaken, bytes: utf8ByteLength(content.json)};
  };

  return {
    name: COMPACT_FEATURE,
    onMessage(room, member, type, body) {
      answerQuestion(member, COMPACT_FEATURE, type, body, (fields) => {
        const store = room.getStore();
        if (type !== 'snapshot') {
          throw new BadQuestion(`unknown question ${JSON.stringify(type)}`);
        }
        if (store === undefined) {
          throw new BadQuestion('this room has no store');
        }
        const {cursor} = fields;
        const first = cursor === null;
        let snapshot = snapshots.get(member);
        if (first) {
          snapshot = startSnapshot(store);
          snapshots.set(member, snapshot);
        } else if (
          snapshot === undefined ||
          !Array.isArray(cursor) ||
          cursor[0] !== snapshot.next[0] ||
          cursor[1] !== snapshot.next[1]
        ) {
          throw new BadQuestion('no snapshot under way at that cursor');
        }
        let result = part(store, snapshot!, first);
        while (result.bytes > 2 * TARGET_PART_BYTES && snapshot!.rowsPerPart > 1) {
          snapshot!.rowsPerPart = Math.max(1, Math.floor(snapshot!.rowsPerPart / 2));
          result = part(store, snapshot!, first);
        }
        snapshot!.rowsPerPart = Math.max(
          1,
          Math.floor((result.rowsTaken * TARGET_PART_BYTES) / Math.max(1, result.bytes)),
        );
        snapshot!.next = result.position;
        const done = result.position[0] >= snapshot!.tables.length;
        if (done) {
          snapshots.delete(member);
        }
        return {
          hashes: snapshot!.hashes,
          content: result.content,
          next: done ? null : result.position,
        };
      });
    },
    onLeave(_room, member) {
      snapshots.delete(member);
    },
  };
};

const startSnapshot = (store: FullMergeableStore): Snapshot => {
  return {
    hashes: store.getMergeableContentHashes(),
    tables: Object.keys(store.getMergeableTableHashes()).map((tableId) => [
      tableId,
      store.getStampedRowIds(tableId),
    ]),
    rowsPerPart: FIRST_PART_ROWS,
    next: [0, 0],
  };
};
