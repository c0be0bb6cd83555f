// createCheckpoints side by side with TinyBase's: scripted histories with their listener calls,
// then random histories, on both kinds of store. Each scripted test also asserts the content it
// expects, so that a history both libraries got wrong the same way would still fail.
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {createCheckpoints, createMergeableStore, createStore} from '../../src/index.js';
import {randomStep} from './random-steps.js';
import {contentsAfterSteps, type Kind, runBoth, type Step} from './side-by-side.js';

const KINDS: Kind[] = ['store', 'mergeable'];

describe.each(KINDS)('checkpoints on a %s, as TinyBase', (kind) => {
  test('add, go backward and forward, labels, and changes undone by hand', () => {
    const steps: Step[] = [
      ({checkpoints}) => checkpoints.getCheckpoint('0'),
      ({store}) => store.setCell('t', 'r', 'c', 1),
      ({checkpoints}) => checkpoints.addCheckpoint('one'),
      ({checkpoints}) => checkpoints.addCheckpoint('two'), // nothing changed: the same id
      ({store}) => store.transaction(() => store.setCell('t', 'r', 'c', 2).setValue('v', 3)),
      ({checkpoints}) => checkpoints.addCheckpoint(),
      ({checkpoints}) => checkpoints.goBackward(),
      ({checkpoints}) => checkpoints.goBackward(),
      ({checkpoints}) => checkpoints.goBackward(), // at the first: nothing
      ({checkpoints}) => checkpoints.goForward(),
      ({store}) => store.setCell('t', 'r', 'c', 9), // forgets what was ahead
      ({checkpoints}) => checkpoints.goBackward(), // the pending change becomes a checkpoint
      ({store}) => store.setCell('t', 'r', 'c', 10),
      ({store}) => store.setCell('t', 'r', 'c', 1), // back as at the checkpoint
      ({checkpoints}) => checkpoints.setCheckpoint('1', 'x'),
      ({checkpoints}) => checkpoints.setCheckpoint('1', 'x'), // the same label: no call
      ({checkpoints}) => checkpoints.setCheckpoint('99', 'x'),
      ({checkpoints}) => [checkpoints.getCheckpoint('99'), checkpoints.hasCheckpoint('1')],
      ({checkpoints}) => checkpoints.goTo('zz'),
      ({checkpoints}) => checkpoints.goForward(),
    ];
    const [theirs, ours] = runBoth(kind, steps);
    expect(ours).toEqual(theirs);
    // After going back twice from {c: 2, v: 3}, the store was empty again.
    expect(contentsAfterSteps(ours).slice(5, 10)).toEqual([
      [{t: {r: {c: 2}}}, {v: 3}],
      [{t: {r: {c: 1}}}, {}],
      [{}, {}],
      [{}, {}],
      [{t: {r: {c: 1}}}, {}],
    ]);
  });

  test('rows, tables and values deleted and created come back, and go again', () => {
    const steps: Step[] = [
      ({store}) => store.setTables({t: {r: {a: 1, b: 2}, q: {a: 3}}}).setValues({x: 1}),
      ({checkpoints}) => checkpoints.clear(),
      ({store}) =>
        store.transaction(() =>
          store
            .delRow('t', 'r')
            .setCell('t', 'q', 'a', 4)
            .setRow('u', 'z', {k: 'o'})
            .delValue('x')
            .setValue('y', 2),
        ),
      ({checkpoints}) => checkpoints.addCheckpoint('edit'),
      ({checkpoints}) => checkpoints.goBackward(),
      ({checkpoints}) => checkpoints.goForward(),
      ({checkpoints}) => checkpoints.goTo('0'),
      ({checkpoints}) => checkpoints.goTo('1'),
    ];
    const [theirs, ours] = runBoth(kind, steps);
    expect(ours).toEqual(theirs);
    expect(contentsAfterSteps(ours).at(-2)).toEqual([{t: {r: {a: 1, b: 2}, q: {a: 3}}}, {x: 1}]);
    expect(contentsAfterSteps(ours).at(-1)).toEqual([{t: {q: {a: 4}}, u: {z: {k: 'o'}}}, {y: 2}]);
  });

  test('size: trimmed on each change and by setSize, goTo, clear and clearForward', () => {
    const addFive: Step[] = [1, 2, 3, 4, 5].flatMap((index): Step[] => [
      ({store}) => store.setValue('v', index),
      ({checkpoints}) => checkpoints.addCheckpoint(`L${index}`),
    ]);
    const steps: Step[] = [
      ({checkpoints}) => checkpoints.setSize(3),
      ...addFive,
      ({checkpoints}) => checkpoints.setSize(2),
      ({checkpoints}) => checkpoints.goTo('3'),
      ({checkpoints}) => checkpoints.goTo('5'),
      ({checkpoints}) => checkpoints.goTo('0'), // forgotten
      ({store}) => store.setValue('v', 7),
      ({checkpoints}) => checkpoints.goTo('4'), // pending changes become a checkpoint first
      ({checkpoints}) => checkpoints.clearForward(),
      ({checkpoints}) => checkpoints.clearForward(),
      ({store}) => store.setValue('w', 1),
      ({checkpoints}) => checkpoints.goForward(), // nothing ahead
      ({checkpoints}) => checkpoints.clear(),
      ({store}) => store.setValue('v', 9),
      ({checkpoints}) => checkpoints.addCheckpoint(),
      ({checkpoints}) => checkpoints.goBackward(),
      ({checkpoints}) => checkpoints.setSize(0),
      ({store}) => store.setValue('v', 10),
      ({checkpoints}) => checkpoints.addCheckpoint(),
      ({checkpoints}) => checkpoints.goBackward(), // nothing kept behind
    ];
    const [theirs, ours] = runBoth(kind, steps);
    expect(ours).toEqual(theirs);
    expect(contentsAfterSteps(ours).at(-1)).toEqual([{}, {v: 10, w: 1}]);
  });

  test('random histories give the same ids, labels, content and listener calls', () => {
    fc.assert(
      fc.property(fc.array(randomStep, {maxLength: 30}), (steps) => {
        const [theirs, ours] = runBoth(kind, steps);
        expect(ours).toEqual(theirs);
      }),
      {seed: 13, numRuns: 300},
    );
  });
});

