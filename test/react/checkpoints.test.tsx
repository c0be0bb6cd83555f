// @vitest-environment happy-dom
// The checkpoints hooks and views render what TinyBase's ui-react renders for the same
// checkpoints history (both libraries side by side, each over its own store), call listeners
// alike, and their callbacks undo, redo and add checkpoints.
import {act, fireEvent, render, within} from '@testing-library/react';
import {StrictMode} from 'react';
import * as tinybase from 'tinybase';
import * as tinybaseUi from 'tinybase/ui-react';
import {describe, expect, test} from 'vitest';
import type {Checkpoints} from '../../src/checkpoints/types.js';
import {createCheckpoints} from '../../src/index.js';
import * as syncstoreUi from '../../src/react/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createStore, totalListeners} from './support.js';

type Ui = typeof syncstoreUi;
type Library = {
  ui: Ui;
  store: MergeableStore;
  createCheckpoints: (store: MergeableStore) => Checkpoints;
};

const createLibraries = (): [theirs: Library, ours: Library] => [
  {
    ui: tinybaseUi as unknown as Ui,
    store: tinybase.createMergeableStore('a') as unknown as MergeableStore,
    createCheckpoints: (store) =>
      tinybase.createCheckpoints(store as unknown as tinybase.Store) as unknown as Checkpoints,
  },
  {ui: syncstoreUi, store: createStore('a'), createCheckpoints},
];

/** Everything the hooks return, as text, plus the views, and buttons for the callbacks. */
function Board({ui, heard}: {ui: Ui; heard: unknown[]}) {
  const checkpoints = ui.useCheckpoints();
  const [canUndo, undo, undoId, undoLabel] = ui.useUndoInformation();
  const [canRedo, redo, redoId, redoLabel] = ui.useRedoInformation('named');
  const add = ui.useSetCheckpointCallback(
    (label: string) => label,
    [],
    undefined,
    (checkpointId, _, label) => heard.push(['added', checkpointId, label]),
  );
  const goToFirst = ui.useGoToCallback(
    () => '0',
    [],
    'named',
    (_, checkpointId) => heard.push(['went', checkpointId]),
  );
  const goBackward = ui.useGoBackwardCallback('named');
  const goForward = ui.useGoForwardCallback(checkpoints);
  ui.useCheckpointIdsListener((given) => heard.push(['ids', given.getCheckpointIds()]));
  ui.useCheckpointListener(null, (given, checkpointId) =>
    heard.push(['label', checkpointId, given.getCheckpoint(checkpointId)]),
  );
  const state = {
    ids: ui.useCheckpointIds(),
    named: ui.useCheckpointIds('named'),
    label1: ui.useCheckpoint('1') ?? null,
    undo: [canUndo, undoId ?? null, undoLabel],
    redo: [canRedo, redoId ?? null, redoLabel],
    checkpointsIds: ui.useCheckpointsIds(),
    byId: ui.useCheckpointsOrCheckpointsById('named') === checkpoints,
  };
  return (
    <div>
      <pre>{JSON.stringify(state)}</pre>
      <p>
        <ui.BackwardCheckpointsView separator="|" debugIds />
        [<ui.CurrentCheckpointView checkpoints="named" />]
        <ui.ForwardCheckpointsView
          checkpoints={checkpoints}
          checkpointComponent={({checkpointId}) => <i>{checkpointId}</i>}
        />
        <ui.CheckpointView checkpointId="1" debugIds />
      </p>
      <button type="button" onClick={undo}>
        undo
      </button>
      <button type="button" onClick={redo}>
        redo
      </button>
      <button type="button" onClick={() => add('named step')}>
        add
      </button>
      <button type="button" onClick={goToFirst}>
        first
      </button>
      <button type="button" onClick={goBackward}>
        back
      </button>
      <button type="button" onClick={goForward}>
        forward
      </button>
    </div>
  );
}

/** Creates its checkpoints with useCreateCheckpoints, noting each object created. */
function Creating({library, created}: {library: Library; created: Checkpoints[]}) {
  const {ui, store, createCheckpoints: create} = library;
  const checkpoints = ui.useCreateCheckpoints(store, (given) => {
    const made = create(given);
    created.push(made);
    return made;
  });
  return (
    <ui.Provider checkpoints={checkpoints}>
      <ui.BackwardCheckpointsView debugIds />
      <ui.CurrentCheckpointView debugIds />
    </ui.Provider>
  );
}

