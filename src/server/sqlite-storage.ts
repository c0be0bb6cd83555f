// Durable room storage in one SQLite file (better-sqlite3, WAL). Each room's MergeableStore is
// kept as one row per cell and per value holding the winning stamp (stored-leaves.ts). Stamps are
// merged in SQL with the store's own rule (a later HLC wins; a stored stamp without time loses to
// anything), one SQLite transaction per change set, so an incremental change costs a few rows,
// not the room. Every call answers synchronously.
import Database from 'better-sqlite3';
import type {Id, Ids, MergeableChanges} from '../store/types.js';
import type {ChangeLogWrite, StoredChangeLog} from './delta-log.js';
import {createSqliteChangeLogs} from './sqlite-change-log.js';
import {describeStorageError} from './storage-errors.js';
import {ChangesBuilder, flattenChanges, LEAVES_PER_CHUNK} from './stored-leaves.js';
import type {RoomStorage} from './types.js';

export type SqliteStorageOptions = {
  /**
   * `normal` (default) survives a crash or kill of the server process: every change is in the
   * WAL before the next message is handled. `full` also survives power loss, at an fsync per
   * write.
   */
  durability?: 'normal' | 'full';
  /**
   * The most the file may grow to, in bytes (rounded down to whole pages). A write that needs
   * more fails as on a full disk, and the server keeps it until space is freed. Default: no limit.
   */
  maxBytes?: number;
};

/** SQLite storage: a RoomStorage whose every method answers synchronously. */
export interface SqliteStorage extends RoomStorage {
  loadRoom(pathId: Id): Iterable<MergeableChanges>;
  saveChanges(pathId: Id, changes: MergeableChanges): void;
  getStoredPathIds(): Ids;
  close(): void;
  /** A room's whole stored content as one change set, or undefined for a new room. */
  readRoom(pathId: Id): MergeableChanges | undefined;
  /** The room's delta resync change sequence, kept in the same file (sqlite-change-log.ts). */
  loadChangeLog(pathId: Id): StoredChangeLog | undefined;
  saveChangeLog(pathId: Id, write: ChangeLogWrite): void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS syncstore_cells (
    room TEXT NOT NULL, table_id TEXT NOT NULL, row_id TEXT NOT NULL, cell_id TEXT NOT NULL,
    thing TEXT, hlc TEXT NOT NULL,
    PRIMARY KEY (room, table_id, row_id, cell_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS syncstore_values (
    room TEXT NOT NULL, value_id TEXT NOT NULL, thing TEXT, hlc TEXT NOT NULL,
    PRIMARY KEY (room, value_id)
  ) WITHOUT ROWID;
`;

type CellRow = {
  table_id: string;
  row_id: string;
  cell_id: string;
  thing: string | null;
  hlc: string;
};
type ValueRow = {value_id: string; thing: string | null; hlc: string};

/** Opens (or creates) a SQLite file holding rooms. */
export const createSqliteStorage = (
  fileName: string,
  options: SqliteStorageOptions = {},
): SqliteStorage => {
  const database = openDatabase(fileName, options);

  const selectCells = database.prepare<[string], CellRow>(
    'SELECT table_id, row_id, cell_id, thing, hlc FROM syncstore_cells WHERE room = ?',
  );
  const selectValues = database.prepare<[string], ValueRow>(
    'SELECT value_id, thing, hlc FROM syncstore_values WHERE room = ?',
  );
  const upsertCell = database.prepare(
    `INSERT INTO syncstore_cells (room, table_id, row_id, cell_id, thing, hlc)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET thing = excluded.thing, hlc = excluded.hlc
     WHERE syncstore_cells.hlc = '' OR excluded.hlc > syncstore_cells.hlc`,
  );
  const upsertValue = database.prepare(
    `INSERT INTO syncstore_values (room, value_id, thing, hlc) VALUES (?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET thing = excluded.thing, hlc = excluded.hlc
     WHERE syncstore_values.hlc = '' OR excluded.hlc > syncstore_values.hlc`,
  );
  const selectRooms = database.prepare<[], {room: string}>(
    'SELECT room FROM syncstore_cells UNION SELECT room FROM syncstore_values',
  );

  const writeChanges = database.transaction((pathId: Id, changes: MergeableChanges) => {
    const {cells, values} = flattenChanges(changes);
    for (const [tableId, rowId, cellId, thing, hlc] of cells) {
      upsertCell.run(pathId, tableId, rowId, cellId, thing, hlc);
    }
    for (const [valueId, thing, hlc] of values) {
      upsertValue.run(pathId, valueId, thing, hlc);
    }
  });

  /** The room's leaves, `leavesPerChunk` at a time: cells first, then values. */
  function* readChunks(pathId: Id, leavesPerChunk: number): Generator<MergeableChanges> {
    const builder = new ChangesBuilder();
    for (const row of selectCells.iterate(pathId)) {
      builder.addCell([row.table_id, row.row_id, row.cell_id, row.thing, row.hlc]);
      if (builder.leaves >= leavesPerChunk) {
        yield builder.take()!;
      }
    }
    for (const row of selectValues.iterate(pathId)) {
      builder.addValue([row.value_id, row.thing, row.hlc]);
      if (builder.leaves >= leavesPerChunk) {
        yield builder.take()!;
      }
    }
    const rest = builder.take();
    if (rest !== undefined) {
      yield rest;
    }
  }

  let closed = false;

  return {
    ...createSqliteChangeLogs(database, () => closed),
    loadRoom: (pathId) => readChunks(pathId, LEAVES_PER_CHUNK),
    readRoom: (pathId) => readChunks(pathId, Number.POSITIVE_INFINITY).next().value ?? undefined,
    saveChanges: (pathId, changes) => {
      if (closed) {
        throw new Error('the SQLite storage is closed');
      }
      writeChanges(pathId, changes);
    },
    getStoredPathIds: (): Ids => selectRooms.all().map(({room}) => room),
    close: () => {
      if (!closed) {
        closed = true;
        database.close();
      }
    },
  };
};

/**
 * Opens the file in WAL mode and creates the tables, failing with a clear reason (a garbage or
 * locked file, a directory that does not exist) instead of the driver's bare code.
 */
const openDatabase = (fileName: string, options: SqliteStorageOptions): Database.Database => {
  let database: Database.Database | undefined;
  try {
    // No busy wait: a write that finds the file locked fails at once, and the server retries it
    // later instead of blocking every room while it waits.
    database = new Database(fileName, {timeout: 0});
    database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    if (options.maxBytes !== undefined) {
      const pageSize = database.pragma('page_size', {simple: true}) as number;
      database.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / pageSize))}`);
    }
    database.exec(SCHEMA);
    return database;
  } catch (error) {
    database?.close();
    throw new Error(
      `cannot open SQLite storage ${JSON.stringify(fileName)}: ${describeStorageError(error as Error)}`,
      {cause: error},
    );
  }
};
