// Running generated operations on a store, and comparing everything two stores can tell.
import {expect} from 'vitest';
import type {MergeableStore, Store} from '../../../src/store/types.js';
import {type Operation, rowIds, tableIds, valueIds} from './arbitraries.js';
import {expectSame} from './compare.js';
import type {ManualClock} from './wire.js';

/** Applies one operation; returns what the call returned or that it threw, for comparison. */
export const applyOperation = (store: Store, clock: ManualClock, operation: Operation): unknown => {
  try {
    switch (operation.kind) {
      case 'setCell':
        store.setCell(operation.tableId, operation.rowId, operation.cellId, operation.cell);
        return 'ok';
      case 'setRow':
        store.setRow(operation.tableId, operation.rowId, operation.row);
        return 'ok';
      case 'setPartialRow':
        store.setPartialRow(operation.tableId, operation.rowId, operation.row);
        return 'ok';
      case 'addRow':
        return store.addRow(operation.tableId, operation.row);
      case 'setTable':
        store.setTable(operation.tableId, operation.table);
        return 'ok';
      case 'setTables':
        store.setTables(operation.tables);
        return 'ok';
      case 'setValue':
        store.setValue(operation.valueId, operation.value);
        return 'ok';
      case 'setValues':
        store.setValues(operation.values);
        return 'ok';
      case 'setPartialValues':
        store.setPartialValues(operation.values);
        return 'ok';
      case 'delCell':
        store.delCell(operation.tableId, operation.rowId, operation.cellId, operation.forceDel);
        return 'ok';
      case 'delRow':
        store.delRow(operation.tableId, operation.rowId);
        return 'ok';
      case 'delTable':
        store.delTable(operation.tableId);
        return 'ok';
      case 'delTables':
        store.delTables();
        return 'ok';
      case 'delValue':
        store.delValue(operation.valueId);
        return 'ok';
      case 'delValues':
        store.delValues();
        return 'ok';
      case 'tick':
        clock.advance(operation.milliseconds);
        return 'ok';
      case 'transaction':
        return store.transaction(() =>
          operation.operations.map((inner) => applyOperation(store, clock, inner)),
        );
    }
  } catch (error) {
    return `threw ${error instanceof Error ? error.constructor.name : typeof error}`;
  }
};

/** Every id a getter might be asked about: those in the stores plus the generators' pools. */
const idsToAsk = (
  stores: MergeableStore[],
  known: string[],
  read: (store: MergeableStore) => string[],
) => [...new Set([...known, ...stores.flatMap(read)])];

/** Asserts that two stores hold the same content and answer every plain getter alike. */
export const expectSameStores = (actual: MergeableStore, expected: MergeableStore): void => {
  // Stamp trees must be equal, key order included (it is what goes on the wire); so must the
  // plain getters below.
  expectSame(actual.getMergeableContent(), expected.getMergeableContent(), 'getMergeableContent');
  expect(actual.getMergeableContentHashes(), 'hashes').toEqual(
    expected.getMergeableContentHashes(),
  );
  expectSame(actual.getMergeableTableHashes(), expected.getMergeableTableHashes(), 'tableHashes');
  expectSame(actual.getMergeableValueHashes(), expected.getMergeableValueHashes(), 'valueHashes');
  expectSame(actual.getTables(), expected.getTables(), 'getTables');
  expectSame(actual.getValues(), expected.getValues(), 'getValues');
  expectSame(actual.getContent(), expected.getContent(), 'getContent');
  expect(actual.getTableIds(), 'getTableIds').toEqual(expected.getTableIds());
  expect(actual.getValueIds(), 'getValueIds').toEqual(expected.getValueIds());
  expect(actual.hasTables()).toBe(expected.hasTables());
  expect(actual.hasValues()).toBe(expected.hasValues());
  const stores = [actual, expected];
  for (const tableId of idsToAsk(stores, tableIds, (store) => store.getTableIds())) {
    const label = `table ${JSON.stringify(tableId)}`;
    expect(actual.hasTable(tableId), label).toBe(expected.hasTable(tableId));
    expect(actual.getRowIds(tableId), `${label} getRowIds`).toEqual(expected.getRowIds(tableId));
    expect(actual.getRowCount(tableId), label).toBe(expected.getRowCount(tableId));
    expect(actual.getTableCellIds(tableId), `${label} getTableCellIds`).toEqual(
      expected.getTableCellIds(tableId),
    );
    const cellIds = [undefined, ...expected.getTableCellIds(tableId), 'missing'];
    for (const cellId of cellIds) {
      for (const descending of [false, true]) {
        expect(
          actual.getSortedRowIds(tableId, cellId, descending),
          `${label} getSortedRowIds(${cellId}, ${descending})`,
        ).toEqual(expected.getSortedRowIds(tableId, cellId, descending));
      }
      expect(actual.getSortedRowIds({tableId, cellId, offset: 1, limit: 2})).toEqual(
        expected.getSortedRowIds({tableId, cellId, offset: 1, limit: 2}),
      );
      if (cellId !== undefined) {
        expect(actual.hasTableCell(tableId, cellId)).toBe(expected.hasTableCell(tableId, cellId));
      }
    }
    for (const rowId of idsToAsk(stores, rowIds, (store) => store.getRowIds(tableId))) {
      expect(actual.hasRow(tableId, rowId)).toBe(expected.hasRow(tableId, rowId));
      expect(actual.getCellIds(tableId, rowId), `${label} row ${rowId}`).toEqual(
        expected.getCellIds(tableId, rowId),
      );
      expectSame(actual.getRow(tableId, rowId), expected.getRow(tableId, rowId));
    }
  }
  for (const valueId of idsToAsk(stores, valueIds, (store) => store.getValueIds())) {
    expect(actual.hasValue(valueId)).toBe(expected.hasValue(valueId));
    expectSame(actual.getValue(valueId), expected.getValue(valueId), `value ${valueId}`);
  }
};
