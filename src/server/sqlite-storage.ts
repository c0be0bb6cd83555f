// Durable room storage in one SQLite file (better-sqlite3, WAL). Each room's MergeableStore is
// kept as one row per cell and per value holding the winning stamp: the encoded thing as JSON
// (SQL NULL for a deletion tombstone) and its HLC. Stamps are merged in SQL with the store's own
// rule (a later HLC wins; a stored stamp without time loses to anything), one SQLite transaction
// per change set, so an incremental change costs a few rows, not the room.
import Database from 'better-sqlite3';
import {setOwn} from '../store/objects.js';
import type {
  CellStamp,
  Id,
  Ids,
  MergeableChanges,
  TablesStamp,
  ValuesStamp,
} from '../store/types.js';
import {createSqliteChangeLogs} from './sqlite-change-log.js';
import type {RoomStorage} from './types.js';

export type SqliteStorageOptions = {
  /**
   * `normal` (default) survives a crash or kill of the server process: every change is in the
   * WAL before the next message is handled. `full` also survives power loss, at an fsync per
   * write.
   */
  durability?: 'normal' | 'full';
};

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
): RoomStorage => {
  const database = new Database(fileName);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
  database.exec(SCHEMA);

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
    const [[tables], [values]] = changes;
    for (const tableId of Object.keys(tables)) {
      const [rows] = tables[tableId]!;
      for (const rowId of Object.keys(rows)) {
        const [cells] = rows[rowId]!;
        for (const cellId of Object.keys(cells)) {
          const [thing, hlc = ''] = cells[cellId]!;
          upsertCell.run(pathId, tableId, rowId, cellId, encodeThing(thing), hlc);
        }
      }
    }
    for (const valueId of Object.keys(values)) {
      const [thing, hlc = ''] = values[valueId]!;
      upsertValue.run(pathId, valueId, encodeThing(thing), hlc);
    }
  });

  let closed = false;

  return {
    ...createSqliteChangeLogs(database, () => closed),
    loadRoom: (pathId) => {
      const tables: TablesStamp[0] = {};
      const values: ValuesStamp[0] = {};
      let found = false;
      for (const row of selectCells.iterate(pathId)) {
        found = true;
        const rowsOfTable = childStamp(tables, row.table_id)[0];
        const cellsOfRow = childStamp(rowsOfTable, row.row_id)[0];
        setOwn(cellsOfRow, row.cell_id, [decodeThing(row.thing), row.hlc]);
      }
      for (const row of selectValues.iterate(pathId)) {
        found = true;
        setOwn(values, row.value_id, [decodeThing(row.thing), row.hlc]);
      }
      return found ? [[tables], [values], 1] : undefined;
    },
    saveChanges: (pathId, changes) => {
      if (!closed) {
        writeChanges(pathId, changes);
      }
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

// Ids come from the network and may be "__proto__" or "constructor": read and write them as own
// properties only, never through the prototype chain.
const childStamp = <Stamp extends [object, ...unknown[]]>(
  container: Record<string, Stamp>,
  id: string,
): Stamp => {
  if (!Object.hasOwn(container, id)) {
    setOwn<unknown>(container, id, [{}]);
  }
  return container[id]!;
};

const encodeThing = (thing: unknown): string | null =>
  thing === undefined ? null : JSON.stringify(thing);

const decodeThing = (text: string | null): CellStamp[0] =>
  text === null ? undefined : (JSON.parse(text) as CellStamp[0]);