const renderBoard = (library: Library) => {
  const checkpoints = library.createCheckpoints(library.store);
  const heard: unknown[] = [];
  const {ui} = library;
  const {container} = render(
    <ui.Provider checkpoints={checkpoints} checkpointsById={{named: checkpoints}}>
      <Board ui={ui} heard={heard} />
    </ui.Provider>,
  );
  const {getByText} = within(container);
  return {container, getByText, heard, checkpoints, store: library.store};
};

describe('checkpoints hooks and views, side by side with TinyBase', () => {
  test('every step of a history renders the same and calls the same listeners', () => {
    const [theirs, ours] = createLibraries().map(renderBoard);
    const steps: [string, (board: typeof ours) => void][] = [
      ['edit', ({store}) => store.setCell('pets', 'fido', 'legs', 4)],
      ['add', ({getByText}) => fireEvent.click(getByText('add'))],
      ['edit', ({store}) => store.setValue('open', true)],
      ['add', ({getByText}) => fireEvent.click(getByText('add'))],
      ['undo', ({getByText}) => fireEvent.click(getByText('undo'))],
      ['undo', ({getByText}) => fireEvent.click(getByText('undo'))],
      ['redo', ({getByText}) => fireEvent.click(getByText('redo'))],
      ['forward', ({getByText}) => fireEvent.click(getByText('forward'))],
      ['back', ({getByText}) => fireEvent.click(getByText('back'))],
      ['label', ({checkpoints}) => checkpoints.setCheckpoint('1', 'renamed')],
      ['first', ({getByText}) => fireEvent.click(getByText('first'))],
      ['edit', ({store}) => store.setValue('open', false)],
    ];
    expect(ours.container.innerHTML).toBe(theirs.container.innerHTML);
    for (const [name, step] of steps) {
      act(() => step(theirs));
      act(() => step(ours));
      expect([name, ours.container.innerHTML]).toEqual([name, theirs.container.innerHTML]);
      expect([name, ours.store.getContent()]).toEqual([name, theirs.store.getContent()]);
    }
    expect(ours.heard).toEqual(theirs.heard);
    // What the last steps left, spelled out: back at checkpoint 0, then a change pending.
    expect(ours.container.querySelector('pre')?.textContent).toBe(
      JSON.stringify({
        ids: [['0'], null, []],
        named: [['0'], null, []],
        label1: null,
        undo: [true, null, ''],
        redo: [false, null, ''],
        checkpointsIds: ['named'],
        byId: true,
      }),
    );
    expect(ours.store.getContent()).toEqual([{}, {open: false}]);
    expect(ours.heard).toContainEqual(['went', '0']);
    expect(ours.heard).toContainEqual(['label', '1', 'renamed']);
    expect(ours.heard).toContainEqual(['ids', [['0', '1'], '2', []]]);
    expect(ours.heard).toContainEqual(['added', '2', 'named step']);
  });

  test('a midway state spelled out: the views and the undo and redo information', () => {
    const [, ours] = createLibraries();
    const board = renderBoard(ours);
    act(() => {
      board.store.setValue('a', 1);
      board.checkpoints.addCheckpoint('one');
      board.store.setValue('a', 2);
      board.checkpoints.addCheckpoint('two');
      board.checkpoints.goBackward();
    });
    expect(board.container.querySelector('p')?.innerHTML).toBe('0:{}[one]<i>2</i>1:{one}');
    expect(JSON.parse(board.container.querySelector('pre')?.textContent ?? '')).toMatchObject({
      undo: [true, '1', 'one'],
      redo: [true, '2', 'two'],
    });
  });

  test('useCreateCheckpoints creates once under StrictMode and destroys on unmount', () => {
    const [theirs, ours] = createLibraries();
    const renderCreating = (library: Library) => {
      const created: Checkpoints[] = [];
      const result = render(
        <StrictMode>
          <Creating library={library} created={created} />
        </StrictMode>,
      );
      expect(result.container.innerHTML).toBe('0:{}'); // the current checkpoint
      act(() => {
        library.store.setValue('a', 1);
      });
      return {...result, created};
    };
    const theirResult = renderCreating(theirs);
    const ourResult = renderCreating(ours);
    expect(ourResult.container.innerHTML).toBe(theirResult.container.innerHTML);
    expect(ourResult.container.innerHTML).toBe('0:{}'); // now behind: the change is pending
    // StrictMode mounted twice: the first object was destroyed, one listens to the store.
    expect(ourResult.created).toHaveLength(2);
    expect(ourResult.created[0].getCheckpointIds()).toEqual([[], '0', []]);
    expect(totalListeners(ours.store)).toBe(1);
    ourResult.unmount();
    expect(totalListeners(ours.store)).toBe(0);
  });
});
