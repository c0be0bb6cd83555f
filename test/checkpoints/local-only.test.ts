// Local-only checkpoints: two MergeableStores synced by local synchronizers; undo and redo on one
// take back only its own edits, leave the other's alone, and reach the other store as new edits.
import {afterEach, describe, expect, test, vi} from 'vitest';
import {createCheckpoints, createMergeableStore} from '../../src/index.js';
import type {FullMergeableStore} from '../../src/store/mergeable-store.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import type {Synchronizer} from '../../src/synchronizers/types.js';

const synchronizers: Synchronizer[] = [];
afterEach(async () => {
  for (const synchronizer of synchronizers.splice(0)) {
    await synchronizer.destroy();
  }
});

/** Two stores kept merged, "mine" with local-only checkpoints. */
const createPeers = async (localOnly = true) => {
  const mine = createMergeableStore('mine');
  const theirs = createMergeableStore('theirs');
  for (const store of [mine, theirs]) {
    const synchronizer = createLocalSynchronizer(store);
    synchronizers.push(synchronizer);
    await synchronizer.startSync();
  }
  return {mine, theirs, checkpoints: createCheckpoints(mine, {localOnly})};
};

/** Both stores hold the same stamps (hashes agree) and this content. */
const converged = async (
  mine: FullMergeableStore,
  theirs: FullMergeableStore,
  content: unknown,
): Promise<void> => {
  await vi.waitFor(() => {
    expect(mine.getContent()).toEqual(content);
    expect(theirs.getContent()).toEqual(content);
    expect(theirs.getMergeableContentHashes()).toEqual(mine.getMergeableContentHashes());
  });
};

