// createMergeableStore: TinyBase's Store and MergeableStore API over one stamp tree (tree.ts).
// Every local write is stamped with the next HLC; every merge keeps, per cell and value, the stamp
// with the greater HLC. Listeners are called when the outermost transaction finishes.
import {decodeCellOrValue, type EncodedCellOrValue, encodeCellOrValue} from './cell.js';
import {getDiffs} from './diffs.js';
import {getLeafHash} from './hash.js';
import {createHlcClock, getHlcTime, MAX_FUTURE_OFFSET_MS} from './hlc.js';
import {type ListenerKind, type ListenerRecord, ListenerRegistry} from './listener-registry.js';
import {notifyListeners} from './notify.js';
import {setOwn} from './objects.js';
import {TransactionLog} from './transaction-log.js';
import {LeafContainer, type RowNode, TableNode, TablesNode} from './tree.js';
import type {
  Cell,
  Content,
  Id,
  Ids,
  MergeableChanges,
  MergeableContent,
  MergeableStore,
  MergeableStoreInternals,
  Row,
  SortedRowIdsArgs,
  Table,
  Tables,
  Value,
  Values,
} from './types.js';
import {validateMergeable} from './validate-mergeable.js';

export type FullMergeableStore = MergeableStore & MergeableStoreInternals;

type Sorter = (sortKey1: unknown, sortKey2: unknown) => number;
const defaultSorter: Sorter = (a, b) => ((a ?? 0) < (b ?? 0) ? -1 : 1);

/** Non-empty, unfrozen plain object: what TinyBase accepts as a row, table, tables or values. */
const isValidContainer = (thing: unknown): thing is Record<string, unknown> =>
  typeof thing === 'object' &&
  thing !== null &&
  !Array.isArray(thing) &&
  !Object.isFrozen(thing) &&
  Object.keys(thing).length > 0;

/** The valid cells of a row in encoded form, or undefined when none is valid. */
const encodeRow = (row: unknown): Map<Id, EncodedCellOrValue> | undefined => {
  if (!isValidContainer(row)) {
    return undefined;
  }
  const encoded = new Map<Id, EncodedCellOrValue>();
  for (const cellId of Object.keys(row)) {
    const cell = encodeCellOrValue(row[cellId]);
    if (cell !== undefined) {
      encoded.set(cellId, cell);
    }
  }
  return encoded.size > 0 ? encoded : undefined;
};
const encodeTable = (table: unknown): Map<Id, Map<Id, EncodedCellOrValue>> | undefined => {
  if (!isValidContainer(table)) {
    return undefined;
  }
  const encoded = new Map<Id, Map<Id, EncodedCellOrValue>>();
  for (const rowId of Object.keys(table)) {
    const row = encodeRow(table[rowId]);
    if (row) {
      encoded.set(rowId, row);
    }
  }
  return encoded.size > 0 ? encoded : undefined;
};
const encodeTables = (tables: unknown) => {
  if (!isValidContainer(tables)) {
    return undefined;
  }
  const encoded = new Map<Id, Map<Id, Map<Id, EncodedCellOrValue>>>();
  for (const tableId of Object.keys(tables)) {
    const table = encodeTable(tables[tableId]);
    if (table) {
      encoded.set(tableId, table);
    }
  }
  return encoded.size > 0 ? encoded : undefined;
};