describe('listeners and lifecycle', () => {
  test('a listener to one checkpoint hears only it; delListener and stats', () => {
    const store = createStore();
    const checkpoints = createCheckpoints(store);
    const heard: unknown[] = [];
    const listenerId = checkpoints.addCheckpointListener('1', (_, checkpointId) =>
      heard.push(checkpointId),
    );
    const idsListenerId = checkpoints.addCheckpointIdsListener(() => heard.push('ids'));
    expect(checkpoints.getListenerStats()).toEqual({checkpointIds: 1, checkpoint: 1});
    store.setValue('v', 1);
    checkpoints.addCheckpoint('one');
    store.setValue('v', 2);
    checkpoints.addCheckpoint('two');
    expect(heard).toEqual(['ids', '1', 'ids', 'ids', 'ids']);
    expect(checkpoints.delListener(listenerId).delListener(idsListenerId)).toBe(checkpoints);
    checkpoints.setCheckpoint('1', 'renamed');
    expect(heard).toHaveLength(5);
    expect(checkpoints.getListenerStats()).toEqual({checkpointIds: 0, checkpoint: 0});
  });

  test('destroy stops recording and removes its store listener', () => {
    const store = createMergeableStore('a');
    const before = store.getListenerStats();
    const checkpoints = createCheckpoints(store);
    expect(store.getListenerStats()).not.toEqual(before);
    expect(checkpoints.getStore()).toBe(store);
    checkpoints.destroy();
    expect(store.getListenerStats()).toEqual(before);
    store.setValue('v', 1);
    expect(checkpoints.getCheckpointIds()).toEqual([[], '0', []]);
  });

  test('a rolled-back transaction records nothing', () => {
    const store = createStore();
    const checkpoints = createCheckpoints(store);
    store.transaction(
      () => store.setValue('v', 1),
      () => true,
    );
    expect(checkpoints.getCheckpointIds()).toEqual([[], '0', []]);
    expect(store.getValues()).toEqual({});
  });

  test('object and array cells are compared by content: set back equal, nothing is pending', () => {
    const store = createMergeableStore('a').setCell('t', 'r', 'o', {deep: [1, 2]});
    const checkpoints = createCheckpoints(store);
    store.setCell('t', 'r', 'o', {deep: [3]}).setValue('list', [1]);
    expect(checkpoints.getCheckpointIds()).toEqual([['0'], undefined, []]);
    store.setCell('t', 'r', 'o', {deep: [1, 2]}).delValue('list');
    expect(checkpoints.getCheckpointIds()).toEqual([[], '0', []]);
    store.setCell('t', 'r', 'o', ['x']);
    checkpoints.addCheckpoint('array');
    checkpoints.goBackward();
    expect(store.getCell('t', 'r', 'o')).toEqual({deep: [1, 2]});
    checkpoints.goForward();
    expect(store.getCell('t', 'r', 'o')).toEqual(['x']);
  });

  test('localOnly needs a syncstore MergeableStore', () => {
    expect(() => createCheckpoints(createStore(), {localOnly: true})).toThrow(/MergeableStore/);
  });
});
