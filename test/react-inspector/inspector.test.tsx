// @vitest-environment happy-dom
// The Inspector over two real stores synced by local synchronizers: it shows the tables and
// values, the sync status, the peer and a row per message with its size; it keeps only the
// newest messages; and an app runs the same with it as without it (content and message counts).
import {act, cleanup, fireEvent, render, screen, waitFor, within} from '@testing-library/react';
import {StrictMode} from 'react';
import {afterEach, describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {SynchronizerProvider} from '../../src/react/index.js';
import {Inspector} from '../../src/react-inspector/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import type {Synchronizer} from '../../src/synchronizers/types.js';

const started: Synchronizer[] = [];
afterEach(async () => {
  cleanup();
  for (const synchronizer of started.splice(0)) {
    await synchronizer.destroy();
  }
});

type Pair = {
  store1: MergeableStore;
  store2: MergeableStore;
  synchronizer1: Synchronizer;
  synchronizer2: Synchronizer;
};

function createPair(): Pair {
  const store1 = createMergeableStore('store1');
  const store2 = createMergeableStore('store2');
  const synchronizer1 = createLocalSynchronizer(store1);
  const synchronizer2 = createLocalSynchronizer(store2);
  started.push(synchronizer1, synchronizer2);
  return {store1, store2, synchronizer1, synchronizer2};
}

const bothSynced = ({synchronizer1, synchronizer2}: Pair) =>
  waitFor(() => {
    expect(synchronizer1.getSyncStatus().phase).toBe('synced');
    expect(synchronizer2.getSyncStatus().phase).toBe('synced');
  });

/** The same steps with or without the Inspector: sync, an edit on each side, settle. */
async function runScenario(pair: Pair): Promise<void> {
  await act(async () => {
    await pair.synchronizer1.startSync();
    await pair.synchronizer2.startSync([{pets: {fido: {species: 'dog'}}}, {}]);
  });
  await bothSynced(pair);
  act(() => {
    pair.store2.setCell('pets', 'felix', 'species', 'cat');
  });
  await waitFor(() => expect(pair.store1.getCell('pets', 'felix', 'species')).toBe('cat'));
  act(() => {
    pair.store1.setValue('open', true);
  });
  await waitFor(() => expect(pair.store2.getValue('open')).toBe(true));
  await bothSynced(pair);
}

function renderInspector(pair: Pair, props: Parameters<typeof Inspector>[0] = {open: true}) {
  return render(
    <SynchronizerProvider store={pair.store1} synchronizer={pair.synchronizer1}>
      <Inspector {...props} />
    </SynchronizerProvider>,
  );
}

const messageRows = () =>
  within(screen.getByRole('region', {name: 'Messages'}))
    .getAllByRole('row')
    .filter((row) => row.hasAttribute('data-message-row'));

describe('Inspector', () => {
  test('shows this client’s presence and its peers’, as they change', async () => {
    const pair = createPair();
    renderInspector(pair);
    await runScenario(pair);
    const sync = within(screen.getByRole('region', {name: 'Sync'}));
    expect(sync.getByText('Presence (0 peers)')).toBeDefined();
    expect(sync.getByRole('row', {name: 'this client none'})).toBeDefined();
    act(() => {
      pair.synchronizer1.setPresence({name: 'one'});
      pair.synchronizer2.setPresence({name: 'two', cursor: [1, 2]});
    });
    expect(await sync.findByText('Presence (1 peers)')).toBeDefined();
    expect(sync.getByRole('row', {name: 'this client {"name":"one"}'})).toBeDefined();
    expect(sync.getByText('{"name":"two","cursor":[1,2]}')).toBeDefined();
    await act(() => pair.synchronizer2.destroy());
    expect(sync.getByText('Presence (0 peers)')).toBeDefined();
  });

  test('shows the tables, values, status, peer and messages with their sizes', async () => {
    const pair = createPair();
    renderInspector(pair);
    await runScenario(pair);

    const storeSection = within(screen.getByRole('region', {name: 'Store'}));
    expect(await storeSection.findByText(/Table pets \(2 rows\)/)).toBeDefined();
    expect(storeSection.getByText('"dog"')).toBeDefined();
    expect(storeSection.getByText('"cat"')).toBeDefined();
    expect(storeSection.getByText('open')).toBeDefined();
    expect(storeSection.getByText('true')).toBeDefined();

    const sync = within(screen.getByRole('region', {name: 'Sync'}));
    expect(sync.getByRole('row', {name: 'connection online'})).toBeDefined();
    expect(await sync.findByRole('row', {name: 'phase synced'})).toBeDefined();
    expect(sync.getByText('Peers (1)')).toBeDefined();

    const stats = pair.synchronizer1.getSynchronizerStats();
    await waitFor(() => expect(messageRows()).toHaveLength(stats.sends + stats.receives));
    const texts = messageRows().map((row) => row.textContent ?? '');
    // The edit on the other side arrived as a ContentDiff; the local one left as one to all.
    expect(texts.some((text) => /← received.*ContentDiff\d+ B$/.test(text))).toBe(true);
    expect(texts.some((text) => /→ sentall peersContentDiff\d+ B$/.test(text))).toBe(true);
    for (const row of messageRows()) {
      const size = within(row).getByText(/ B$/).textContent ?? '';
      expect(Number.parseInt(size, 10)).toBeGreaterThan(2);
    }
    // Newest first: the first row has the highest sequence number.
    expect(texts[0].startsWith(String(stats.sends + stats.receives))).toBe(true);
  });

  test('an app behaves the same with the Inspector as without it', async () => {
    const without = createPair();
    await runScenario(without);
    const withoutStats = [without.synchronizer1, without.synchronizer2].map((synchronizer) => [
      synchronizer.getSynchronizerStats(),
      synchronizer.getStats(),
    ]);
    // Local synchronizers of one realm all meet: the first pair must leave before the second.
    await without.synchronizer1.destroy();
    await without.synchronizer2.destroy();
    const withIt = createPair();
    renderInspector(withIt);
    await runScenario(withIt);
    expect(await screen.findByText(/Table pets/)).toBeDefined();

    expect(withIt.store1.getContent()).toEqual(without.store1.getContent());
    expect(withIt.store2.getContent()).toEqual(without.store2.getContent());
    const withStats = [withIt.synchronizer1, withIt.synchronizer2].map((synchronizer) => [
      synchronizer.getSynchronizerStats(),
      synchronizer.getStats(),
    ]);
    expect(withStats).toEqual(withoutStats);
    // The Inspector saw every one of those messages.
    const {sends, receives} = withIt.synchronizer1.getSynchronizerStats();
    expect(sends + receives).toBeGreaterThan(0);
    await waitFor(() => expect(messageRows()).toHaveLength(sends + receives));
  });

  test('in a provider that creates its synchronizer, starts empty and then logs', async () => {
    const peer = createPair().synchronizer2;
    await act(async () => {
      await peer.startSync([{pets: {fido: {species: 'dog'}}}, {}]);
    });
    render(
      <SynchronizerProvider
        createStore={() => createMergeableStore()}
        createSynchronizer={(store) => {
          const synchronizer = createLocalSynchronizer(store);
          started.push(synchronizer);
          return synchronizer;
        }}
      >
        <Inspector open />
      </SynchronizerProvider>,
    );
    // Before the provider has made its synchronizer there is nothing to show yet.
    expect(screen.getByText('No synchronizer.')).toBeDefined();
    expect(await screen.findByText(/Table pets \(1 rows\)/)).toBeDefined();
    expect(await screen.findByRole('row', {name: 'phase synced'})).toBeDefined();
    await waitFor(() => expect(messageRows().length).toBeGreaterThan(0));
  });

  test('under StrictMode logs every message once', async () => {
    const pair = createPair();
    render(
      <StrictMode>
        <SynchronizerProvider store={pair.store1} synchronizer={pair.synchronizer1}>
          <Inspector open />
        </SynchronizerProvider>
      </StrictMode>,
    );
    await runScenario(pair);
    const {sends, receives} = pair.synchronizer1.getSynchronizerStats();
    await waitFor(() => expect(messageRows()).toHaveLength(sends + receives));
    expect(
      screen.getByText(`${sends + receives} messages (last ${sends + receives} shown)`),
    ).toBeDefined();
  });

  test('keeps only the newest messageLimit messages', async () => {
    const pair = createPair();
    renderInspector(pair, {open: true, messageLimit: 3});
    await runScenario(pair);
    const {sends, receives} = pair.synchronizer1.getSynchronizerStats();
    expect(sends + receives).toBeGreaterThan(3);
    await waitFor(() =>
      expect(screen.getByText(`${sends + receives} messages (last 3 shown)`)).toBeDefined(),
    );
    expect(messageRows()).toHaveLength(3);
    expect(messageRows()[0].textContent?.startsWith(String(sends + receives))).toBe(true);
  });

  test('starts closed as a button, logs meanwhile, and stops listening on unmount', async () => {
    const pair = createPair();
    // Records the Inspector's message listeners, to check that it removes them.
    const added: string[] = [];
    const removed: string[] = [];
    const real = pair.synchronizer1;
    const watched: Synchronizer = {
      ...real,
      addMessageListener: (listener) => {
        const id = real.addMessageListener(listener);
        added.push(id);
        return id;
      },
      delListener: (id) => {
        removed.push(id);
        return real.delListener(id);
      },
    };
    const {unmount} = render(<Inspector store={pair.store1} synchronizer={watched} />);
    expect(added).toHaveLength(1);
    expect(screen.queryByRole('region', {name: 'Store'})).toBeNull();
    await runScenario(pair);
    fireEvent.click(screen.getByRole('button', {name: 'Open inspector'}));
    expect(screen.getByText(/Table pets/)).toBeDefined();
    const {sends, receives} = pair.synchronizer1.getSynchronizerStats();
    expect(messageRows()).toHaveLength(sends + receives);
    fireEvent.change(screen.getByLabelText('Dock'), {target: {value: 'bottom'}});
    expect(screen.getByRole('complementary').getAttribute('data-position')).toBe('bottom');
    fireEvent.click(screen.getByRole('button', {name: 'Close inspector'}));
    expect(screen.queryByRole('region', {name: 'Store'})).toBeNull();

    expect(removed).not.toContain(added[0]);
    unmount();
    expect(added).toHaveLength(1);
    expect(removed).toContain(added[0]);
    // And the app's traffic still flows without it.
    act(() => pair.store1.setCell('pets', 'rex', 'species', 'dog'));
    await waitFor(() => expect(pair.store2.getCell('pets', 'rex', 'species')).toBe('dog'));
  });
});
