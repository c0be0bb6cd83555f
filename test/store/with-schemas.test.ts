// syncstore/with-schemas: a store typed by its schemas. Each `@ts-expect-error` line is checked by
// `tsc --noEmit` (test/ is in tsconfig.json): it fails the typecheck if the line compiles, so
// these prove that wrong table ids, cell ids, value ids and cell types are refused, while the
// lines without it prove that the right ones are accepted. The runtime checks show the typed
// store is the ordinary one.
import {describe, expect, expectTypeOf, test} from 'vitest';
import {createIndexedDbPersister} from '../../src/persisters/persister-indexed-db.js';
import {createCustomSynchronizer} from '../../src/synchronizers/index.js';
import {createBroadcastChannelSynchronizer} from '../../src/synchronizers/synchronizer-broadcast-channel.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {createMergeableStore, createStore, type Store} from '../../src/with-schemas.js';

const tablesSchema = {
  pets: {
    species: {type: 'string'},
    legs: {type: 'number', default: 4},
    sold: {type: 'boolean', allowNull: true},
    tags: {type: 'array'},
    size: {enum: ['small', 'big']},
    owner: {type: ['string', 'number'], required: true},
  },
  shops: {name: {type: 'string'}},
} as const;
const valuesSchema = {
  open: {type: 'boolean', default: false},
  motto: {type: 'string'},
} as const;