export const createMergeableStore = (
  uniqueId?: string,
  getNow: () => number = Date.now,
): FullMergeableStore => {
  const clock = createHlcClock(uniqueId, getNow);
  let tables = new TablesNode();
  const values = new LeafContainer('', null);
  const registry = new ListenerRegistry();
  const log = new TransactionLog();
  let transactionDepth = 0;
  /** Set while listeners that may not mutate are running: writes are then ignored. */
  let mutationsBlocked = false;
  /** When true, writes are stamped "" (defaults that never beat real data). */
  let defaulting = false;
  let listenerErrors: unknown[] = [];
  // Assigned once below; the closures above refer to it.
  let store: FullMergeableStore;

  // ---------------------------------------------------------------- the tree and its writes

  const getOrCreateRow = (tableId: Id, rowId: Id): [RowNode, boolean, boolean] => {
    let table = tables.children.get(tableId);
    let tableCreated = false;
    if (!table) {
      table = new TableNode(tableId);
      tables.children.set(tableId, table);
      tableCreated = true;
    }
    let row = table.children.get(rowId);
    let rowCreated = false;
    if (!row) {
      row = new LeafContainer(rowId, table);
      table.children.set(rowId, row);
      rowCreated = true;
    }
    return [row, rowCreated, tableCreated];
  };

  /**
   * The one place where a leaf changes: logs it, updates counts, order and dirty flags. A leaf
   * that comes back to life moves to the end, as a re-added entry does in TinyBase's plain store.
   */
  const writeLeaf = (
    container: LeafContainer,
    id: Id,
    value: EncodedCellOrValue | undefined,
    hlc: string,
    containerCreated: boolean,
    tableCreated: boolean,
  ): void => {
    let offset = container.find(id);
    const leafCreated = offset < 0;
    const oldValue = leafCreated ? undefined : container.valueAt(offset);
    log.record(container, id, oldValue, leafCreated ? '' : container.hlcAt(offset));
    const wasLive = oldValue !== undefined;
    const isLive = value !== undefined;
    if (leafCreated) {
      container.add(id, value, hlc);
    } else {
      if (!wasLive && isLive) {
        offset = container.moveToEnd(offset);
      }
      container.set(offset, value, hlc);
    }
    const table = container.table;
    if (table === null) {
      container.dirty = true;
    } else {
      table.markChildDirty(container);
      tables.markChildDirty(table);
    }
    if (wasLive !== isLive) {
      onExistenceChange(container, id, isLive, containerCreated, tableCreated);
    }
  };

  const onExistenceChange = (
    container: LeafContainer,
    id: Id,
    isLive: boolean,
    containerCreated: boolean,
    tableCreated: boolean,
  ): void => {
    const delta = isLive ? 1 : -1;
    container.liveCount += delta;
    const table = container.table;
    if (table === null) {
      return;
    }
    if (table.cellIdCounts) {
      table.cellIdCounts.set(id, (table.cellIdCounts.get(id) ?? 0) + delta);
    }
    if (container.liveCount === (isLive ? 1 : 0)) {
      if (!log.rowsExistedBefore.has(container)) {
        log.rowsExistedBefore.set(container, !isLive);
      }
      if (isLive && !containerCreated) {
        table.children.delete(container.id);
        table.children.set(container.id, container);
      }
      table.liveCount += delta;
      if (table.liveCount === (isLive ? 1 : 0)) {
        if (!log.tablesExistedBefore.has(table)) {
          log.tablesExistedBefore.set(table, !isLive);
        }
        if (isLive && !tableCreated) {
          tables.children.delete(table.id);
          tables.children.set(table.id, table);
        }
        tables.liveCount += delta;
      }
    }
  };

  const nextLocalHlc = (existingHlc: string): string => {
    if (defaulting) {
      return '';
    }
    const hlc = clock.next();
    if (hlc <= existingHlc) {
      throw new Error(
        'tinybase:13 HLC exhausted: a local write cannot be stamped later than the existing one',
      );
    }
    return hlc;
  };

  /** A local write of one cell (undefined deletes it); no-op when nothing would change. */
  const writeLocalCell = (
    tableId: Id,
    rowId: Id,
    cellId: Id,
    value: EncodedCellOrValue | undefined,
  ) => {
    const [row, rowCreated, tableCreated] = getOrCreateRow(tableId, rowId);
    const offset = row.find(cellId);
    const existingHlc = offset < 0 ? '' : row.hlcAt(offset);
    if ((offset < 0 ? undefined : row.valueAt(offset)) === value) {
      return;
    }
    if (defaulting && existingHlc !== '') {
      return; // defaults never overwrite real data
    }
    const hlc = nextLocalHlc(existingHlc);
    writeLeaf(row, cellId, value, hlc, rowCreated, tableCreated);
  };
  const writeLocalValue = (valueId: Id, value: EncodedCellOrValue | undefined) => {
    const offset = values.find(valueId);
    const existingHlc = offset < 0 ? '' : values.hlcAt(offset);
    if ((offset < 0 ? undefined : values.valueAt(offset)) === value) {
      return;
    }
    if (defaulting && existingHlc !== '') {
      return;
    }
    writeLeaf(values, valueId, value, nextLocalHlc(existingHlc), false, false);
  };

  // ---------------------------------------------------------------- transactions

  const callListener = (record: ListenerRecord, args: unknown[]): void => {
    try {
      record.listener(...args);
    } catch (error) {
      listenerErrors.push(error);
    }
  };
  const callTransactionListeners = (kind: ListenerKind): void => {
    registry.forEachMatch(kind, [], (record) => callListener(record, [store]));
  };

  const startTransaction = (): FullMergeableStore => {
    if (transactionDepth === 0) {
      log.begin(tables.liveCount > 0, values.liveCount > 0);
      transactionDepth++;
      callTransactionListeners('startTransaction');
    } else {
      transactionDepth++;
    }
    return store;
  };

  const rollback = (): void => {
    for (let index = log.size - 1; index >= 0; index--) {
      const container = log.containers[index];
      const id = log.ids[index];
      const table = container.table;
      const oldValue = log.oldValues[index];
      const oldHlc = log.oldHlcs[index];
      writeLeaf(container, id, oldValue, oldHlc, false, false);
      if (oldHlc === '' && oldValue === undefined) {
        // The leaf did not exist before the transaction: remove it, and its row if now empty.
        container.remove(container.find(id));
        if (table !== null && container.size === 0) {
          table.removeChild(container);
          if (table.children.size === 0) {
            tables.removeChild(table);
          }
        }
      }
    }
  };

  const finishTransaction = (
    doRollback?: (store: MergeableStore) => boolean,
  ): FullMergeableStore => {
    if (transactionDepth === 0) {
      return store;
    }
    if (transactionDepth > 1) {
      transactionDepth--;
      return store;
    }
    try {
      if (log.size > 0 && registry.hasDataListeners()) {
        notifyListeners(notifyContext, true);
      }
      callTransactionListeners('willFinishTransaction');
      if (doRollback?.(store)) {
        rollback();
      }
      mutationsBlocked = true;
      if (log.size > 0 && registry.hasDataListeners()) {
        notifyListeners(notifyContext, false);
      }
      callTransactionListeners('didFinishTransaction');
    } finally {
      mutationsBlocked = false;
      transactionDepth = 0;
      log.clear();
    }
    if (listenerErrors.length > 0) {
      const [first] = listenerErrors;
      listenerErrors = [];
      throw first;
    }
    return store;
  };

  /** Runs writes in a transaction (joining the current one); ignored while mutations are blocked. */
  const write = (actions: () => void): FullMergeableStore => {
    if (!mutationsBlocked) {
      startTransaction();
      try {
        actions();
      } finally {
        finishTransaction();
      }
    }
    return store;
  };

  // ---------------------------------------------------------------- reads

  const liveEntries = function* <Child extends {liveCount: number}>(map: Map<Id, Child>) {
    for (const [id, child] of map) {
      if (child.liveCount > 0) {
        yield [id, child] as const;
      }
    }
  };
  const rowToObject = (row: RowNode): Row => {
    const result: Row = {};
    row.forEachLeaf((cellId, value) => {
      if (value !== undefined) {
        setOwn(result, cellId, decodeCellOrValue(value) as Cell);
      }
    });
    return result;
  };
  const tableToObject = (table: TableNode): Table => {
    const result: Table = {};
    for (const [rowId, row] of liveEntries(table.children)) {
      setOwn(result, rowId, rowToObject(row));
    }
    return result;
  };
  const getTableNode = (tableId: Id) => tables.children.get(String(tableId));
  const getRowNode = (tableId: Id, rowId: Id) => getTableNode(tableId)?.children.get(String(rowId));
  const getLiveLeafValue = (container: LeafContainer | undefined, id: Id) =>
    container?.getValue(String(id));

  const getTableCellIdCounts = (table: TableNode): Map<string, number> => {
    if (!table.cellIdCounts) {
      const counts = new Map<string, number>();
      for (const row of table.children.values()) {
        for (const cellId of row.getLiveIds()) {
          counts.set(cellId, (counts.get(cellId) ?? 0) + 1);
        }
      }
      table.cellIdCounts = counts;
    }
    return table.cellIdCounts;
  };

  const getSortedRowIds = (
    tableIdOrArgs: Id | (SortedRowIdsArgs & {sorter?: Sorter}),
    cellId?: Id,
    descending = false,
    offset = 0,
    limit?: number,
    sorter: Sorter = defaultSorter,
  ): Ids => {
    if (typeof tableIdOrArgs === 'object' && tableIdOrArgs !== null) {
      const args = tableIdOrArgs;
      return getSortedRowIds(
        args.tableId,
        args.cellId,
        args.descending,
        args.offset,
        args.limit,
        args.sorter,
      );
    }
    const table = getTableNode(tableIdOrArgs);
    if (!table) {
      return [];
    }
    const keyed: [unknown, Id][] = [];
    for (const [rowId, row] of liveEntries(table.children)) {
      keyed.push([cellId === undefined ? rowId : decodeCellOrValue(row.getValue(cellId)), rowId]);
    }
    const direction = descending ? -1 : 1;
    keyed.sort(([key1], [key2]) => sorter(key1, key2) * direction);
    const start = offset ?? 0;
    return keyed
      .slice(start, limit === undefined ? undefined : start + limit)
      .map(([, rowId]) => rowId);
  };

  // ---------------------------------------------------------------- merging

  const validationOptions = (requireHashes: boolean, encoded: boolean) => ({
    requireHashes,
    encoded,
    maxTime: getNow() + MAX_FUTURE_OFFSET_MS,
    getTime: getHlcTime,
  });

  /** Encodes a leaf thing from the public API (objects become prefixed JSON). */
  const toEncoded = (thing: unknown): EncodedCellOrValue | undefined =>
    thing === undefined
      ? undefined
      : typeof thing === 'object' && thing !== null
        ? encodeCellOrValue(thing)
        : (thing as EncodedCellOrValue);

  type AnyStamp = [unknown, string?, number?];

  /** Merges already-validated stamps into the tree; returns the greatest HLC that won. */
  const mergeValidated = (input: unknown[]): string => {
    let maxHlc = '';
    const [tablesStamp, valuesStamp] = input as [AnyStamp, AnyStamp];
    const mergeLeaf = (
      container: LeafContainer,
      id: Id,
      stamp: AnyStamp,
      created: boolean,
      tableCreated: boolean,
    ) => {
      const hlc = stamp[1] ?? '';
      const offset = container.find(id);
      const existingHlc = offset < 0 ? '' : container.hlcAt(offset);
      if (existingHlc === '' || hlc > existingHlc) {
        writeLeaf(container, id, toEncoded(stamp[0]), hlc, created, tableCreated);
        if (hlc > maxHlc) {
          maxHlc = hlc;
        }
      }
    };
    tables.raiseHlc(tablesStamp[1] ?? '');
    const tablesThing = tablesStamp[0] as Record<Id, AnyStamp>;
    for (const tableId of Object.keys(tablesThing)) {
      const tableStamp = tablesThing[tableId];
      let table = tables.children.get(tableId);
      const tableCreated = table === undefined;
      if (!table) {
        table = new TableNode(tableId);
        tables.children.set(tableId, table);
        tables.markChildDirty(table);
      }
      table.raiseHlc(tableStamp[1] ?? '');
      const rowsThing = tableStamp[0] as Record<Id, AnyStamp>;
      for (const rowId of Object.keys(rowsThing)) {
        const rowStamp = rowsThing[rowId];
        let row = table.children.get(rowId);
        const rowCreated = row === undefined;
        if (!row) {
          row = new LeafContainer(rowId, table);
          table.children.set(rowId, row);
          table.markChildDirty(row);
          tables.markChildDirty(table);
        }
        const rowHlc = rowStamp[1] ?? '';
        if (rowHlc > row.hlc) {
          row.hlc = rowHlc;
          table.markChildDirty(row);
          tables.markChildDirty(table);
        }
        const cellsThing = rowStamp[0] as Record<Id, AnyStamp>;
        for (const cellId of Object.keys(cellsThing)) {
          mergeLeaf(row, cellId, cellsThing[cellId], rowCreated, tableCreated);
        }
      }
    }
    const valuesHlc = valuesStamp[1] ?? '';
    if (valuesHlc > values.hlc) {
      values.hlc = valuesHlc;
      values.dirty = true;
    }
    const valuesThing = valuesStamp[0] as Record<Id, AnyStamp>;
    for (const valueId of Object.keys(valuesThing)) {
      mergeLeaf(values, valueId, valuesThing[valueId], false, false);
    }
    return maxHlc;
  };

  const applyChanges = (input: unknown, encoded: boolean): string | undefined => {
    const reason = validateMergeable(input, validationOptions(false, encoded), true);
    if (reason !== undefined) {
      return reason;
    }
    if (mutationsBlocked) {
      return 'the store cannot be changed while its non-mutator listeners run';
    }
    let maxHlc = '';
    write(() => {
      maxHlc = mergeValidated(input as unknown[]);
    });
    clock.observe(maxHlc);
    return undefined;
  };

  const setContentFromMergeable = (input: unknown, encoded: boolean): string | undefined => {
    const reason = validateMergeable(input, validationOptions(true, encoded), false);
    if (reason !== undefined) {
      return reason;
    }
    if (mutationsBlocked) {
      return 'the store cannot be changed while its non-mutator listeners run';
    }
    let maxHlc = '';
    write(() => {
      // Everything becomes "absent" (undefined, no time), which any incoming stamp overwrites;
      // what the content does not mention is then dropped from the tree.
      for (const table of tables.children.values()) {
        for (const row of table.children.values()) {
          row.forEachLeaf((cellId, value, hlc) => {
            if (value !== undefined || hlc !== '') {
              writeLeaf(row, cellId, undefined, '', false, false);
            }
          });
        }
      }
      values.forEachLeaf((valueId, value, hlc) => {
        if (value !== undefined || hlc !== '') {
          writeLeaf(values, valueId, undefined, '', false, false);
        }
      });
      maxHlc = mergeValidated(input as unknown[]);
      pruneAbsent();
    });
    clock.observe(maxHlc);
    return undefined;
  };

  /** Drops leaves and containers left without a stamp, then recomputes every hash afresh. */
  const pruneAbsent = (): void => {
    const freshTables = new TablesNode();
    freshTables.liveCount = tables.liveCount;
    freshTables.raiseHlc(tables.hlc);
    for (const table of tables.children.values()) {
      for (const row of table.children.values()) {
        removeAbsentLeaves(row);
      }
    }
    // Rebuild container nodes' folded hashes from zero, as a fresh stamp map would have them.
    for (const table of tables.children.values()) {
      const freshTable = new TableNode(table.id);
      freshTable.liveCount = table.liveCount;
      freshTable.raiseHlc(table.hlc);
      freshTables.children.set(table.id, freshTable);
      freshTables.markChildDirty(freshTable);
      for (const row of table.children.values()) {
        const freshRow = new LeafContainer(row.id, freshTable);
        freshRow.hlc = row.hlc;
        freshRow.liveCount = row.liveCount;
        row.forEachLeaf((cellId, value, hlc) => freshRow.add(cellId, value, hlc));
        freshTable.children.set(row.id, freshRow);
        freshTable.markChildDirty(freshRow);
        if (log.rowsExistedBefore.has(row)) {
          log.rowsExistedBefore.set(freshRow, log.rowsExistedBefore.get(row)!);
          log.rowsExistedBefore.delete(row);
        }
      }
      if (log.tablesExistedBefore.has(table)) {
        log.tablesExistedBefore.set(freshTable, log.tablesExistedBefore.get(table)!);
        log.tablesExistedBefore.delete(table);
      }
    }
    retargetLog(freshTables);
    tables = freshTables;
    removeAbsentLeaves(values);
    values.dirty = true;
  };
  const removeAbsentLeaves = (container: LeafContainer): void => {
    const absent: string[] = [];
    container.forEachLeaf((id, value, hlc) => {
      if (value === undefined && hlc === '') {
        absent.push(id);
      }
    });
    for (const id of absent) {
      container.remove(container.find(id));
    }
  };
  /** Points logged cells at the rebuilt rows so listeners still see the transaction's changes. */
  const retargetLog = (freshTables: TablesNode): void => {
    for (let index = 0; index < log.size; index++) {
      const container = log.containers[index];
      if (container.table !== null) {
        const freshRow = freshTables.children.get(container.table.id)?.children.get(container.id);
        if (freshRow) {
          log.containers[index] = freshRow;
        }
      }
    }
  };

  // ---------------------------------------------------------------- mergeable reads

  const stampLeaf = (
    value: EncodedCellOrValue | undefined,
    hlc: string,
    withHashes: boolean,
    decode: boolean,
  ) => {
    const thing = decode ? decodeCellOrValue(value) : value;
    if (withHashes) {
      return [thing, hlc, getLeafHash(value, hlc)];
    }
    return hlc === '' ? [thing] : [thing, hlc];
  };

  const getContentTree = (decode: boolean): MergeableContent => {
    tables.computeHash();
    const tablesThing: Record<Id, unknown> = {};
    for (const table of tables.children.values()) {
      const rowsThing: Record<Id, unknown> = {};
      for (const row of table.children.values()) {
        const cellsThing: Record<Id, unknown> = {};
        row.forEachLeaf((cellId, value, hlc) =>
          setOwn(cellsThing, cellId, stampLeaf(value, hlc, true, decode)),
        );
        setOwn(rowsThing, row.id, [cellsThing, row.hlc, row.hash]);
      }
      setOwn(tablesThing, table.id, [rowsThing, table.hlc, table.hash]);
    }
    const valuesThing: Record<Id, unknown> = {};
    values.forEachLeaf((valueId, value, hlc) =>
      setOwn(valuesThing, valueId, stampLeaf(value, hlc, true, decode)),
    );
    return [
      [tablesThing, tables.hlc, tables.hash],
      [valuesThing, values.hlc, values.computeHash()],
    ] as MergeableContent;
  };

  /** The stamps touched by the current (or finishing) transaction. */
  const getTransactionChangesTree = (
    withHashes: boolean,
    decode: boolean,
  ): MergeableChanges<boolean> => {
    const tablesThing: Record<Id, [Record<Id, unknown>, ...unknown[]]> = {};
    const rowsByNode = new Map<RowNode, Record<Id, unknown>>();
    const valuesThing: Record<Id, unknown> = {};
    log.forEachLeaf((container, id) => {
      const offset = container.find(id);
      if (offset < 0) {
        return; // created and rolled back
      }
      const stamp = stampLeaf(
        container.valueAt(offset),
        container.hlcAt(offset),
        withHashes,
        decode,
      );
      if (container.table === null) {
        setOwn(valuesThing, id, stamp);
        return;
      }
      let cells = rowsByNode.get(container);
      if (!cells) {
        cells = {};
        rowsByNode.set(container, cells);
        const tableId = container.table.id;
        if (!Object.hasOwn(tablesThing, tableId)) {
          setOwn(tablesThing, tableId, [{}]);
        }
        setOwn(tablesThing[tableId][0], container.id, [cells]);
      }
      setOwn(cells, id, stamp);
    });
    if (withHashes) {
      // Containers carry the store's current hashes for them.
      tables.computeHash();
      for (const tableId of Object.keys(tablesThing)) {
        const table = tables.children.get(tableId)!;
        const rows = tablesThing[tableId][0];
        for (const rowId of Object.keys(rows)) {
          const row = table.children.get(rowId)!;
          setOwn(rows, rowId, [(rows[rowId] as unknown[])[0], row.hlc, row.hash]);
        }
        setOwn(tablesThing, tableId, [rows, table.hlc, table.hash]);
      }
      return [
        [tablesThing, tables.hlc, tables.hash],
        [valuesThing, values.hlc, values.computeHash()],
        1,
      ] as MergeableChanges<true>;
    }
    return [[tablesThing], [valuesThing], 1] as unknown as MergeableChanges;
  };

  // ---------------------------------------------------------------- listeners

  const addListener = (
    kind: ListenerKind,
    path: (Id | null | undefined)[],
    listener: ListenerRecord['listener'],
    mutator = false,
    sort?: ListenerRecord['sort'],
  ): Id =>
    registry.add({
      kind,
      path: path.map((id) => (id === null || id === undefined ? null : String(id))),
      listener,
      mutator: Boolean(mutator),
      sort,
      lastSortedRowIds: sort
        ? getSortedRowIds(String(path[0]), sort.cellId, sort.descending, sort.offset, sort.limit)
        : undefined,
    });

  const notifyContext = {
    get store() {
      return store;
    },
    registry,
    log,
    get tables() {
      return tables;
    },
    get values() {
      return values;
    },
    getTableCellIdCounts,
    call: callListener,
  };

  // ---------------------------------------------------------------- the public object

  const setContentParts = (tablesInput: unknown, valuesInput: unknown) => {
    const encodedTables = encodeTables(tablesInput);
    const encodedValues = encodeRow(valuesInput);
    write(() => {
      if (encodedTables) {
        replaceTables(encodedTables);
      }
      if (encodedValues) {
        replaceValues(encodedValues);
      }
    });
  };
  const replaceTables = (encoded: Map<Id, Map<Id, Map<Id, EncodedCellOrValue>>>) => {
    for (const [tableId, table] of encoded) {
      replaceTable(tableId, table);
    }
    for (const [tableId, table] of tables.children) {
      if (!encoded.has(tableId) && table.liveCount > 0) {
        deleteTable(table);
      }
    }
  };
  const replaceTable = (tableId: Id, encoded: Map<Id, Map<Id, EncodedCellOrValue>>) => {
    for (const [rowId, row] of encoded) {
      replaceRow(tableId, rowId, row);
    }
    const table = tables.children.get(tableId);
    for (const [rowId, row] of table ? table.children : []) {
      if (!encoded.has(rowId) && row.liveCount > 0) {
        deleteRow(row);
      }
    }
  };
  const replaceRow = (tableId: Id, rowId: Id, encoded: Map<Id, EncodedCellOrValue>) => {
    for (const [cellId, cell] of encoded) {
      writeLocalCell(tableId, rowId, cellId, cell);
    }
    const row = tables.children.get(tableId)?.children.get(rowId);
    for (const cellId of row ? row.getLiveIds() : []) {
      if (!encoded.has(cellId)) {
        writeLocalCell(tableId, rowId, cellId, undefined);
      }
    }
  };
  const replaceValues = (encoded: Map<Id, EncodedCellOrValue>) => {
    for (const [valueId, value] of encoded) {
      writeLocalValue(valueId, value);
    }
    for (const valueId of values.getLiveIds()) {
      if (!encoded.has(valueId)) {
        writeLocalValue(valueId, undefined);
      }
    }
  };
  const deleteRow = (row: RowNode) => {
    for (const cellId of row.getLiveIds()) {
      writeLocalCell(row.table!.id, row.id, cellId, undefined);
    }
  };
  const deleteTable = (table: TableNode) => {
    for (const row of table.children.values()) {
      if (row.liveCount > 0) {
        deleteRow(row);
      }
    }
  };

  const mapIfFunction = <Thing>(
    thingOrMapper: unknown,
    current: () => Thing | undefined,
  ): unknown => (typeof thingOrMapper === 'function' ? thingOrMapper(current()) : thingOrMapper);

  const readContent = (content: Content | (() => Content)): unknown =>
    typeof content === 'function' ? content() : content;

  store = {
    // Tables
    getTables: () => {
      const result: Tables = {};
      for (const [tableId, table] of liveEntries(tables.children)) {
        setOwn(result, tableId, tableToObject(table));
      }
      return result;
    },
    getTableIds: () => [...liveEntries(tables.children)].map(([id]) => id),
    getTable: (tableId) => {
      const table = getTableNode(tableId);
      return table ? tableToObject(table) : {};
    },
    getTableCellIds: (tableId) => {
      const table = getTableNode(tableId);
      if (!table) {
        return [];
      }
      const ids: Ids = [];
      for (const [cellId, count] of getTableCellIdCounts(table)) {
        if (count > 0) {
          ids.push(cellId);
        }
      }
      return ids;
    },
    getRowCount: (tableId) => getTableNode(tableId)?.liveCount ?? 0,
    getRowIds: (tableId) => {
      const table = getTableNode(tableId);
      return table ? [...liveEntries(table.children)].map(([id]) => id) : [];
    },
    getSortedRowIds: getSortedRowIds as MergeableStore['getSortedRowIds'],
    getRow: (tableId, rowId) => {
      const row = getRowNode(tableId, rowId);
      return row ? rowToObject(row) : {};
    },
    getCellIds: (tableId, rowId) => {
      return getRowNode(tableId, rowId)?.getLiveIds() ?? [];
    },
    getCell: (tableId, rowId, cellId) =>
      decodeCellOrValue(getLiveLeafValue(getRowNode(tableId, rowId), cellId)) as Cell | undefined,
    hasTables: () => tables.liveCount > 0,
    hasTable: (tableId) => (getTableNode(tableId)?.liveCount ?? 0) > 0,
    hasTableCell: (tableId, cellId) => {
      const table = getTableNode(tableId);
      return table ? (getTableCellIdCounts(table).get(String(cellId)) ?? 0) > 0 : false;
    },
    hasRow: (tableId, rowId) => (getRowNode(tableId, rowId)?.liveCount ?? 0) > 0,
    hasCell: (tableId, rowId, cellId) =>
      getLiveLeafValue(getRowNode(tableId, rowId), cellId) !== undefined,
    // Values
    getValues: () => rowToObject(values) as Values,
    getValueIds: () => values.getLiveIds(),
    getValue: (valueId) =>
      decodeCellOrValue(getLiveLeafValue(values, valueId)) as Value | undefined,
    hasValues: () => values.liveCount > 0,
    hasValue: (valueId) => getLiveLeafValue(values, valueId) !== undefined,
    // Content
    getContent: () => [store.getTables(), store.getValues()],
    setContent: (content) => {
      const resolved = readContent(content);
      if (Array.isArray(resolved)) {
        setContentParts(resolved[0], resolved[1]);
      }
      return store;
    },
    // Setters
    setTables: (tablesInput) => {
      const encoded = encodeTables(tablesInput);
      return encoded ? write(() => replaceTables(encoded)) : store;
    },
    setTable: (tableId, table) => {
      const encoded = encodeTable(table);
      return encoded ? write(() => replaceTable(String(tableId), encoded)) : store;
    },
    setRow: (tableId, rowId, row) => {
      const encoded = encodeRow(row);
      return encoded ? write(() => replaceRow(String(tableId), String(rowId), encoded)) : store;
    },
    addRow: (tableId, row, reuseRowIds = true) => {
      const encoded = encodeRow(row);
      if (!encoded || mutationsBlocked) {
        return undefined;
      }
      const rowId = newRowId(String(tableId), reuseRowIds);
      write(() => replaceRow(String(tableId), rowId, encoded));
      return rowId;
    },
    setPartialRow: (tableId, rowId, partialRow) => {
      const encoded = encodeRow(partialRow);
      return encoded
        ? write(() => {
            for (const [cellId, cell] of encoded) {
              writeLocalCell(String(tableId), String(rowId), cellId, cell);
            }
          })
        : store;
    },
    setCell: (tableId, rowId, cellId, cell) =>
      write(() => {
        const mapped = mapIfFunction(cell, () => store.getCell(tableId, rowId, cellId));
        const encoded = encodeCellOrValue(mapped);
        if (encoded !== undefined) {
          writeLocalCell(String(tableId), String(rowId), String(cellId), encoded);
        }
      }),
    setValues: (valuesInput) => {
      const encoded = encodeRow(valuesInput);
      return encoded ? write(() => replaceValues(encoded)) : store;
    },
    setPartialValues: (partialValues) => {
      const encoded = encodeRow(partialValues);
      return encoded
        ? write(() => {
            for (const [valueId, value] of encoded) {
              writeLocalValue(valueId, value);
            }
          })
        : store;
    },
    setValue: (valueId, value) =>
      write(() => {
        const mapped = mapIfFunction(value, () => store.getValue(valueId));
        const encoded = encodeCellOrValue(mapped);
        if (encoded !== undefined) {
          writeLocalValue(String(valueId), encoded);
        }
      }),
    // Deleters
    delTables: () =>
      write(() => {
        for (const table of tables.children.values()) {
          if (table.liveCount > 0) {
            deleteTable(table);
          }
        }
      }),
    delTable: (tableId) =>
      write(() => {
        const table = getTableNode(tableId);
        if (table) {
          deleteTable(table);
        }
      }),
    delRow: (tableId, rowId) =>
      write(() => {
        const row = getRowNode(tableId, rowId);
        if (row) {
          deleteRow(row);
        }
      }),
    delCell: (tableId, rowId, cellId) =>
      write(() => writeLocalCell(String(tableId), String(rowId), String(cellId), undefined)),
    delValues: () =>
      write(() => {
        for (const valueId of values.getLiveIds()) {
          writeLocalValue(valueId, undefined);
        }
      }),
    delValue: (valueId) => write(() => writeLocalValue(String(valueId), undefined)),
    // Transactions
    transaction: <Return>(
      actions: () => Return,
      doRollback?: (store: MergeableStore) => boolean,
    ): Return => {
      if (mutationsBlocked) {
        return undefined as Return;
      }
      startTransaction();
      let result: Return;
      try {
        result = actions();
      } finally {
        finishTransaction(doRollback);
      }
      return result;
    },
    startTransaction,
    finishTransaction,
    // Listeners
    addHasTablesListener: (listener, mutator) => addListener('hasTables', [], listener, mutator),
    addTablesListener: (listener, mutator) => addListener('tables', [], listener, mutator),
    addTableIdsListener: (listener, mutator) => addListener('tableIds', [], listener, mutator),
    addHasTableListener: (tableId, listener, mutator) =>
      addListener('hasTable', [tableId], listener, mutator),
    addTableListener: (tableId, listener, mutator) =>
      addListener('table', [tableId], listener, mutator),
    addTableCellIdsListener: (tableId, listener, mutator) =>
      addListener('tableCellIds', [tableId], listener, mutator),
    addHasTableCellListener: (tableId, cellId, listener, mutator) =>
      addListener('hasTableCell', [tableId, cellId], listener, mutator),
    addRowCountListener: (tableId, listener, mutator) =>
      addListener('rowCount', [tableId], listener, mutator),
    addRowIdsListener: (tableId, listener, mutator) =>
      addListener('rowIds', [tableId], listener, mutator),
    addSortedRowIdsListener: ((...args: unknown[]) => {
      if (typeof args[0] === 'object' && args[0] !== null) {
        const sortArgs = args[0] as SortedRowIdsArgs;
        return addListener(
          'sortedRowIds',
          [sortArgs.tableId],
          args[1] as ListenerRecord['listener'],
          args[2] as boolean,
          {
            cellId: sortArgs.cellId,
            descending: sortArgs.descending ?? false,
            offset: sortArgs.offset ?? 0,
            limit: sortArgs.limit,
          },
        );
      }
      const [tableId, cellId, descending, offset, limit, listener, mutator] = args as [
        Id,
        Id | undefined,
        boolean,
        number,
        number | undefined,
        ListenerRecord['listener'],
        boolean | undefined,
      ];
      return addListener('sortedRowIds', [tableId], listener, mutator, {
        cellId,
        descending: descending ?? false,
        offset: offset ?? 0,
        limit,
      });
    }) as MergeableStore['addSortedRowIdsListener'],
    addHasRowListener: (tableId, rowId, listener, mutator) =>
      addListener('hasRow', [tableId, rowId], listener, mutator),
    addRowListener: (tableId, rowId, listener, mutator) =>
      addListener('row', [tableId, rowId], listener, mutator),
    addCellIdsListener: (tableId, rowId, listener, mutator) =>
      addListener('cellIds', [tableId, rowId], listener, mutator),
    addHasCellListener: (tableId, rowId, cellId, listener, mutator) =>
      addListener('hasCell', [tableId, rowId, cellId], listener, mutator),
    addCellListener: (tableId, rowId, cellId, listener, mutator) =>
      addListener('cell', [tableId, rowId, cellId], listener, mutator),
    addHasValuesListener: (listener, mutator) => addListener('hasValues', [], listener, mutator),
    addValuesListener: (listener, mutator) => addListener('values', [], listener, mutator),
    addValueIdsListener: (listener, mutator) => addListener('valueIds', [], listener, mutator),
    addHasValueListener: (valueId, listener, mutator) =>
      addListener('hasValue', [valueId], listener, mutator),
    addValueListener: (valueId, listener, mutator) =>
      addListener('value', [valueId], listener, mutator),
    addStartTransactionListener: (listener) => addListener('startTransaction', [], listener),
    addWillFinishTransactionListener: (listener) =>
      addListener('willFinishTransaction', [], listener),
    addDidFinishTransactionListener: (listener) =>
      addListener('didFinishTransaction', [], listener),
    callListener: (listenerId) => {
      const record = registry.get(listenerId);
      if (record?.path.every((id) => id !== null)) {
        callListenerNow(record);
      }
      return store;
    },
    delListener: (listenerId) => {
      registry.delete(listenerId);
      return store;
    },
    getListenerStats: () => registry.stats(),
    // Mergeable
    isMergeable: () => true,
    getMergeableContent: () => getContentTree(true),
    setMergeableContent: (content) => {
      setContentFromMergeable(content, false);
      return store;
    },
    setDefaultContent: (content) => {
      const resolved = readContent(content);
      if (Array.isArray(resolved)) {
        write(() => {
          defaulting = true;
          try {
            setContentParts(resolved[0], resolved[1]);
          } finally {
            defaulting = false;
          }
        });
      }
      return store;
    },
    getTransactionMergeableChanges: (withHashes = false) =>
      getTransactionChangesTree(withHashes, true),
    applyMergeableChanges: (changes) => {
      applyChanges(changes, false);
      return store;
    },
    merge: (other) => {
      const mine = store.getMergeableContent();
      store.applyMergeableChanges(other.getMergeableContent());
      other.applyMergeableChanges(mine);
      return store;
    },
    ...getDiffs(() => {
      tables.computeHash();
      return {tables, values};
    }),
    // Internals for synchronizers and persisters (wire form)
    getEncodedMergeableContent: () => getContentTree(false),
    getEncodedTransactionChanges: () => getTransactionChangesTree(false, false) as MergeableChanges,
    applyEncodedMergeableChanges: (changes) => applyChanges(changes, true),
    setEncodedMergeableContent: (content) => setContentFromMergeable(content, true),
  } as FullMergeableStore;

  // ---------------------------------------------------------------- small helpers needing state

  const rowIdCounters = new Map<Id, number>();
  const newRowId = (tableId: Id, reuse: boolean): Id => {
    const table = tables.children.get(tableId);
    if (reuse) {
      // The smallest non-negative integer id that no live row uses.
      for (let candidate = 0; ; candidate++) {
        const row = table?.children.get(String(candidate));
        if (!row || row.liveCount === 0) {
          return String(candidate);
        }
      }
    }
    let next = rowIdCounters.get(tableId) ?? 0;
    while ((table?.children.get(String(next))?.liveCount ?? 0) > 0) {
      next++;
    }
    rowIdCounters.set(tableId, next + 1);
    return String(next);
  };

  const callListenerNow = (record: ListenerRecord): void => {
    const [id1, id2, id3] = record.path as Id[];
    const noChange = (...ids: Id[]) => {
      const cell = ids.length === 3 ? store.getCell(ids[0], ids[1], ids[2]) : undefined;
      return [false, cell, cell];
    };
    const byKind: Partial<Record<ListenerKind, unknown[]>> = {
      hasTables: [store, store.hasTables()],
      tables: [store, noChange],
      tableIds: [store, () => ({})],
      hasTable: [store, id1, store.hasTable(id1)],
      table: [store, id1, noChange],
      tableCellIds: [store, id1, () => ({})],
      hasTableCell: [store, id1, id2, store.hasTableCell(id1, id2)],
      rowCount: [store, id1, store.getRowCount(id1)],
      rowIds: [store, id1, () => ({})],
      hasRow: [store, id1, id2, store.hasRow(id1, id2)],
      row: [store, id1, id2, noChange],
      cellIds: [store, id1, id2, () => ({})],
      hasCell: [store, id1, id2, id3, store.hasCell(id1, id2, id3)],
      cell: [
        store,
        id1,
        id2,
        id3,
        store.getCell(id1, id2, id3),
        store.getCell(id1, id2, id3),
        noChange,
      ],
      hasValues: [store, store.hasValues()],
      values: [store, (valueId: Id) => [false, store.getValue(valueId), store.getValue(valueId)]],
      valueIds: [store, () => ({})],
      hasValue: [store, id1, store.hasValue(id1)],
      value: [store, id1, store.getValue(id1), store.getValue(id1), () => [false]],
    };
    const args = byKind[record.kind];
    if (args) {
      callListener(record, args);
    }
  };

  return store;
};
