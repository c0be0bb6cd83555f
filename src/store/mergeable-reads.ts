// Reads of the stamp tree in TinyBase's mergeable form: the whole content with hashes, and the
// stamps the current transaction changed. Both come decoded (public API) or encoded (wire form).
import {decodeCellOrValue, type EncodedCellOrValue} from './cell.js';
import {getLeafHash} from './hash.js';
import {setOwn} from './objects.js';
import type {StoreState} from './store-state.js';
import {TransactionChanges} from './transaction-changes.js';
import type {LeafContainer} from './tree.js';
import type {Id, LeafAddress, MergeableChanges, MergeableContent} from './types.js';

/** `[thing]` or `[thing, hlc]`: unhashed stamps omit an empty HLC. */
export const unhashedStamp = <Thing>(thing: Thing, hlc: string): [Thing] | [Thing, string] =>
  hlc === '' ? [thing] : [thing, hlc];

/** A leaf's stamp: [thing, hlc, hash] with hashes, else [thing, hlc], or [thing] with no time. */
const stampLeaf = (
  value: EncodedCellOrValue | undefined,
  hlc: string,
  withHashes: boolean,
  decode: boolean,
) => {
  const thing = decode ? decodeCellOrValue(value) : value;
  return withHashes ? [thing, hlc, getLeafHash(value, hlc)] : unhashedStamp(thing, hlc);
};

/** Every stamp in the tree, tombstones included, with hashes brought up to date. */
export const getContentTree = ({tables, values}: StoreState, decode: boolean): MergeableContent => {
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
export const getTransactionChangesTree = (
  {tables, values, log}: StoreState,
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

/**
 * The current encoded stamps of the named leaves, tombstones included, as unhashed changes; leaves
 * the store does not hold are left out. Costs a lookup per leaf, whatever the store's size.
 */
export const getLeafStampsTree = (
  {tables, values}: StoreState,
  addresses: Iterable<LeafAddress>,
): MergeableChanges => {
  const tablesThing: Record<Id, [Record<Id, [Record<Id, unknown>]>]> = {};
  const valuesThing: Record<Id, unknown> = {};
  for (const address of addresses) {
    if (address.length === 1) {
      copyLeaf(values, address[0], valuesThing);
      continue;
    }
    const [tableId, rowId, cellId] = address;
    const row = tables.children.get(tableId)?.children.get(rowId);
    if (row === undefined) {
      continue;
    }
    if (!Object.hasOwn(tablesThing, tableId)) {
      setOwn(tablesThing, tableId, [{}]);
    }
    const rows = tablesThing[tableId]![0];
    if (!Object.hasOwn(rows, rowId)) {
      setOwn(rows, rowId, [{}]);
    }
    copyLeaf(row, cellId, rows[rowId]![0]);
  }
  return [[tablesThing], [valuesThing], 1] as unknown as MergeableChanges;
};

/** The HLC of one leaf ('' for none), or undefined when the store does not hold it. */
export const getLeafHlc = (
  {tables, values}: StoreState,
  address: LeafAddress,
): string | undefined => {
  const container =
    address.length === 1 ? values : tables.children.get(address[0])?.children.get(address[1]);
  const offset = container?.find(address.length === 1 ? address[0] : address[2]) ?? -1;
  return offset >= 0 ? container!.hlcAt(offset) : undefined;
};

const copyLeaf = (container: LeafContainer, id: Id, into: Record<Id, unknown>): void => {
  const offset = container.find(id);
  if (offset >= 0) {
    setOwn(into, id, unhashedStamp(container.valueAt(offset), container.hlcAt(offset)));
  }
};
