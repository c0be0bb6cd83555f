// The synchronizer's Persister surface side by side with TinyBase's: the same members, the same
// return values (promises of the synchronizer), getStats counting every load, and schedule's queue.
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createLocalSynchronizer as createTinyBaseLocalSynchronizer} from 'tinybase/synchronizers/synchronizer-local';
import {afterEach, describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {createCustomSynchronizer} from '../../src/synchronizers/index.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import {Message} from '../../src/synchronizers/types.js';
import {waitUntil} from './helpers.js';

/** The calls the two libraries are compared on, on a synchronizer of either. */
type AnySynchronizer = {
  [method: string]: (...args: unknown[]) => unknown;
};
type Library = {
  name: string;
  create: (onSend?: (...args: unknown[]) => void) => AnySynchronizer;
};

const created: AnySynchronizer[] = [];
afterEach(async () => {
  for (const synchronizer of created.splice(0)) {
    await synchronizer.destroy();
  }
});

const libraries: Library[] = [
  {
    name: 'tinybase',
    create: (onSend) =>
      createTinyBaseLocalSynchronizer(createTinyBaseStore(), onSend) as unknown as AnySynchronizer,
  },
  {
    name: 'syncstore',
    create: (onSend) =>
      createLocalSynchronizer(createMergeableStore(), onSend) as unknown as AnySynchronizer,
  },
];

const create = (library: Library, onSend?: (...args: unknown[]) => void) => {
  const synchronizer = library.create(onSend);
  created.push(synchronizer);
  return synchronizer;
};

describe('the synchronizer surface, as TinyBase’s', () => {
  test('has every member TinyBase’s synchronizer has', () => {
    const [tinybase, syncstore] = libraries.map((library) => create(library));
    const missing = Object.keys(tinybase).filter(
      (key) => typeof (syncstore as Record<string, unknown>)[key] !== 'function',
    );
    expect(missing).toEqual([]);
    expect(Object.keys(tinybase)).toContain('schedule');
  });

  test('lifecycle methods return promises of the synchronizer, in both libraries', async () => {
    const methods = [
      'stopSync',
      'startSync',
      'load',
      'save',
      'stopAutoLoad',
      'startAutoLoad',
      'stopAutoSave',
      'startAutoSave',
      'stopAutoPersisting',
      'startAutoPersisting',
      'schedule',
      'destroy',
    ];
    const results = await Promise.all(
      libraries.map(async (library) => {
        // A second peer answers, so loads take no request timeout.
        create(library).startSync();
        const synchronizer = create(library);
        const returned: string[] = [];
        for (const method of methods) {
          const result = synchronizer[method]();
          returned.push(
            `${method}: ${result instanceof Promise ? 'promise' : typeof result} of ${
              (await result) === synchronizer ? 'itself' : 'something else'
            }`,
          );
        }
        return returned;
      }),
    );
    expect(results[1]).toEqual(results[0]);
    expect(results[1]).toEqual(methods.map((method) => `${method}: promise of itself`));
  });

  test('getStats counts a load that found no peer, with or without initial content', async () => {
    const stats = await Promise.all(
      libraries.map(async (library) => {
        const synchronizer = create(library);
        const seen = [synchronizer.getStats()];
        await synchronizer.startSync([{pets: {fido: {legs: 4}}}, {}]);
        seen.push(synchronizer.getStats());
        await synchronizer.load();
        seen.push(synchronizer.getStats());
        const store = synchronizer.getStore() as unknown as {getTables(): unknown};
        return {seen, tables: store.getTables()};
      }),
    );
    expect(stats[1]).toEqual(stats[0]);
    expect(stats[1]).toEqual({
      seen: [
        {loads: 0, saves: 0},
        {loads: 1, saves: 1},
        {loads: 2, saves: 1},
      ],
      tables: {pets: {fido: {legs: 4}}},
    });
  });

  test('getStats counts a load from a peer once, as TinyBase', async () => {
    const stats = await Promise.all(
      libraries.map(async (library) => {
        const first = create(library);
        await first.startSync();
        const second = create(library);
        await second.startSync();
        return second.getStats();
      }),
    );
    expect(stats[1]).toEqual(stats[0]);
    expect(stats[1]).toEqual({loads: 1, saves: 1});
  });

  test('status and stats go as TinyBase’s: alone, when a peer joins, and on a write', async () => {
    const runs = await Promise.all(
      libraries.map(async (library) => {
        const first = create(library);
        const second = create(library);
        const statuses: Record<string, number[]> = {first: [], second: []};
        first.addStatusListener((_synchronizer: unknown, status: number) =>
          statuses.first.push(status),
        );
        second.addStatusListener((_synchronizer: unknown, status: number) =>
          statuses.second.push(status),
        );
        const steps: string[] = [];
        const step = async (name: string, action: () => Promise<unknown>, done: () => boolean) => {
          await action();
          await waitUntil(done);
          steps.push(`${name}: first ${statuses.first.join()} second ${statuses.second.join()}`);
          statuses.first.length = 0;
          statuses.second.length = 0;
        };
        const store = (synchronizer: AnySynchronizer) =>
          synchronizer.getStore() as unknown as {
            setCell(...args: unknown[]): void;
            hasRow(...args: unknown[]): boolean;
          };
        await step(
          'alone',
          async () => first.startSync(),
          () => true,
        );
        // The first peer's pull of the joiner's announcement ends its status at Idle again.
        await step(
          'joins',
          async () => second.startSync(),
          () => statuses.first.length === 2,
        );
        await step(
          'writes',
          async () => store(first).setCell('t1', 'r1', 'c1', 1),
          () => store(second).hasRow('t1', 'r1') && statuses.second.length === 2,
        );
        steps.push(
          `stats: ${JSON.stringify([first.getStats(), second.getStats()])} ${JSON.stringify([
            first.getSynchronizerStats(),
            second.getSynchronizerStats(),
          ])}`,
        );
        return steps;
      }),
    );
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[1].slice(0, 3)).toEqual([
      'alone: first 1,0,2,0 second ',
      'joins: first 1,0 second 1,0,2,0',
      'writes: first 2,0 second 1,0',
    ]);
  });

  test('schedule runs its actions in turn; a save asked for meanwhile waits for them', async () => {
    const orders = await Promise.all(
      libraries.map(async (library) => {
        const order: string[] = [];
        const synchronizer = create(library, (_to, _requestId, message) =>
          order.push(`send ${message}`),
        );
        let releaseFirst = () => {};
        const scheduled = synchronizer.schedule(
          async () => {
            order.push('first starts');
            await new Promise<void>((resolve) => {
              releaseFirst = resolve;
            });
            order.push('first ends');
          },
          async () => {
            order.push('second');
          },
        );
        const saved = synchronizer.save();
        // The save waits behind the first action until it is released.
        await new Promise((resolve) => setTimeout(resolve, 0));
        order.push('released');
        releaseFirst();
        await Promise.all([scheduled, saved]);
        return order;
      }),
    );
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[1]).toEqual([
      'first starts',
      'released',
      'first ends',
      'second',
      `send ${Message.ContentHashes}`,
    ]);
  });

  test('delListener returns the synchronizer, as TinyBase documents (its own returns the store)', () => {
    const [tinybase, syncstore] = libraries.map((library) => create(library));
    const tinybaseId = tinybase.addStatusListener(() => {});
    expect(tinybase.delListener(tinybaseId)).toBe(tinybase.getStore());
    const syncstoreId = syncstore.addStatusListener(() => {});
    expect(syncstore.delListener(syncstoreId)).toBe(syncstore);
  });

  test('an action that throws is reported; the ones after it still run', async () => {
    const errors: Error[] = [];
    const synchronizer = createLocalSynchronizer(
      createMergeableStore(),
      undefined,
      undefined,
      (error) => errors.push(error),
    );
    created.push(synchronizer as unknown as AnySynchronizer);
    const order: string[] = [];
    const result = await synchronizer.schedule(
      async () => {
        throw new Error('migration failed');
      },
      async () => {
        order.push('after');
      },
    );
    expect(result).toBe(synchronizer);
    expect(order).toEqual(['after']);
    expect(errors.map(({message}) => message)).toEqual(['migration failed']);
  });

  test('destroy never fails, even when the transport throws as it is torn down', async () => {
    const errors: Error[] = [];
    const synchronizer = createCustomSynchronizer(
      createMergeableStore(),
      () => {},
      () => {},
      () => {
        throw new Error('socket already gone');
      },
      1,
      undefined,
      undefined,
      (error) => errors.push(error),
    );
    await expect(synchronizer.destroy()).resolves.toBe(synchronizer);
    expect(errors.map(({message}) => message)).toEqual(['socket already gone']);
    expect(synchronizer.getSyncStatus().connection).toBe('offline');
    await expect(synchronizer.destroy()).resolves.toBe(synchronizer);
  });
});
