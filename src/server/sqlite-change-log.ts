// The room change sequences of delta resync (docs/protocol.md §8.8) in the SQLite file, beside the
// rooms' content and apart from it: `syncstore_delta_rooms(room, epoch, seq, floor)` and
// `syncstore_delta_leaves(room, leaf, seq)`, one row per leaf holding its latest sequence number.
import type Database from 'better-sqlite3';
import type {Id} from '../store/types.js';
import type {ChangeLogWrite, StoredChangeLog} from './delta-log.js';
import type {RoomStorage} from './types.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS syncstore_delta_rooms (
    room TEXT PRIMARY KEY, epoch TEXT NOT NULL, seq INTEGER NOT NULL, floor INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS syncstore_delta_leaves (
    room TEXT NOT NULL, leaf TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (room, leaf)
  ) WITHOUT ROWID;
`;

type RoomRow = {epoch: string; seq: number; floor: number};
type LeafRow = {leaf: string; seq: number};

export const createSqliteChangeLogs = (
  database: Database.Database,
  isClosed: () => boolean,
): Required<Pick<RoomStorage, 'loadChangeLog' | 'saveChangeLog'>> => {
  database.exec(SCHEMA);
  const selectRoom = database.prepare<[string], RoomRow>(
    'SELECT epoch, seq, floor FROM syncstore_delta_rooms WHERE room = ?',
  );
  const selectLeaves = database.prepare<[string], LeafRow>(
    'SELECT leaf, seq FROM syncstore_delta_leaves WHERE room = ?',
  );
  const upsertRoom = database.prepare(
    `INSERT INTO syncstore_delta_rooms (room, epoch, seq, floor) VALUES (?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq, floor = excluded.floor`,
  );
  const upsertLeaf = database.prepare(
    `INSERT INTO syncstore_delta_leaves (room, leaf, seq) VALUES (?, ?, ?)
     ON CONFLICT DO UPDATE SET seq = excluded.seq`,
  );
  const deleteForgotten = database.prepare(
    'DELETE FROM syncstore_delta_leaves WHERE room = ? AND seq <= ?',
  );
  const write = database.transaction(
    (pathId: Id, {epoch, seq, floor, leaves, compacted}: ChangeLogWrite) => {
      upsertRoom.run(pathId, epoch, seq, floor);
      for (const [leaf, leafSeq] of leaves) {
        upsertLeaf.run(pathId, leaf, leafSeq);
      }
      if (compacted) {
        deleteForgotten.run(pathId, floor);
      }
    },
  );
  return {
    loadChangeLog: (pathId): StoredChangeLog | undefined => {
      const room = selectRoom.get(pathId);
      if (room === undefined) {
        return undefined;
      }
      const leaves = selectLeaves.all(pathId).map(({leaf, seq}) => [leaf, seq] as const);
      return {epoch: room.epoch, seq: room.seq, floor: room.floor, leaves};
    },
    saveChangeLog: (pathId, changeLogWrite) => {
      if (!isClosed()) {
        write(pathId, changeLogWrite);
      }
    },
  };
};