describe('syncstore/with-schemas', () => {
  test('the schema types the store methods', () => {
    const store = createMergeableStore('s').setTablesSchema(tablesSchema);
    store.setRow('pets', 'fido', {species: 'dog', owner: 1});
    store.setCell('pets', 'fido', 'legs', 3);
    store.setCell('pets', 'fido', 'legs', (legs) => (legs ?? 0) + 1);
    store.setCell('pets', 'fido', 'sold', null);
    store.setCell('pets', 'fido', 'tags', ['good']);
    store.setCell('pets', 'fido', 'size', 'small');
    store.setPartialRow('pets', 'fido', {species: 'wolf'});
    store.setTable('shops', {main: {name: 'Pet Co'}});
    // @ts-expect-error: no such table
    store.setCell('people', 'fido', 'legs', 3);
    // @ts-expect-error: no such cell in pets
    store.setCell('pets', 'fido', 'name', 'Fido');
    // @ts-expect-error: legs is a number
    store.setCell('pets', 'fido', 'legs', 'three');
    // @ts-expect-error: sold does not take a string
    store.setCell('pets', 'fido', 'sold', 'yes');
    // @ts-expect-error: species does not allow null
    store.setCell('pets', 'fido', 'species', null);
    // @ts-expect-error: size is one of its enum
    store.setCell('pets', 'fido', 'size', 'huge');
    // @ts-expect-error: owner is required in a row
    store.setRow('pets', 'rex', {species: 'dog'});
    // @ts-expect-error: a cell of the wrong type in a row
    store.setRow('pets', 'rex', {owner: 'me', legs: 'four'});
    // @ts-expect-error: a cell of another table
    store.setPartialRow('shops', 'main', {species: 'dog'});
    // @ts-expect-error: no such table
    store.getTable('people');
    // @ts-expect-error: no such cell
    store.getCell('shops', 'main', 'species');

    const legs = store.getCell('pets', 'fido', 'legs');
    expectTypeOf(legs).toEqualTypeOf<number | undefined>();
    expectTypeOf(store.getCell('pets', 'fido', 'owner')).toEqualTypeOf<
      string | number | undefined
    >();
    expectTypeOf(store.getCell('pets', 'fido', 'sold')).toEqualTypeOf<boolean | null | undefined>();
    expectTypeOf(store.getCell('pets', 'fido', 'size')).toEqualTypeOf<
      'small' | 'big' | undefined
    >();
    expectTypeOf(store.getRow('shops', 'main')).toEqualTypeOf<{name?: string}>();
    expectTypeOf(store.getTableIds()).toEqualTypeOf<('pets' | 'shops')[]>();
    expectTypeOf(store.getCellIds('shops', 'main')).toEqualTypeOf<'name'[]>();

    expect(legs).toBe(4);
    // The refused lines ran too: the schema refused or defaulted what they wrote at run time.
    expect(store.getTables()).toEqual({
      pets: {
        fido: {species: 'wolf', owner: 1, legs: 4, sold: null, tags: ['good'], size: 'small'},
        rex: {owner: 'me', legs: 4},
      },
      shops: {main: {name: 'Pet Co'}},
    });
  });

  test('the values schema types the value methods; setSchema types both', () => {
    const store = createMergeableStore('s').setSchema(tablesSchema, valuesSchema);
    store.setValue('motto', 'be kind');
    store.setValue('open', (open) => !open);
    store.setPartialValues({motto: 'be kinder'});
    // @ts-expect-error: no such value
    store.setValue('closed', true);
    // @ts-expect-error: open is a boolean
    store.setValue('open', 'yes');
    // @ts-expect-error: motto is a string
    store.setValues({motto: 1});
    // @ts-expect-error: the tables schema is there too
    store.setCell('pets', 'fido', 'legs', 'three');
    expectTypeOf(store.getValue('open')).toEqualTypeOf<boolean>(); // it has a default
    expectTypeOf(store.getValue('motto')).toEqualTypeOf<string | undefined>();
    expectTypeOf(store.getValues()).toMatchTypeOf<{open: boolean; motto?: string}>();
    // At run time the refused setValues({motto: 1}) replaced the values: motto refused, open
    // back to its default.
    expect(store.getValues()).toEqual({open: false});

    // Setting only the values schema keeps the tables schema's types, and the reverse.
    const valuesOnly = createMergeableStore().setValuesSchema(valuesSchema);
    valuesOnly.setCell('any table', 'any row', 'any cell', 'anything');
    // @ts-expect-error: open is a boolean
    valuesOnly.setValue('open', 1);
    const both = valuesOnly.setTablesSchema(tablesSchema);
    // @ts-expect-error: open is still a boolean
    both.setValue('open', 1);
    // @ts-expect-error: and legs a number
    both.setCell('pets', 'r', 'legs', '1');
  });

  test('without a schema, or after deleting it, any id and any cell compile', () => {
    const store = createMergeableStore('s');
    store.setCell('any', 'row', 'cell', {deep: [1]});
    const typed = store.setTablesSchema(tablesSchema);
    // @ts-expect-error: typed now
    typed.setCell('any', 'row', 'cell', 1);
    const untyped = typed.delTablesSchema();
    untyped.setCell('any', 'row', 'cell', 1);
    expect(untyped.getCell('any', 'row', 'cell')).toBe(1);
  });

  test('synchronizers and persisters take a typed store', async () => {
    const store = createMergeableStore('a').setSchema(tablesSchema, valuesSchema);
    const other = createMergeableStore('b').setTablesSchema(tablesSchema);
    const untyped = createMergeableStore('c');
    // These compile: the factories take any MergeableStore, typed by schemas or not.
    const synchronizers = [store, other, untyped].map((someStore) =>
      createLocalSynchronizer(someStore),
    );
    const typeOnly = () => {
      createWsSynchronizer(store, 'ws://localhost:1');
      createWsSynchronizer(store, 'ws://localhost:1', 'room');
      createBroadcastChannelSynchronizer(store, 'channel');
      createIndexedDbPersister(store, 'db');
      createCustomSynchronizer(
        store,
        () => {},
        () => {},
        () => {},
        1,
      );
      // @ts-expect-error: not a store
      createLocalSynchronizer({});
    };
    expect(typeOnly).toBeTypeOf('function');
    await Promise.all(synchronizers.map((synchronizer) => synchronizer.startSync()));
    store.setRow('pets', 'fido', {species: 'dog', owner: 1});
    await expect.poll(() => other.getCell('pets', 'fido', 'species')).toBe('dog');
    expect(synchronizers[0]?.getStore()).toBe(store);
    await Promise.all(synchronizers.map((synchronizer) => synchronizer.destroy()));
  });

  test('createStore: a plain Store typed by its schemas', () => {
    const store = createStore().setSchema(tablesSchema, valuesSchema);
    store.setRow('pets', 'fido', {species: 'dog', owner: 1});
    store.setCell('pets', 'fido', 'legs', 3).setValue('motto', 'hi');
    // @ts-expect-error: no such table
    store.setCell('people', 'fido', 'legs', 3);
    // @ts-expect-error: legs is a number
    store.setCell('pets', 'fido', 'legs', 'three');
    // @ts-expect-error: no such value
    store.getValue('closed');
    // @ts-expect-error: a plain Store has no mergeable content, even after a typed setter
    const notMergeable = () => store.setCell('pets', 'fido', 'legs', 3).getMergeableContent();
    expect(notMergeable).toThrow();
    expectTypeOf(store.getCell('pets', 'fido', 'legs')).toEqualTypeOf<number | undefined>();
    expectTypeOf(store.setValue('open', true)).toEqualTypeOf<
      Store<[typeof tablesSchema, typeof valuesSchema]>
    >();
    expect(store.isMergeable()).toBe(false);
    expect(store.getCell('pets', 'fido', 'legs')).toBe(3);
    expect(store.getValues()).toEqual({open: true, motto: 'hi'});
  });
});
