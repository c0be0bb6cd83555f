// createMergeableStore: TinyBase's Store and MergeableStore API over one stamp tree (tree.ts).
// Every local write is stamped with the next HLC; every merge keeps, per cell and value, the stamp
// with the greater HLC. Listeners are called when the outermost transaction finishes.
import {
  decodeCellOrValue,
  type EncodedCellOrValue,
  encodeCellOrValue,
  isPlainObject,
} from './cell.js';
import {type ContentResetContext, clearAllStamps, keepOnlyContent} from './content-reset.js';
import {getDiffs} from './diffs.js';
import {getLeafHash} from './hash.js';
import {createHlcClock, getHlcTime, MAX_FUTURE_OFFSET_MS} from './hlc.js';
import {IdPool} from './id-pool.js';
import {type ListenerKind, type ListenerRecord, ListenerRegistry} from './listener-registry.js';
import {callSortedRowIdsListenerIfChanged, type NotifyContext, notifyListeners} from './notify.js';
import {setOwn} from './objects.js';
import {rollBack} from './rollback.js';
import {TransactionChanges} from './transaction-changes.js';
import {
  LEAF_FLIPPED,
  ROW_FLIPPED,
  TABLE_CELL_ID_FLIPPED,
  TABLE_FLIPPED,
  TransactionLog,
  VALUE_CHANGED,
} from './transaction-log.js';
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

/**
 * A non-empty plain object: what TinyBase accepts as a row, table, tables or values. (TinyBase
 * copies what it is given before checking it, so a frozen object is accepted too.)
 */
