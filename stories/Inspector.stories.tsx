// The Inspector docked under two synced panes: it shows pane A's store, its sync status and peer,
// and a live row for every message A sends or receives, with its size.
import type {Meta, StoryObj} from '@storybook/react-vite';
import {expect, userEvent, waitFor, within} from 'storybook/test';
import {createMergeableStore} from '../src/index.js';
import {SynchronizerProvider} from '../src/react/index.js';
import {Inspector} from '../src/react-inspector/index.js';
import {createLocalSynchronizer} from '../src/synchronizers/synchronizer-local.js';
import {Panes, STARTING_TASKS, TaskPane} from './support/TaskPane.js';

function Pane({name, inspected}: {name: string; inspected?: boolean}) {
  return (
    <SynchronizerProvider
      createStore={() => createMergeableStore()}
      createSynchronizer={(store) => createLocalSynchronizer(store)}
      initialContent={STARTING_TASKS}
    >
      <TaskPane name={name} />
      {inspected ? <Inspector open position="bottom" /> : null}
    </SynchronizerProvider>
  );
}

function InspectedPanes() {
  return (
    <Panes>
      <Pane name="A" inspected />
      <Pane name="B" />
    </Panes>
  );
}

const meta = {
  title: 'Sync/Inspector',
  component: InspectedPanes,
  parameters: {
    docs: {
      description: {
        component:
          "The Inspector (syncstore/react-inspector) inside pane A's SynchronizerProvider: " +
          'the tasks table, the sync status, the peer (pane B) and the messages with their sizes.',
      },
    },
  },
} satisfies Meta<typeof InspectedPanes>;
export default meta;

export const StoreStatusAndMessages: StoryObj<typeof meta> = {
  name: 'Store, status and messages of pane A',
  play: async ({canvasElement, step}) => {
    const canvas = within(canvasElement);
    const inspector = within(await canvas.findByRole('complementary', {name: /inspector/}));
    const messages = () => within(inspector.getByRole('region', {name: 'Messages'}));
    const messageRows = () =>
      messages()
        .queryAllByRole('row')
        .filter((row) => row.hasAttribute('data-message-row'));

    await step('it shows the tasks table and the synced status', async () => {
      const store = within(inspector.getByRole('region', {name: 'Store'}));
      await expect(await store.findByText(/Table tasks \(2 rows\)/)).toBeVisible();
      await expect(store.getByText('"Buy milk"')).toBeVisible();
      const sync = within(inspector.getByRole('region', {name: 'Sync'}));
      await expect(await sync.findByRole('row', {name: 'phase synced'})).toBeVisible();
      await expect(sync.getByText('Peers (1)')).toBeVisible();
    });

    await step('the first sync shows up as message rows with sizes', async () => {
      await waitFor(() => expect(messageRows().length).toBeGreaterThan(0));
      for (const row of messageRows()) {
        await expect(within(row).getByText(/^\d+ B$/)).toBeVisible();
      }
    });

    await step('a task added in B arrives as a received ContentDiff and a new row', async () => {
      const receivedDiffs = () =>
        messageRows().filter((row) => /← received.*ContentDiff\d+ B$/.test(row.textContent ?? ''))
          .length;
      const diffsBefore = receivedDiffs();
      const paneB = within(canvas.getByRole('region', {name: 'Pane B'}));
      await userEvent.type(paneB.getByLabelText('New task'), 'Water the plants');
      await userEvent.click(paneB.getByRole('button', {name: 'Add'}));
      const store = within(inspector.getByRole('region', {name: 'Store'}));
      await expect(await store.findByText('"Water the plants"')).toBeVisible();
      await expect(store.getByText(/Table tasks \(3 rows\)/)).toBeVisible();
      await waitFor(() => expect(receivedDiffs()).toBeGreaterThan(diffsBefore));
    });
  },
};
