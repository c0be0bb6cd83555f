// Merging stamps from another store: per cell and value, the stamp with the greater HLC wins, and
// the clock then observes the greatest HLC seen. Input is validated first (validate-mergeable.ts):
// a merge either applies whole or is refused with a reason.
import {type EncodedCellOrValue, encodeCellOrValue} from './cell.js';
import {type ContentResetContext, clearAllStamps, keepOnlyContent} from './content-reset.js';
import {getHlcTime, MAX_FUTURE_OFFSET_MS} from './hlc.js';
import {writeLeaf, writeLeafAt} from './local-writes.js';
import type {StoreState} from './store-state.js';
import {write} from './transactions.js';
import {LeafContainer, TableNode} from './tree.js';
import type {Id} from './types.js';
import {validateMergeable} from './validate-mergeable.js';

export const BLOCKED_REASON = 'the store cannot be changed while its non-mutator listeners run';

export const validationOptions = (
  {getNow}: StoreState,
  requireHashes: boolean,
  encoded: boolean,
) => ({
  requireHashes,
  encoded,
  maxTime: getNow() + MAX_FUTURE_OFFSET_MS,
  getTime: getHlcTime,
});

/** Encodes a leaf thing from the public API (objects become prefixed JSON). */
export const toEncoded = (thing: unknown): EncodedCellOrValue | undefined =>
  thing === undefined
    ? undefined
    : typeof thing === 'object' && thing !== null
      ? encodeCellOrValue(thing)
      : (thing as EncodedCellOrValue);

type AnyStamp = [unknown, string?, number?];
export type StampObject = Record<Id, AnyStamp>;
export const latest = (hlc1: string, hlc2: string | undefined) =>
  hlc2 !== undefined && hlc2 > hlc1 ? hlc2 : hlc1;

/**
 * Merges already-validated stamps into the tree. Returns the greatest HLC seen, which the clock
 * then observes: of the leaves that won, and of every container stamp, as TinyBase counts it.
 */
const mergeValidated = (state: StoreState, input: unknown[]): string => {
  const {tables, values} = state;
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
      table = new TableNode(tableId, tables.journal);
      tables.addChild(table);
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
        table.addChild(row);
        table.markChildDirty(row); // an empty row still counts in its table's hash
      }
      if ((rowHlc ?? '') > row.hlc) {
        row.setHlc(rowHlc as string);
        table.markChildDirty(row);
      }
      maxHlc = mergeLeaves(state, row, cellsThing as StampObject, rowCreated, tableCreated, maxHlc);
    }
  }
  maxHlc = latest(maxHlc, valuesStamp[1]);
  if ((valuesStamp[1] ?? '') > values.hlc) {
    values.setHlc(valuesStamp[1] as string);
    values.markDirty();
  }
  return mergeLeaves(state, values, valuesStamp[0] as StampObject, false, false, maxHlc);
};

/** Merges one leaf stamp: the later HLC wins; a leaf with no time loses to anything. */
export const mergeLeaf = (
  state: StoreState,
  container: LeafContainer,
  id: Id,
  thing: unknown,
  hlc: string,
  containerCreated: boolean,
  tableCreated: boolean,
  maxHlc: string,
): string => {
  const offset = container.find(id);
  const existingHlc = offset < 0 ? '' : container.hlcAt(offset);
  if (existingHlc !== '' && hlc <= existingHlc) {
    return maxHlc;
  }
  writeLeafAt(state, container, id, offset, toEncoded(thing), hlc, containerCreated, tableCreated);
  return latest(maxHlc, hlc);
};

/** Merges the leaf stamps of one container (mergeLeaf for each). */
export const mergeLeaves = (
  state: StoreState,
  container: LeafContainer,
  stamps: StampObject,
  containerCreated: boolean,
  tableCreated: boolean,
  maxHlc: string,
): string => {
  for (const id of Object.keys(stamps)) {
    const [thing, hlc = ''] = stamps[id];
    maxHlc = mergeLeaf(state, container, id, thing, hlc, containerCreated, tableCreated, maxHlc);
  }
  return maxHlc;
};

/**
 * Why the input cannot be merged now, or undefined when it can: it must be valid mergeable
 * changes (or, for a content, a valid content with hashes), and the store must accept writes.
 */
const whyRefused = (
  state: StoreState,
  input: unknown,
  isChanges: boolean,
  encoded: boolean,
): string | undefined =>
  validateMergeable(input, validationOptions(state, !isChanges, encoded), isChanges) ??
  (state.mutationsBlocked ? BLOCKED_REASON : undefined);

/**
 * Merges changes (or content) into the store in one transaction. Returns why the input was
 * refused, or undefined when it was applied.
 */
export const applyChanges = (
  state: StoreState,
  input: unknown,
  encoded: boolean,
): string | undefined => {
  const reason = whyRefused(state, input, true, encoded);
  if (reason === undefined) {
    write(state, () => {
      state.mergesInTransaction++;
      state.clock.observe(mergeValidated(state, input as unknown[]));
    });
  }
  return reason;
};

/**
 * Replaces the whole content with a mergeable content, stamps included, in one transaction.
 * Returns why the input was refused, or undefined when it was applied.
 */
export const setContentFromMergeable = (
  state: StoreState,
  input: unknown,
  encoded: boolean,
): string | undefined => {
  const reason = whyRefused(state, input, false, encoded);
  if (reason !== undefined) {
    return reason;
  }
  const reset: ContentResetContext = {
    tables: state.tables,
    values: state.values,
    log: state.log,
    write: (container, id, value, hlc) => writeLeaf(state, container, id, value, hlc, false, false),
  };
  write(state, () => {
    state.mergesInTransaction++;
    clearAllStamps(reset);
    state.trackPlainOrder = false;
    try {
      state.clock.observe(mergeValidated(state, input as unknown[]));
      keepOnlyContent(reset, input as unknown[]);
    } finally {
      state.trackPlainOrder = true;
    }
  });
  return undefined;
};
