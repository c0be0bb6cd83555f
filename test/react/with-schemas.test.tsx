// @vitest-environment happy-dom
// syncstore/react/with-schemas: the hooks typed by a store's schemas, used as TinyBase's
// ui-react/with-schemas is (the module cast to WithSchemas). Each `@ts-expect-error` line is
// checked by `tsc --noEmit`: it fails the typecheck if the line compiles. The hooks then run for
// real against a typed store in a provider.
import {act, renderHook} from '@testing-library/react';
import type {ReactNode} from 'react';
import {describe, expect, expectTypeOf, test} from 'vitest';
import * as UiReact from '../../src/react/with-schemas.js';
import {createMergeableStore} from '../../src/with-schemas.js';

const tablesSchema = {
  pets: {species: {type: 'string'}, legs: {type: 'number', default: 4}},
} as const;
const valuesSchema = {open: {type: 'boolean', default: true}, motto: {type: 'string'}} as const;
type Schemas = [typeof tablesSchema, typeof valuesSchema];

const {
  Provider,
  useCell,
  useRow,
  useSetCellCallback,
  useStore,
  useTable,
  useTables,
  useValue,
  useValues,
} = UiReact as UiReact.WithSchemas<Schemas>;

const createTypedStore = () =>
  createMergeableStore('s').setTablesSchema(tablesSchema).setValuesSchema(valuesSchema);

describe('syncstore/react/with-schemas', () => {
  test('the typed hooks read and write a typed store', () => {
    const store = createTypedStore();
    store.setRow('pets', 'fido', {species: 'dog'});
    const wrapper = ({children}: {children: ReactNode}) => (
      <Provider store={store}>{children}</Provider>
    );
    const {result} = renderHook(
      () => {
        const legs = useCell('pets', 'fido', 'legs');
        const row = useRow('pets', 'fido');
        const table = useTable('pets');
        const tables = useTables();
        const open = useValue('open');
        const values = useValues();
        const setLegs = useSetCellCallback(
          'pets',
          (rowId: string) => rowId,
          'legs',
          () => (legs: number | undefined) => (legs ?? 0) + 1,
        );
        expectTypeOf(legs).toEqualTypeOf<number | undefined>();
        expectTypeOf(row).toEqualTypeOf<{species?: string; legs?: number}>();
        expectTypeOf(open).toEqualTypeOf<boolean>();
        expectTypeOf(useValue('motto')).toEqualTypeOf<string | undefined>();
        expectTypeOf(useStore()).toEqualTypeOf<ReturnType<typeof createTypedStore> | undefined>();
        // @ts-expect-error: no such table
        useCell('people', 'fido', 'legs');
        // @ts-expect-error: no such cell
        useCell('pets', 'fido', 'name');
        // @ts-expect-error: no such table
        useRow('people', 'fido');
        // @ts-expect-error: no such table
        useTable('people');
        // @ts-expect-error: no such value
        useValue('closed');
        // @ts-expect-error: legs is a number
        useSetCellCallback('pets', 'fido', 'legs', () => 'four');
        // @ts-expect-error: no such cell
        useSetCellCallback('pets', 'fido', 'name', () => 'Fido');
        return {legs, row, table, tables, open, values, setLegs};
      },
      {wrapper},
    );
    expect(result.current).toMatchObject({
      legs: 4,
      row: {species: 'dog', legs: 4},
      table: {fido: {species: 'dog', legs: 4}},
      tables: {pets: {fido: {species: 'dog', legs: 4}}},
      open: true,
      values: {open: true},
    });
    act(() => result.current.setLegs('fido'));
    expect(result.current.legs).toBe(5);
    expect(store.getCell('pets', 'fido', 'legs')).toBe(5);
  });

  test('the untyped hooks are the same functions', () => {
    const typed = UiReact as UiReact.WithSchemas<Schemas>;
    expect(typed.useCell).toBe(UiReact.useCell);
    expect(typed.useSetCellCallback).toBe(UiReact.useSetCellCallback);
  });
});
