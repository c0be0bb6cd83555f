// The hash functions TinyBase exports from its root, for apps that hash content themselves (to
// check a store's hashes, or to build mergeable content by hand). They compute what the store
// computes (hash.ts): a leaf's hash, a child's term in its container, and a container's hash as
// the XOR of its children's terms. Hashes are unsigned 32-bit FNV-1a.
import {fnv1a32, getChildHashTerm, getLeafChildHashTerm, getLeafHash} from './hash.js';
import type {CellOrUndefined, Hash, Hlc, Id, ValueOrUndefined} from './types.js';

/** The FNV-1a hash of a string's UTF-8 bytes. */
export const getHash = (string: string): Hash => fnv1a32(string);

/** Adds a term to a hash, or removes it again (XOR). */
export const addOrRemoveHash = (hash1: Hash, hash2: Hash): Hash => (hash1 ^ hash2) >>> 0;

const xorOfTerms = (hashes: {[id: Id]: Hash}, term: (id: Id, hash: Hash) => Hash): Hash => {
  let hash = 0;
  for (const id of Object.keys(hashes)) {
    hash ^= term(id, hashes[id]);
  }
  return hash >>> 0;
};

/** The hash of a cell stamp: its JSON (null when undefined) and its HLC. */
export const getCellHash = (cell: CellOrUndefined, cellHlc: Hlc): Hash =>
  getLeafHash(cell, cellHlc);
/**
 * `fnv(cellId:cellHash)`, a cell's term. (The row's hash that the store keeps also folds in
 * `fnv(cellId:0)` per cell, as getRowHash does; TinyBase's helper gives the bare term.)
 */
export const getCellInRowHash = (cellId: Id, cellHash: Hash): Hash =>
  getChildHashTerm(cellId, cellHash);
/** A row's hash from its cells' hashes. */
export const getRowHash = (cellHashes: {[cellId: Id]: Hash}): Hash =>
  xorOfTerms(cellHashes, getLeafChildHashTerm);
/** What a row adds to its table's hash. */
export const getRowInTableHash = (rowId: Id, rowHash: Hash): Hash =>
  getChildHashTerm(rowId, rowHash);
/** A table's hash from its rows' hashes. */
export const getTableHash = (rowHashes: {[rowId: Id]: Hash}): Hash =>
  xorOfTerms(rowHashes, getChildHashTerm);
/** What a table adds to the hash of all tables. */
export const getTableInTablesHash = (tableId: Id, tableHash: Hash): Hash =>
  getChildHashTerm(tableId, tableHash);
/** The hash of all tables from each table's hash. */
export const getTablesHash = (tableHashes: {[tableId: Id]: Hash}): Hash =>
  xorOfTerms(tableHashes, getChildHashTerm);
/** The hash of a value stamp, as getCellHash. */
export const getValueHash = (value: ValueOrUndefined, valueHlc: Hlc): Hash =>
  getLeafHash(value, valueHlc);
/** `fnv(valueId:valueHash)`, a value's term (see getCellInRowHash). */
export const getValueInValuesHash = (valueId: Id, valueHash: Hash): Hash =>
  getChildHashTerm(valueId, valueHash);
/** The hash of all values from each value's hash. */
export const getValuesHash = (valueHashes: {[valueId: Id]: Hash}): Hash =>
  xorOfTerms(valueHashes, getLeafChildHashTerm);