describe('local-only checkpoints', () => {
  test('undo and redo take back my edit only; the remote edit stays, and both stores follow', async () => {
    const {mine, theirs, checkpoints} = await createPeers();
    mine.setCell('pets', 'fido', 'color', 'brown');
    checkpoints.addCheckpoint('color');
    await converged(mine, theirs, [{pets: {fido: {color: 'brown'}}}, {}]);
    theirs.setCell('pets', 'fido', 'legs', 4).setValue('open', true);
    await converged(mine, theirs, [{pets: {fido: {color: 'brown', legs: 4}}}, {open: true}]);
    // The merged edit is not mine: no changes pending, nothing new to undo.
    expect(checkpoints.getCheckpointIds()).toEqual([['0'], '1', []]);
    checkpoints.goBackward();
    expect(checkpoints.getCheckpointIds()).toEqual([[], '0', ['1']]);
    await converged(mine, theirs, [{pets: {fido: {legs: 4}}}, {open: true}]);
    checkpoints.goForward();
    await converged(mine, theirs, [{pets: {fido: {color: 'brown', legs: 4}}}, {open: true}]);
    // Another remote edit does not forget the redo history either.
    checkpoints.goBackward();
    theirs.setValue('open', false);
    await converged(mine, theirs, [{pets: {fido: {legs: 4}}}, {open: false}]);
    expect(checkpoints.getCheckpointIds()).toEqual([[], '0', ['1']]);
  });

  test('without localOnly, as TinyBase, the merged edit is undone too', async () => {
    const {mine, theirs, checkpoints} = await createPeers(false);
    mine.setCell('pets', 'fido', 'color', 'brown');
    checkpoints.addCheckpoint();
    theirs.setCell('pets', 'fido', 'legs', 4);
    await converged(mine, theirs, [{pets: {fido: {color: 'brown', legs: 4}}}, {}]);
    expect(checkpoints.getCheckpointIds()).toEqual([['0', '1'], undefined, []]);
    checkpoints.goBackward(); // to checkpoint 1: the merged legs go
    await converged(mine, theirs, [{pets: {fido: {color: 'brown'}}}, {}]);
  });

  test('a cell a peer changed after my edit keeps their value through undo and redo', async () => {
    const {mine, theirs, checkpoints} = await createPeers();
    mine.setCell('pets', 'fido', 'color', 'brown').setCell('pets', 'fido', 'name', 'Fido');
    checkpoints.addCheckpoint();
    await converged(mine, theirs, [{pets: {fido: {color: 'brown', name: 'Fido'}}}, {}]);
    theirs.setCell('pets', 'fido', 'color', 'black'); // later than mine: it wins
    await converged(mine, theirs, [{pets: {fido: {color: 'black', name: 'Fido'}}}, {}]);
    checkpoints.goBackward();
    await converged(mine, theirs, [{pets: {fido: {color: 'black'}}}, {}]);
    checkpoints.goForward();
    await converged(mine, theirs, [{pets: {fido: {color: 'black', name: 'Fido'}}}, {}]);
  });

  test('my edit after a remote one undoes back to the remote content, not what preceded it', async () => {
    const {mine, theirs, checkpoints} = await createPeers();
    mine.setValue('count', 1);
    await converged(mine, theirs, [{}, {count: 1}]);
    theirs.setValue('count', 2);
    await converged(mine, theirs, [{}, {count: 2}]);
    mine.setValue('count', 3); // the same pending step as my first edit
    checkpoints.addCheckpoint();
    await converged(mine, theirs, [{}, {count: 3}]);
    checkpoints.goBackward();
    await converged(mine, theirs, [{}, {count: 2}]);
    checkpoints.goForward();
    await converged(mine, theirs, [{}, {count: 3}]);
  });

  test('an undo is a new local edit: freshly stamped, later than the remote edits it keeps', async () => {
    const {mine, theirs, checkpoints} = await createPeers();
    mine.setValue('mode', 'dark');
    checkpoints.addCheckpoint();
    await converged(mine, theirs, [{}, {mode: 'dark'}]);
    theirs.setValue('other', 1);
    await converged(mine, theirs, [{}, {mode: 'dark', other: 1}]);
    const [, valuesBefore] = mine.getMergeableContent();
    const stampsBefore = mine.getLocalStampCount();
    checkpoints.goBackward();
    expect(mine.getLocalStampCount()).toBe(stampsBefore + 1);
    const [, valuesAfter] = mine.getMergeableContent();
    const undoHlc = valuesAfter[0].mode[1];
    expect(valuesAfter[0].mode[0]).toBeUndefined(); // a tombstone, as any deletion
    expect(undoHlc > valuesBefore[0].mode[1]).toBe(true);
    expect(undoHlc > valuesBefore[0].other[1]).toBe(true);
    await converged(mine, theirs, [{}, {other: 1}]);
    expect(theirs.getMergeableContent()[1][0].mode[1]).toBe(undoHlc);
  });

  test('object cells: undone when they still hold mine, left alone when a peer changed them', () => {
    const mine = createMergeableStore('mine');
    const other = createMergeableStore('other');
    const checkpoints = createCheckpoints(mine, {localOnly: true});
    mine.setCell('t', 'r', 'kept', {tags: ['a']}).setCell('t', 'r', 'taken', {tags: ['b']});
    checkpoints.addCheckpoint();
    other.merge(mine);
    other.setCell('t', 'r', 'taken', {tags: ['theirs']});
    mine.merge(other);
    checkpoints.goBackward();
    expect(mine.getTables()).toEqual({t: {r: {taken: {tags: ['theirs']}}}});
    checkpoints.goForward();
    expect(mine.getTables()).toEqual({t: {r: {kept: {tags: ['a']}, taken: {tags: ['theirs']}}}});
  });

  test('every merge is left out: applyMergeableChanges, setMergeableContent and merge', () => {
    const mine = createMergeableStore('mine');
    const other = createMergeableStore('other').setValue('a', 1);
    const checkpoints = createCheckpoints(mine, {localOnly: true});
    mine.applyMergeableChanges(other.getMergeableContent());
    other.setValue('b', 2);
    mine.merge(other);
    other.setValue('c', 3);
    mine.setMergeableContent(other.getMergeableContent());
    expect(mine.getValues()).toEqual({a: 1, b: 2, c: 3});
    expect(checkpoints.getCheckpointIds()).toEqual([[], '0', []]);
    mine.setValue('d', 4);
    expect(checkpoints.getCheckpointIds()).toEqual([['0'], undefined, []]);
    checkpoints.goBackward();
    expect(mine.getValues()).toEqual({a: 1, b: 2, c: 3});
  });
  test("defaults are nobody's edit: a synchronizer's initialContent is left out too", async () => {
    const mine = createMergeableStore('mine');
    const checkpoints = createCheckpoints(mine, {localOnly: true});
    mine.setDefaultContent([{lanes: {done: {name: 'Done'}}}, {}]);
    expect(checkpoints.getCheckpointIds()).toEqual([[], '0', []]);
    const alone = createLocalSynchronizer(mine);
    try {
      await alone.startSync([{lanes: {todo: {name: 'To do'}}}, {}]);
      expect(mine.getTable('lanes')).toEqual({todo: {name: 'To do'}});
      expect(checkpoints.getCheckpointIds()).toEqual([[], '0', []]);
      mine.setCell('lanes', 'todo', 'name', 'Next');
      checkpoints.addCheckpoint();
      checkpoints.goBackward();
      expect(mine.getCell('lanes', 'todo', 'name')).toBe('To do');
      expect(checkpoints.getCheckpointIds()).toEqual([[], '0', ['1']]);
    } finally {
      await alone.destroy();
    }
  });
});

describe('hasMergedInTransaction', () => {
  test('is true in the listeners of a merge only, and reset after a refused one', () => {
    const store = createMergeableStore('mine');
    const heard: boolean[] = [];
    store.addDidFinishTransactionListener(() => heard.push(store.hasMergedInTransaction()));
    store.setValue('a', 1);
    store.applyMergeableChanges(
      createMergeableStore('other').setValue('b', 2).getMergeableContent(),
    );
    store.applyMergeableChanges('not changes' as never); // refused: no transaction
    store.transaction(() => {
      store.setValue('c', 3);
      store.applyMergeableChanges(createMergeableStore('x').setValue('d', 4).getMergeableContent());
    });
    store.setValue('e', 5);
    expect(heard).toEqual([false, true, true, false]);
    expect(store.hasMergedInTransaction()).toBe(false);
  });
});
