// Durable room storage in PostgreSQL (the pg driver), shared by any number of server nodes
// (docs/protocol.md §7.8). One row per cell and per value holds the winning stamp (stored-leaves.ts);
// the merge rule runs in the upsert itself (`stored.hlc = '' OR new.hlc > stored.hlc`, compared
// byte by byte under the "C" collation, as JavaScript compares HLCs), so nodes writing the same
// cells at once never lose or reorder a write. Each save also takes the room's next sequence
// number and stamps the rows it changed with it; the room's row lock makes those numbers commit
// in order, so a node that has applied everything up to N reads exactly what it lacks as the rows
// with seq > N. Ids are stored as their JSON text, so that any JavaScript string (a NUL
// character, a lone surrogate) round-trips.
import {randomUUID} from 'node:crypto';
import pg from 'pg';
import type {Id, Ids, MergeableChanges} from '../store/types.js';
import type {ClusterBus} from './cluster-bus.js';
import {createPostgresBus} from './postgres-bus.js';
import {type ReadSince, RoomFeeds} from './room-feeds.js';
import {ChangesBuilder, flattenChanges, LEAVES_PER_CHUNK} from './stored-leaves.js';
import type {RoomStorage} from './types.js';

export type PostgresStorageOptions = {
  /** This node's name in notices to the others; default a random UUID. */
  nodeId?: string;
  /**
   * How nodes hear of each other's changes: 'postgres' (default, LISTEN/NOTIFY), a bus such as
   * createRedisBus's, or 'none' for a single node.
   */
  bus?: 'postgres' | 'none' | ClusterBus;
  /**
   * Seconds between checks of every served room's sequence number, which catch up whatever a
   * lost notice left out; default 5, 0 turns them off.
   */
  catchUpSeconds?: number;
};

