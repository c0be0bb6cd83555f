// Change sets larger than one message of the transport: how they are cut (splitting.ts), and the
// engine sending them in parts, as ContentDiffs and as trimmed diff Responses that the peer pulls
// again, to syncstore and TinyBase peers alike.
import fc from 'fast-check';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import {createCustomSynchronizer as createTinyBaseSynchronizer} from 'tinybase/synchronizers';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import type {MergeableChanges, MergeableStore} from '../../src/store/types.js';
import {NoPeerAnswered} from '../../src/synchronizers/index.js';
import {countChangesLeaves, splitChanges} from '../../src/synchronizers/splitting.js';
import {Message} from '../../src/synchronizers/types.js';
import {canonicalJson, joinBus, runAllTimers as run, TestBus} from './helpers.js';
import {applyEdit, editArbitrary} from './scenario.js';

/** A store's content as compared across stores: stamps and values, ids in any order. */
const contentOf = (store: {getMergeableContent(): unknown}) =>
  canonicalJson(store.getMergeableContent());

describe('splitChanges', () => {
  test('the parts of a change set, merged in any order, make the whole', () => {
    fc.assert(
      fc.property(
        fc.array(editArbitrary, {minLength: 1, maxLength: 30}),
        fc.integer({min: 1, max: 9}),
        fc.boolean(),
        (edits, parts, reversed) => {
          // Edits on one store, some before and some inside the captured transaction, so the
          // change set holds deletions (tombstones) and empty rows and tables too.
          const store = createMergeableStore('s1', () => 1_700_000_000_000);
          const half = Math.floor(edits.length / 2);
          for (const edit of edits.slice(0, half)) {
            applyEdit(store, edit);
          }
          let changes: MergeableChanges | undefined;
          store.transaction(() => {
            for (const edit of edits.slice(half)) {
              applyEdit(store, edit);
            }
            changes = store.getTransactionMergeableChanges() as MergeableChanges;
          });
          const whole = createMergeableStore('s2');
          whole.applyMergeableChanges(changes!);
          const pieces = splitChanges(changes!, parts);
          expect(pieces.length).toBe(Math.max(1, Math.min(parts, countChangesLeaves(changes!))));
          expect(pieces.reduce((sum, piece) => sum + countChangesLeaves(piece), 0)).toBe(
            countChangesLeaves(changes!),
          );
          const fromPieces = createMergeableStore('s3');
          for (const piece of reversed ? [...pieces].reverse() : pieces) {
            fromPieces.applyMergeableChanges(piece);
          }
          expect(contentOf(fromPieces)).toBe(contentOf(whole));
          expect(fromPieces.getMergeableContentHashes()).toEqual(whole.getMergeableContentHashes());
        },
      ),
      {seed: 11, numRuns: 300},
    );
  });
});

