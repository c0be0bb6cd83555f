// @vitest-environment happy-dom
// useMyPresence and useOthers (docs/protocol.md §8.2) over local synchronizers: each shows what it
// should and re-renders only when what it returns changes: a peer's presence re-renders the
// peers list and not one's own, one's own the reverse, and a store change neither.
import {act, fireEvent, render, screen, waitFor} from '@testing-library/react';
import {afterEach, describe, expect, test} from 'vitest';
import {Provider, SynchronizerProvider, useMyPresence, useOthers} from '../../src/react/index.js';
import * as withSchemas from '../../src/react/with-schemas.js';
import type {MergeableStore} from '../../src/store/types.js';
import type {Synchronizer} from '../../src/synchronizers/types.js';
import {createLocalSynchronizer, createStore} from './support.js';

const renders = {mine: 0, others: 0};

function Mine() {
  renders.mine++;
  const [presence, setPresence] = useMyPresence();
  return (
    <button type="button" onClick={() => setPresence({name: 'me', clicks: 1})}>
      mine: {JSON.stringify(presence)}
    </button>
  );
}

function Others() {
  renders.others++;
  const others = useOthers();
  return (
    <ul>
      {others.map(({peerId, state}) => (
        <li key={peerId}>{String(state.name)}</li>
      ))}
    </ul>
  );
}

describe('presence hooks', () => {
  const remotes: Synchronizer[] = [];
  afterEach(async () => {
    for (const remote of remotes.splice(0)) {
      await remote.destroy();
    }
  });

  const renderSynced = async () => {
    const remoteStore = createStore();
    const remote = createLocalSynchronizer(remoteStore);
    remotes.push(remote);
    await remote.startSync();
    let local: Synchronizer | undefined;
    render(
      <SynchronizerProvider
        createStore={createStore}
        createSynchronizer={(store: MergeableStore) => {
          local = createLocalSynchronizer(store);
          return local;
        }}
      >
        <Mine />
        <Others />
      </SynchronizerProvider>,
    );
    await waitFor(() => expect(local?.getSyncStatus().phase).toBe('synced'));
    renders.mine = 0;
    renders.others = 0;
    return {remote, remoteStore, local: () => local!};
  };

  test('a peer’s presence re-renders the peers list once, and not one’s own', async () => {
    const {remote} = await renderSynced();
    remote.setPresence({name: 'Ada'});
    await screen.findByText('Ada');
    expect(renders.others).toBe(1);
    expect(renders.mine).toBe(0);
  });

  test('one’s own presence re-renders useMyPresence once, and not the peers list', async () => {
    const {remote} = await renderSynced();
    await screen.findByText('mine: null');
    fireEvent.click(screen.getByRole('button'));
    await screen.findByText('mine: {"name":"me","clicks":1}');
    expect(renders.mine).toBe(1);
    expect(renders.others).toBe(0);
    await waitFor(() => expect(Object.values(remote.getPeersPresence())).toHaveLength(1));
    expect(Object.values(remote.getPeersPresence())).toEqual([{name: 'me', clicks: 1}]);
  });

  test('a store change re-renders neither; a leaving peer empties the list', async () => {
    const {remote, remoteStore, local} = await renderSynced();
    remote.setPresence({name: 'Ada'});
    await screen.findByText('Ada');
    renders.others = 0;
    remoteStore.setCell('t', 'r', 'c', 1);
    await waitFor(() => expect(local().getStore().getCell('t', 'r', 'c')).toBe(1));
    expect(renders).toEqual({mine: 0, others: 0});
    await act(() => remote.destroy());
    expect(screen.queryByText('Ada')).toBe(null);
    expect(renders.others).toBe(1);
  });

  test('without a synchronizer: no state, a setter that does nothing, no peers', () => {
    render(
      <Provider store={createStore()}>
        <Mine />
        <Others />
      </Provider>,
    );
    fireEvent.click(screen.getByRole('button'));
    expect(screen.getByRole('button').textContent).toBe('mine: null');
    expect(screen.queryAllByRole('listitem')).toEqual([]);
  });

  test('the typed entry exports the same hooks', () => {
    expect(withSchemas.useMyPresence).toBe(useMyPresence);
    expect(withSchemas.useOthers).toBe(useOthers);
  });
});