/** PostgreSQL storage, with the node id it announces its changes under. */
export interface PostgresStorage extends RoomStorage {
  readonly nodeId: string;
  loadRoom(pathId: Id): AsyncIterable<MergeableChanges>;
  saveChanges(pathId: Id, changes: MergeableChanges): Promise<void>;
  getStoredPathIds(): Promise<Ids>;
  close(): Promise<void>;
  /** A room's whole stored content as one change set, or undefined for a new room. */
  readRoom(pathId: Id): Promise<MergeableChanges | undefined>;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS syncstore_rooms (
    room TEXT COLLATE "C" PRIMARY KEY, seq BIGINT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS syncstore_cells (
    room TEXT COLLATE "C" NOT NULL, table_id TEXT COLLATE "C" NOT NULL,
    row_id TEXT COLLATE "C" NOT NULL, cell_id TEXT COLLATE "C" NOT NULL,
    thing TEXT, hlc TEXT COLLATE "C" NOT NULL, seq BIGINT NOT NULL,
    PRIMARY KEY (room, table_id, row_id, cell_id)
  );
  CREATE INDEX IF NOT EXISTS syncstore_cells_by_seq
    ON syncstore_cells (room, seq, table_id, row_id, cell_id);
  CREATE TABLE IF NOT EXISTS syncstore_values (
    room TEXT COLLATE "C" NOT NULL, value_id TEXT COLLATE "C" NOT NULL,
    thing TEXT, hlc TEXT COLLATE "C" NOT NULL, seq BIGINT NOT NULL,
    PRIMARY KEY (room, value_id)
  );
  CREATE INDEX IF NOT EXISTS syncstore_values_by_seq ON syncstore_values (room, seq, value_id);
`;

// One statement, so one round trip and one transaction: the room's sequence number first (its
// row lock orders concurrent saves of the room), then the leaves, each kept only if it wins.
const SAVE = `
  WITH room AS (
    INSERT INTO syncstore_rooms AS stored (room, seq) VALUES ($1, 1)
    ON CONFLICT (room) DO UPDATE SET seq = stored.seq + 1
    RETURNING seq
  ), cells AS (
    INSERT INTO syncstore_cells AS stored (room, table_id, row_id, cell_id, thing, hlc, seq)
    SELECT $1, leaf.table_id, leaf.row_id, leaf.cell_id, leaf.thing, leaf.hlc, (SELECT seq FROM room)
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
      AS leaf (table_id, row_id, cell_id, thing, hlc)
    ON CONFLICT (room, table_id, row_id, cell_id) DO UPDATE
      SET thing = excluded.thing, hlc = excluded.hlc, seq = excluded.seq
      WHERE stored.hlc = '' OR excluded.hlc > stored.hlc
    RETURNING 1
  ), leaf_values AS (
    INSERT INTO syncstore_values AS stored (room, value_id, thing, hlc, seq)
    SELECT $1, leaf.value_id, leaf.thing, leaf.hlc, (SELECT seq FROM room)
    FROM unnest($7::text[], $8::text[], $9::text[]) AS leaf (value_id, thing, hlc)
    ON CONFLICT (room, value_id) DO UPDATE
      SET thing = excluded.thing, hlc = excluded.hlc, seq = excluded.seq
      WHERE stored.hlc = '' OR excluded.hlc > stored.hlc
    RETURNING 1
  )
  SELECT (SELECT seq FROM room) AS seq,
    (SELECT count(*) FROM cells) + (SELECT count(*) FROM leaf_values) AS changed`;

// Keyset pages in (seq, ids) order: rows rewritten meanwhile move to a later seq, so they are
// met again further on rather than skipped.
const CELLS_SINCE = `
  SELECT seq, table_id, row_id, cell_id, thing, hlc FROM syncstore_cells
  WHERE room = $1 AND (seq, table_id, row_id, cell_id) > ($2, $3, $4, $5)
  ORDER BY seq, table_id, row_id, cell_id LIMIT $6`;
const VALUES_SINCE = `
  SELECT seq, value_id, thing, hlc FROM syncstore_values
  WHERE room = $1 AND (seq, value_id) > ($2, $3)
  ORDER BY seq, value_id LIMIT $4`;

type CellRow = {
  seq: string;
  table_id: string;
  row_id: string;
  cell_id: string;
  thing: string | null;
  hlc: string;
};
type ValueRow = {seq: string; value_id: string; thing: string | null; hlc: string};

const encodeId = (id: Id): string => JSON.stringify(id);
const decodeId = (text: string): Id => JSON.parse(text) as Id;

/**
 * Opens PostgreSQL storage on a connection string or a pg Pool (left open on close; a string's
 * pool is ended). The tables are created on first use. With several nodes on one database,
 * each room's clients on any node see every other node's changes.
 */
export const createPostgresStorage = (
  connectionStringOrPool: string | pg.Pool,
  options: PostgresStorageOptions = {},
): PostgresStorage => {
  const ownsPool = typeof connectionStringOrPool === 'string';
  const pool =
    typeof connectionStringOrPool === 'string'
      ? new pg.Pool({connectionString: connectionStringOrPool})
      : connectionStringOrPool;
  // An idle pooled connection that breaks (the server restarts) must not take the process down.
  const onPoolError = (): void => {};
  pool.on('error', onPoolError);
  const nodeId = options.nodeId ?? randomUUID();
  let closed = false;

  let schema: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    if (closed) {
      return Promise.reject(new Error('the PostgreSQL storage is closed'));
    }
    schema ??= createSchema(pool).catch((error: unknown) => {
      schema = undefined; // tried again on next use
      throw error;
    });
    return schema;
  };

  const readSince: ReadSince = async function* (pathId, sinceSeq) {
    await ready();
    const room = encodeId(pathId);
    // Read first: every save up to this number has committed, so the rows below cover it.
    const {rows: seqRows} = await pool.query<{seq: string}>(
      'SELECT seq FROM syncstore_rooms WHERE room = $1',
      [room],
    );
    const upTo = seqRows.length === 0 ? 0 : Number(seqRows[0]!.seq);
    const builder = new ChangesBuilder();
    // Ids are JSON text, never empty: (sinceSeq + 1, '') starts right after sinceSeq.
    let cursor: [number, string, string, string] = [sinceSeq + 1, '', '', ''];
    for (;;) {
      const {rows} = await pool.query<CellRow>(CELLS_SINCE, [room, ...cursor, LEAVES_PER_CHUNK]);
      for (const row of rows) {
        builder.addCell([
          decodeId(row.table_id),
          decodeId(row.row_id),
          decodeId(row.cell_id),
          row.thing,
          row.hlc,
        ]);
      }
      if (builder.leaves >= LEAVES_PER_CHUNK) {
        yield builder.take()!;
      }
      const last = rows.at(-1);
      if (last !== undefined) {
        cursor = [Number(last.seq), last.table_id, last.row_id, last.cell_id];
      }
      if (rows.length < LEAVES_PER_CHUNK) {
        break;
      }
    }
    let valueCursor: [number, string] = [sinceSeq + 1, ''];
    for (;;) {
      const {rows} = await pool.query<ValueRow>(VALUES_SINCE, [
        room,
        ...valueCursor,
        LEAVES_PER_CHUNK,
      ]);
      for (const row of rows) {
        builder.addValue([decodeId(row.value_id), row.thing, row.hlc]);
      }
      if (builder.leaves >= LEAVES_PER_CHUNK) {
        yield builder.take()!;
      }
      const last = rows.at(-1);
      if (last !== undefined) {
        valueCursor = [Number(last.seq), last.value_id];
      }
      if (rows.length < LEAVES_PER_CHUNK) {
        break;
      }
    }
    const rest = builder.take();
    if (rest !== undefined) {
      yield rest;
    }
    return upTo;
  };

  const feeds = new RoomFeeds(readSince);
  /** Where each room's last load ended, for the watch that follows it. */
  const loadedUpTo = new Map<Id, number>();

  const bus: ClusterBus | undefined =
    options.bus === 'none'
      ? undefined
      : options.bus === undefined || options.bus === 'postgres'
        ? createPostgresBus(
            typeof connectionStringOrPool === 'string'
              ? {connectionString: connectionStringOrPool}
              : (pool as unknown as {options: pg.ClientConfig}).options,
            (text, values) => pool.query(text, values),
          )
        : options.bus;
  bus?.start({
    onNotice: ({pathId, seq, nodeId: from}) => {
      if (from !== nodeId) {
        feeds.catchUp(pathId, seq);
      }
    },
    onConnected: () => feeds.catchUp(undefined),
    onError: (error) => feeds.reportToAll(error),
  });

  const catchUpMs = (options.catchUpSeconds ?? 5) * 1000;
  const catchUpTimer =
    catchUpMs > 0
      ? setInterval(() => {
          void checkSequences();
        }, catchUpMs)
      : undefined;
  catchUpTimer?.unref?.();

  /** The periodic check: rooms stored further than this node has applied get caught up. */
  const checkSequences = async (): Promise<void> => {
    const positions = feeds.positions();
    if (positions.size === 0 || closed) {
      return;
    }
    try {
      await ready();
      const {rows} = await pool.query<{room: string; seq: string}>(
        'SELECT room, seq FROM syncstore_rooms WHERE room = ANY($1::text[])',
        [[...positions.keys()].map(encodeId)],
      );
      for (const {room, seq} of rows) {
        feeds.catchUp(decodeId(room), Number(seq));
      }
    } catch {
      // PostgreSQL is unreachable: saves report that; the next check tries again.
    }
  };

  const readAll = async (pathId: Id): Promise<MergeableChanges | undefined> => {
    const builder = new ChangesBuilder();
    const rows = readSince(pathId, 0);
    for (let step = await rows.next(); !step.done; step = await rows.next()) {
      const {cells, values} = flattenChanges(step.value);
      for (const cell of cells) {
        builder.addCell(cell);
      }
      for (const value of values) {
        builder.addValue(value);
      }
    }
    return builder.take();
  };

  return {
    nodeId,
    loadRoom: (pathId) => ({
      [Symbol.asyncIterator]: async function* () {
        const rows = readSince(pathId, 0);
        let step = await rows.next();
        while (!step.done) {
          yield step.value;
          step = await rows.next();
        }
        loadedUpTo.set(pathId, step.value);
      },
    }),
    readRoom: readAll,
    saveChanges: async (pathId, changes) => {
      await ready();
      const {cells, values} = flattenChanges(changes);
      const {rows} = await pool.query<{seq: string; changed: string}>(SAVE, [
        encodeId(pathId),
        cells.map(([tableId]) => encodeId(tableId)),
        cells.map(([, rowId]) => encodeId(rowId)),
        cells.map(([, , cellId]) => encodeId(cellId)),
        cells.map(([, , , thing]) => thing),
        cells.map(([, , , , hlc]) => hlc),
        values.map(([valueId]) => encodeId(valueId)),
        values.map(([, thing]) => thing),
        values.map(([, , hlc]) => hlc),
      ]);
      const seq = Number(rows[0]!.seq);
      feeds.stored(pathId, seq);
      if (Number(rows[0]!.changed) > 0 && bus !== undefined) {
        // Stored already: a notice that does not get through is made up for by the checks.
        bus.publish({pathId, seq, nodeId}).catch(() => {});
      }
    },
    watchRoom: (pathId, listener, onError = () => {}) => {
      const fromSeq = loadedUpTo.get(pathId) ?? 0;
      loadedUpTo.delete(pathId);
      return feeds.watch(pathId, fromSeq, listener, onError);
    },
    getStoredPathIds: async () => {
      await ready();
      const {rows} = await pool.query<{room: string}>('SELECT room FROM syncstore_rooms');
      return rows.map(({room}) => decodeId(room));
    },
    close: async () => {
      if (closed) {
        return;
      }
      closed = true;
      clearInterval(catchUpTimer);
      await bus?.close();
      if (ownsPool) {
        await pool.end();
      }
      // The error listener stays: a connection still closing may yet report the server's goodbye.
    },
  };
};

/** Creates the tables once, even when several nodes start at the same moment. */
const createSchema = async (pool: pg.Pool): Promise<void> => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('syncstore_schema'))");
    await client.query(SCHEMA);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
};