describe('content larger than one message', () => {
  const LIMIT = 16 * 1024;
  const ROWS = 500;
  let bus: TestBus;

  beforeEach(() => {
    vi.useFakeTimers({now: Date.UTC(2024, 0, 1)});
    bus = new TestBus();
    bus.maxMessageBytes = LIMIT;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const fill = (store: {setRow(t: string, r: string, row: object): unknown}) => {
    for (let row = 0; row < ROWS; row++) {
      store.setRow('t1', `r${row}`, {a: `text of row ${row}`, b: row, c: row % 2 === 0});
    }
  };
  const syncstorePeer = (name: string, store: MergeableStore, errors: Error[] = []) => {
    // A peer alone on the bus gets no answer to its first pull: expected, so not recorded.
    const onIgnoredError = (error: Error) => {
      if (!(error instanceof NoPeerAnswered)) {
        errors.push(error);
      }
    };
    return joinBus(bus, name, store, {onIgnoredError});
  };
  const tinybasePeer = (name: string) => {
    const store = createTinyBaseStore(name);
    const {send, registerReceive, destroy} = bus.join(name);
    const synchronizer = createTinyBaseSynchronizer(
      store,
      send as never,
      registerReceive as never,
      destroy,
      1,
    );
    return {store, synchronizer};
  };
  const responsesWithRows = () =>
    bus.log.filter(
      ({message, body}) => message === Message.Response && JSON.stringify(body).includes('"r'),
    );

  test('a joining syncstore peer pulls a large table in parts, and both end synced', async () => {
    const source = createMergeableStore('source');
    const sourceErrors: Error[] = [];
    const sourceSynchronizer = syncstorePeer('S', source, sourceErrors);
    await run(() => sourceSynchronizer.startSync());
    await run(() => fill(source));
    const joiner = createMergeableStore('joiner');
    const joinerErrors: Error[] = [];
    const joinerSynchronizer = syncstorePeer('J', joiner, joinerErrors);
    bus.clear();
    await run(() => joinerSynchronizer.startSync());

    expect(contentOf(joiner)).toBe(contentOf(source));
    // Several responses carried rows, each within the limit, each followed by an announcement.
    expect(responsesWithRows().length).toBeGreaterThan(2);
    expect(bus.log.every(({body}) => JSON.stringify(body).length <= LIMIT)).toBe(true);
    expect(bus.describe()).toContain('S→J CONTENT_HASHES');
    // The joiner, behind until the last part, announces only once (as startSync does): not after
    // every part, which would have the source pull from it each time for nothing.
    expect(bus.describe().filter((line) => line === 'J→all CONTENT_HASHES')).toHaveLength(1);
    expect([sourceErrors, joinerErrors]).toEqual([[], []]);
    expect(joinerSynchronizer.getSyncStatus().phase).toBe('synced');
    expect(sourceSynchronizer.getSyncStatus().phase).toBe('synced');
    sourceSynchronizer.destroy();
    joinerSynchronizer.destroy();
  });

  test('a joining TinyBase peer gets it all the same way', async () => {
    const source = createMergeableStore('source');
    const sourceSynchronizer = syncstorePeer('S', source);
    await run(() => sourceSynchronizer.startSync());
    await run(() => fill(source));
    const joiner = tinybasePeer('J');
    await run(() => joiner.synchronizer.startSync());

    expect(contentOf(joiner.store)).toBe(contentOf(source));
    expect(joiner.store.getMergeableContentHashes()).toEqual(source.getMergeableContentHashes());
    expect(responsesWithRows().length).toBeGreaterThan(2);
    sourceSynchronizer.destroy();
    joiner.synchronizer.destroy();
  });

  test('a large local transaction goes out as several ContentDiffs that syncstore and TinyBase peers merge', async () => {
    const writer = createMergeableStore('writer');
    const writerErrors: Error[] = [];
    const writerSynchronizer = syncstorePeer('W', writer, writerErrors);
    const reader = createMergeableStore('reader');
    const readerSynchronizer = syncstorePeer('R', reader);
    const tinybaseReader = tinybasePeer('T');
    await run(() => writerSynchronizer.startSync());
    await run(() => readerSynchronizer.startSync());
    await run(() => tinybaseReader.synchronizer.startSync());
    bus.clear();

    await run(() => writer.transaction(() => fill(writer)));

    const contentDiffs = bus.log.filter(
      ({from, message}) => from === 'W' && message === Message.ContentDiff,
    );
    expect(contentDiffs.length).toBeGreaterThan(2);
    expect(contentDiffs.every(({body}) => JSON.stringify(body).length <= LIMIT)).toBe(true);
    // Sent as changes, not pulled: nobody had to ask for a diff.
    expect(bus.log.filter(({message}) => message === Message.GetTableDiff)).toEqual([]);
    expect(contentOf(reader)).toBe(contentOf(writer));
    expect(contentOf(tinybaseReader.store)).toBe(contentOf(writer));
    expect(writerErrors).toEqual([]);
    expect(writerSynchronizer.getSyncStatus().pendingChanges).toBe(0);
    writerSynchronizer.destroy();
    readerSynchronizer.destroy();
    tinybaseReader.synchronizer.destroy();
  });
});