const isValidContainer = (thing: unknown): thing is Record<string, unknown> =>
  isPlainObject(thing) && Object.keys(thing).length > 0;

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
  const tables = new TablesNode();
  const values = new LeafContainer('', null);
  const registry = new ListenerRegistry();
  const log = new TransactionLog();
  let transactionDepth = 0;
  /** Set while listeners that may not mutate are running: writes are then ignored. */
  let mutationsBlocked = false;
  /** Set when something in the transaction threw: it is undone when it finishes. */
  let rollbackRequested = false;
  /** Set while a rollback puts leaves back: those writes are not logged. */
  let restoring = false;
  /** Off while setMergeableContent loads: it puts both orders in the content's order after. */
  let trackPlainOrder = true;
  /** When true, writes are stamped "" (defaults that never beat real data). */
  let defaulting = false;
  let listenerErrors: unknown[] = [];
  // Assigned once below; the closures above refer to it.
  let store: FullMergeableStore;

  // ---------------------------------------------------------------- the tree and its writes

  const getOrCreateTable = (tableId: Id): [TableNode, boolean] => {
    const table = tables.children.get(tableId);
    if (table) {
      return [table, false];
    }
    const created = new TableNode(tableId);
    tables.children.set(tableId, created);
    return [created, true];
  };
  const getOrCreateRow = (tableId: Id, rowId: Id): [RowNode, boolean, boolean] => {
    const [table, tableCreated] = getOrCreateTable(tableId);
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
   * The one place where a leaf changes: updates counts, plain order and dirty flags, and logs the
   * write with what it did.
   */
  const writeLeaf = (
    container: LeafContainer,
    id: Id,
    value: EncodedCellOrValue | undefined,
    hlc: string,
    containerCreated: boolean,
    tableCreated: boolean,
  ): void => {
    const offset = container.find(id);
    const leafCreated = offset < 0;
    const oldValue = leafCreated ? undefined : container.valueAt(offset);
    const oldHlc = leafCreated ? '' : container.hlcAt(offset);
    if (leafCreated) {
      container.add(id, value, hlc);
    } else {
      container.set(offset, value, hlc);
    }
    const table = container.table;
    if (table === null) {
      container.dirty = true;
    } else {
      table.markChildDirty(container);
      tables.markChildDirty(table);
    }
    let effects = value === oldValue ? 0 : VALUE_CHANGED;
    if ((oldValue !== undefined) !== (value !== undefined)) {
      effects |= onExistenceChange(container, id, value !== undefined, [
        leafCreated,
        containerCreated,
        tableCreated,
      ]);
    }
    if (!restoring) {
      log.record(container, id, oldValue, oldHlc, effects);
    }
  };

  /**
   * Keeps live counts, table cell ids and plain order when a leaf appears or disappears (`created`
   * says whether the leaf, its row, its table were just made); returns what appeared or went.
   */
  const onExistenceChange = (
    container: LeafContainer,
    id: Id,
    isLive: boolean,
    [leafCreated, rowCreated, tableCreated]: [boolean, boolean, boolean],
  ): number => {
    const delta = isLive ? 1 : -1;
    let effects = LEAF_FLIPPED;
    container.liveCount += delta;
    notePlainOrder(container, id, isLive, leafCreated);
    const table = container.table;
    if (table === null) {
      return effects;
    }
    // Cell ids of a table are kept in order of appearance; an id whose last cell goes is dropped.
    const count = (table.cellIdCounts.get(id) ?? 0) + delta;
    if (count === 0) {
      table.cellIdCounts.delete(id);
    } else {
      table.cellIdCounts.set(id, count);
    }
    if (count === (isLive ? 1 : 0)) {
      effects |= TABLE_CELL_ID_FLIPPED;
    }
    if (container.liveCount === (isLive ? 1 : 0)) {
      effects |= ROW_FLIPPED;
      notePlainOrder(table, container.id, isLive, rowCreated);
      table.liveCount += delta;
      if (table.liveCount === (isLive ? 1 : 0)) {
        effects |= TABLE_FLIPPED;
        notePlainOrder(tables, table.id, isLive, tableCreated);
        if (!isLive) {
          table.rowIdPool = undefined; // a table made again numbers its rows from 0
        }
        tables.liveCount += delta;
      }
    }
    return effects;
  };
  const notePlainOrder = (
    container: {noteLive(id: Id, created: boolean): void; noteDead(id: Id): void},
    id: Id,
    isLive: boolean,
    created: boolean,
  ): void => {
    if (!trackPlainOrder) {
      return;
    }
    if (isLive) {
      container.noteLive(id, created);
    } else {
      container.noteDead(id);
    }
  };

  /**
   * The HLC for a local write over a leaf stamped `existingHlc`, or undefined when the write must
   * not happen: defaults (stamped "") never overwrite real data.
   */
  const stampLocalWrite = (existingHlc: string): string | undefined => {
    if (defaulting) {
      clock.observe(); // TinyBase's clock reads the time for every change, defaults included
      return existingHlc === '' ? '' : undefined;
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
    if (value === undefined && readCell(tableId, rowId, cellId) === undefined) {
      return; // deleting what is not there changes nothing, and creates no containers
    }
    const [row, rowCreated, tableCreated] = getOrCreateRow(tableId, rowId);
    const offset = row.find(cellId);
    if ((offset < 0 ? undefined : row.valueAt(offset)) === value) {
      return;
    }
    const hlc = stampLocalWrite(offset < 0 ? '' : row.hlcAt(offset));
    if (hlc !== undefined) {
      writeLeaf(row, cellId, value, hlc, rowCreated, tableCreated);
    }
  };
  const writeLocalValue = (valueId: Id, value: EncodedCellOrValue | undefined) => {
    const offset = values.find(valueId);
    if ((offset < 0 ? undefined : values.valueAt(offset)) === value) {
      return;
    }
    const hlc = stampLocalWrite(offset < 0 ? '' : values.hlcAt(offset));
    if (hlc !== undefined) {
      writeLeaf(values, valueId, value, hlc, false, false);
    }
  };

  // ---------------------------------------------------------------- transactions
  // As in TinyBase: mutator listeners run first and may write into the transaction; then
  // doRollback decides; then will-finish listeners; then the other listeners, which may not
  // write; then did-finish listeners. Anything that throws on the way undoes the transaction.

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
  const throwListenerError = (): void => {
    if (listenerErrors.length > 0) {
      const [first] = listenerErrors;
      listenerErrors = [];
      throw first;
    }
  };
  const notify = (mutatorPhase: boolean): void => {
    if (log.size > 0 && registry.hasDataListeners(mutatorPhase)) {
      notifyListeners(notifyContext, mutatorPhase);
    }
  };

  const startTransaction = (): FullMergeableStore => {
    if (mutationsBlocked) {
      return store; // as TinyBase: no transaction starts while non-mutator listeners run
    }
    transactionDepth++;
    if (transactionDepth === 1) {
      log.begin(tables.liveCount > 0, values.liveCount > 0);
      callTransactionListeners('startTransaction');
      if (listenerErrors.length > 0) {
        rollbackRequested = true;
        finishTransaction(); // throws the listener's error
      }
    }
    return store;
  };

  const finishTransaction = (
    doRollback?: (store: MergeableStore) => boolean,
  ): FullMergeableStore => {
    if (transactionDepth === 0 || mutationsBlocked) {
      return store;
    }
    if (transactionDepth > 1) {
      transactionDepth--;
      return store;
    }
    // The depth stays at 1 while finishing, so that listeners' writes join this transaction.
    try {
      if (rollbackRequested) {
        rollback(); // something threw: undo silently, call no listeners
      } else {
        finishWithListeners(doRollback);
      }
    } finally {
      mutationsBlocked = false;
      rollbackRequested = false;
      transactionDepth = 0;
      log.clear();
    }
    throwListenerError();
    return store;
  };

  const finishWithListeners = (doRollback?: (store: MergeableStore) => boolean): void => {
    notify(true);
    if (listenerErrors.length > 0) {
      rollback(); // a failed mutator undoes the transaction; nothing else is called
      return;
    }
    let rolledBack = false;
    try {
      rolledBack = Boolean(doRollback?.(store));
    } catch (error) {
      listenerErrors.push(error);
      rollback();
      return;
    }
    if (rolledBack) {
      rollback();
    }
    callTransactionListeners('willFinishTransaction');
    if (listenerErrors.length > 0 && !rolledBack) {
      rollback();
      rolledBack = true;
    }
    mutationsBlocked = true;
    if (rolledBack) {
      log.clear(); // after will-finish listeners, a rolled-back transaction has no changes
    } else {
      notify(false);
    }
    callTransactionListeners('didFinishTransaction');
  };

  /** Runs actions in a transaction; if they throw, the whole (outermost) transaction is undone. */
  const runInTransaction = <Return>(
    actions: () => Return,
    doRollback?: (store: MergeableStore) => boolean,
  ): Return => {
    startTransaction();
    let result: Return;
    try {
      result = actions();
    } catch (error) {
      rollbackRequested = true;
      try {
        finishTransaction();
      } catch {
        // the actions' error is the one to report
      }
      throw error;
    }
    finishTransaction(doRollback);
    return result;
  };

  /** Runs writes in a transaction (joining the current one); ignored while mutations are blocked. */
  const write = (actions: () => void): FullMergeableStore => {
    if (!mutationsBlocked) {
      runInTransaction(actions);
    }
    return store;
  };

  // ---------------------------------------------------------------- rollback

  /** Puts every stamp back as it was when the transaction started; listeners are not called. */
  const rollback = (): void => {
    restoring = true;
    try {
      rollBack({
        log,
        clock,
        tables,
        values,
        restore: (container, id, value, hlc) => writeLeaf(container, id, value, hlc, false, false),
        readCell,
      });
    } finally {
      restoring = false;
    }
  };

  // ---------------------------------------------------------------- reads

  // Plain reads list live entries in plain order (see tree.ts).
  const rowToObject = (row: RowNode): Row => {
    const result: Row = {};
    row.forEachLiveLeaf((cellId, value) => {
      setOwn(result, cellId, decodeCellOrValue(value) as Cell);
    });
    return result;
  };
  const tableToObject = (table: TableNode): Table => {
    const result: Table = {};
    for (const row of table.liveChildren()) {
      setOwn(result, row.id, rowToObject(row));
    }
    return result;
  };
  const getTableNode = (tableId: Id) => tables.children.get(String(tableId));
  const getRowNode = (tableId: Id, rowId: Id) => getTableNode(tableId)?.children.get(String(rowId));
  const getLiveLeafValue = (container: LeafContainer | undefined, id: Id) =>
    container?.getValue(String(id));

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
    for (const row of table.liveChildren()) {
      keyed.push([cellId === undefined ? row.id : decodeCellOrValue(row.getValue(cellId)), row.id]);
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
  type StampObject = Record<Id, AnyStamp>;
  const latest = (hlc1: string, hlc2: string | undefined) =>
    hlc2 !== undefined && hlc2 > hlc1 ? hlc2 : hlc1;

  /**
   * Merges already-validated stamps into the tree. Returns the greatest HLC seen, which the clock
   * then observes: of the leaves that won, and of every container stamp, as TinyBase counts it.
   */
  const mergeValidated = (input: unknown[]): string => {
    const [tablesStamp, valuesStamp] = input as [AnyStamp, AnyStamp];
    let maxHlc = latest('', tablesStamp[1]);
    tables.raiseHlc(tablesStamp[1] ?? '');
    const tablesThing = tablesStamp[0] as StampObject;
    for (const tableId of Object.keys(tablesThing)) {
      const [rowsThing, tableHlc] = tablesThing[tableId];
      maxHlc = latest(maxHlc, tableHlc);
      let table = tables.children.get(tableId);
      const tableCreated = table === undefined;
      if (!table) {
        table = new TableNode(tableId);
        tables.children.set(tableId, table);
      }
      tables.markChildDirty(table);
      table.raiseHlc(tableHlc ?? '');
      for (const rowId of Object.keys(rowsThing as StampObject)) {
        const [cellsThing, rowHlc] = (rowsThing as StampObject)[rowId];
        maxHlc = latest(maxHlc, rowHlc);
        let row = table.children.get(rowId);
        const rowCreated = row === undefined;
        if (!row) {
          row = new LeafContainer(rowId, table);
          table.children.set(rowId, row);
          table.markChildDirty(row); // an empty row still counts in its table's hash
        }
        if ((rowHlc ?? '') > row.hlc) {
          row.hlc = rowHlc as string;
          table.markChildDirty(row);
        }
        maxHlc = mergeLeaves(row, cellsThing as StampObject, rowCreated, tableCreated, maxHlc);
      }
    }
    maxHlc = latest(maxHlc, valuesStamp[1]);
    if ((valuesStamp[1] ?? '') > values.hlc) {
      values.hlc = valuesStamp[1] as string;
      values.dirty = true;
    }
    return mergeLeaves(values, valuesStamp[0] as StampObject, false, false, maxHlc);
  };

  /** Merges leaf stamps: the later HLC wins; a leaf with no time loses to anything. */
  const mergeLeaves = (
    container: LeafContainer,
    stamps: StampObject,
    containerCreated: boolean,
    tableCreated: boolean,
    maxHlc: string,
  ): string => {
    for (const id of Object.keys(stamps)) {
      const [thing, hlc = ''] = stamps[id];
      const offset = container.find(id);
      const existingHlc = offset < 0 ? '' : container.hlcAt(offset);
      if (existingHlc === '' || hlc > existingHlc) {
        writeLeaf(container, id, toEncoded(thing), hlc, containerCreated, tableCreated);
        maxHlc = latest(maxHlc, hlc);
      }
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
    write(() => clock.observe(mergeValidated(input as unknown[])));
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
    const reset: ContentResetContext = {
      tables,
      values,
      log,
      write: (container, id, value, hlc) => writeLeaf(container, id, value, hlc, false, false),
    };
    write(() => {
      clearAllStamps(reset);
      trackPlainOrder = false;
      try {
        clock.observe(mergeValidated(input as unknown[]));
        keepOnlyContent(reset, input as unknown[]);
      } finally {
        trackPlainOrder = true;
      }
    });
    return undefined;
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

  /**
   * The stamps of the cells and values whose plain value the current (or finishing) transaction
   * changed, even if it changed them back, as TinyBase reports them. Containers come with the
   * store's current hashes when asked for hashes.
   */
  const getTransactionChangesTree = (
    withHashes: boolean,
    decode: boolean,
  ): MergeableChanges<boolean> => {
    const changes = new TransactionChanges(log);
    if (withHashes) {
      tables.computeHash();
      values.computeHash();
    }
    const stamp = <Thing>(thing: Thing, container: {hlc: string; hash: number}) =>
      withHashes ? [thing, container.hlc, container.hash] : unhashedStamp(thing, container.hlc);
    const tablesThing: Record<Id, unknown> = {};
    for (const [tableId, rows] of changes.cells) {
      const table = tables.children.get(tableId);
      if (table === undefined) {
        continue; // created and rolled back, or dropped by setMergeableContent
      }
      const rowsThing: Record<Id, unknown> = {};
      for (const [rowId, cells] of rows) {
        const row = table.children.get(rowId);
        if (row !== undefined) {
          setOwn(rowsThing, rowId, stamp(leafStamps(row, cells.keys(), withHashes, decode), row));
        }
      }
      setOwn(tablesThing, tableId, stamp(rowsThing, table));
    }
    const valuesThing = leafStamps(values, changes.values.keys(), withHashes, decode);
    return [stamp(tablesThing, tables), stamp(valuesThing, values), 1] as MergeableChanges<boolean>;
  };
  /** Stamps of the named leaves that exist in the container. */
  const leafStamps = (
    container: LeafContainer,
    ids: Iterable<Id>,
    withHashes: boolean,
    decode: boolean,
  ): Record<Id, unknown> => {
    const stamps: Record<Id, unknown> = {};
    for (const id of ids) {
      const offset = container.find(id);
      if (offset >= 0) {
        setOwn(
          stamps,
          id,
          stampLeaf(container.valueAt(offset), container.hlcAt(offset), withHashes, decode),
        );
      }
    }
    return stamps;
  };
  const unhashedStamp = <Thing>(thing: Thing, hlc: string) => (hlc === '' ? [thing] : [thing, hlc]);

  // ---------------------------------------------------------------- listeners

  const toPathId = (id: Id | null | undefined) =>
    id === null || id === undefined ? null : String(id);
  const addListener = (
    kind: ListenerKind,
    path: (Id | null | undefined)[],
    listener: ListenerRecord['listener'],
    mutator = false,
    sort?: ListenerRecord['sort'],
  ): Id =>
    registry.add({
      kind,
      // A sorted row id listener is found by its table and the cell it sorts by, if any.
      path: sort
        ? [String(path[0]), sort.cellId === undefined ? undefined : String(sort.cellId)]
        : path.map(toPathId),
      listener,
      mutator: Boolean(mutator),
      sort,
      lastSortedRowIds: sort
        ? getSortedRowIds(String(path[0]), sort.cellId, sort.descending, sort.offset, sort.limit)
        : undefined,
    });

  const readCell = (tableId: Id, rowId: Id, cellId: Id) =>
    tables.children.get(tableId)?.children.get(rowId)?.getValue(cellId);
  const notifyContext: NotifyContext = {
    get store() {
      return store;
    },
    registry,
    log,
    readCell,
    readValue: (valueId) => values.getValue(valueId),
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
    for (const table of tables.liveChildren()) {
      if (!encoded.has(table.id)) {
        deleteTable(table);
      }
    }
  };
  const replaceTable = (tableId: Id, encoded: Map<Id, Map<Id, EncodedCellOrValue>>) => {
    for (const [rowId, row] of encoded) {
      replaceRow(tableId, rowId, row);
    }
    for (const row of tables.children.get(tableId)?.liveChildren() ?? []) {
      if (!encoded.has(row.id)) {
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
  /** Deletes a whole row; its id may be used again by addRow, as in TinyBase. */
  const deleteRow = (row: RowNode) => {
    const table = row.table!;
    table.rowIdPool ??= new IdPool();
    table.rowIdPool.release(row.id);
    for (const cellId of row.getLiveIds()) {
      writeLocalCell(table.id, row.id, cellId, undefined);
    }
  };
  const deleteTable = (table: TableNode) => {
    for (const row of table.liveChildren()) {
      deleteRow(row);
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
      for (const table of tables.liveChildren()) {
        setOwn(result, table.id, tableToObject(table));
      }
      return result;
    },
    getTableIds: () => tables.liveChildren().map((table) => table.id),
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
      for (const [cellId, count] of table.cellIdCounts) {
        if (count > 0) {
          ids.push(cellId);
        }
      }
      return ids;
    },
    getRowCount: (tableId) => getTableNode(tableId)?.liveCount ?? 0,
    getRowIds: (tableId) => {
      const table = getTableNode(tableId);
      return table ? table.liveChildren().map((row) => row.id) : [];
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
      return table ? (table.cellIdCounts.get(String(cellId)) ?? 0) > 0 : false;
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
      return write(() => encoded && replaceTables(encoded));
    },
    setTable: (tableId, table) => {
      const encoded = encodeTable(table);
      return write(() => encoded && replaceTable(String(tableId), encoded));
    },
    setRow: (tableId, rowId, row) => {
      const encoded = encodeRow(row);
      return write(() => encoded && replaceRow(String(tableId), String(rowId), encoded));
    },
    addRow: (tableId, row, reuseRowIds = true) => {
      if (mutationsBlocked) {
        return undefined;
      }
      const encoded = encodeRow(row);
      // A transaction runs even when the row is invalid, as in TinyBase.
      return runInTransaction(() => {
        if (!encoded) {
          return undefined;
        }
        const rowId = takeRowId(String(tableId), reuseRowIds);
        replaceRow(String(tableId), rowId, encoded);
        return rowId;
      });
    },
    setPartialRow: (tableId, rowId, partialRow) => {
      const encoded = encodeRow(partialRow);
      return write(() => {
        if (!encoded) {
          return;
        }
        for (const [cellId, cell] of encoded) {
          writeLocalCell(String(tableId), String(rowId), cellId, cell);
        }
      });
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
      return write(() => encoded && replaceValues(encoded));
    },
    setPartialValues: (partialValues) => {
      const encoded = encodeRow(partialValues);
      return write(() => {
        if (!encoded) {
          return;
        }
        for (const [valueId, value] of encoded) {
          writeLocalValue(valueId, value);
        }
      });
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
        for (const table of tables.liveChildren()) {
          deleteTable(table);
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
    ): Return => (mutationsBlocked ? (undefined as Return) : runInTransaction(actions, doRollback)),
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
      if (record?.kind === 'sortedRowIds') {
        // As in TinyBase, only if the sorted ids are no longer those it was last given.
        callSortedRowIdsListenerIfChanged(notifyContext, record);
      } else if (record) {
        for (const path of expandWildcards(record)) {
          callListenerNow(record, path);
        }
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
      // In TinyBase's order: both contents first, then the other store takes mine.
      const mine = store.getMergeableContent();
      const theirs = other.getMergeableContent();
      other.applyMergeableChanges(mine);
      store.applyMergeableChanges(theirs);
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

  /** An id for a new row: from the table's pool, skipping ids of rows that exist. */
  const takeRowId = (tableId: Id, reuse: boolean): Id => {
    const [table] = getOrCreateTable(tableId); // the row written next keeps it
    table.rowIdPool ??= new IdPool();
    let rowId: Id;
    do {
      rowId = table.rowIdPool.take(reuse);
    } while ((table.children.get(rowId)?.liveCount ?? 0) > 0);
    return rowId;
  };

  /** The concrete id paths a (possibly wildcarded) listener covers, for existing data. */
  const expandWildcards = (record: ListenerRecord): Id[][] => {
    const isValueKind = record.kind === 'value' || record.kind === 'hasValue';
    const idsAt = (depth: number, prefix: Id[]): Ids => {
      if (isValueKind) {
        return store.getValueIds();
      }
      if (depth === 0) {
        return store.getTableIds();
      }
      if (record.kind === 'hasTableCell') {
        return store.getTableCellIds(prefix[0]);
      }
      return depth === 1 ? store.getRowIds(prefix[0]) : store.getCellIds(prefix[0], prefix[1]);
    };
    let paths: Id[][] = [[]];
    (record.path as (Id | null)[]).forEach((id, depth) => {
      paths = paths.flatMap((prefix) =>
        (id === null ? idsAt(depth, prefix) : [id]).map((next) => [...prefix, next]),
      );
    });
    return paths;
  };

  /**
   * Calls a listener for one concrete id path with what TinyBase gives on callListener: the ids,
   * then the current has-state or cell/value (twice, as new and old), and nothing else. A listener
   * that throws throws to the caller.
   */
  const callListenerNow = (record: ListenerRecord, path: Id[]): void => {
    const [id1, id2, id3] = path;
    const twice = (thing: unknown) => [thing, thing];
    const extraArgs: Partial<Record<ListenerKind, () => unknown[]>> = {
      hasTables: () => [store.hasTables()],
      hasTable: () => [store.hasTable(id1)],
      hasTableCell: () => [store.hasTableCell(id1, id2)],
      hasRow: () => [store.hasRow(id1, id2)],
      hasCell: () => [store.hasCell(id1, id2, id3)],
      cell: () => twice(store.getCell(id1, id2, id3)),
      hasValues: () => [store.hasValues()],
      hasValue: () => [store.hasValue(id1)],
      value: () => twice(store.getValue(id1)),
    };
    record.listener(store, ...path, ...(extraArgs[record.kind]?.() ?? []));
  };

  return store;
};
