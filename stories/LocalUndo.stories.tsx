// Local undo against a concurrent remote edit: each pane undoes only its own edits
// (createCheckpoints(store, {localOnly: true}), one step per local transaction, as in the demo).
// While apart, A ticks a task done and B renames it; once they meet, A's undo takes back the tick
// in both panes and leaves B's new title alone, and redo brings the tick back.
import type {Meta, StoryObj} from '@storybook/react-vite';
import {useEffect, useLayoutEffect, useState} from 'react';
import {expect, userEvent, waitFor, within} from 'storybook/test';
import {UndoRedo} from '../demo/UndoRedo.js';
import {createUndoHistory} from '../demo/undo.js';
import type {Checkpoints} from '../src/checkpoints/types.js';
import {Provider, useStore} from '../src/react/index.js';
import {BusPane} from './support/BusPane.js';
import {createNetworkBus} from './support/network-bus.js';
import {Panes} from './support/TaskPane.js';

/** The pane's undo history, made once its store exists and stopped when it goes. */
function PaneUndo({name}: {name: string}) {
  const store = useStore();
  const [checkpoints, setCheckpoints] = useState<Checkpoints>();
  // A layout effect, so that StrictMode's remount leaves one history and no edit goes unrecorded.
  useLayoutEffect(() => {
    if (store === undefined) return;
    const history = createUndoHistory(store);
    setCheckpoints(history.checkpoints);
    return history.stop;
  }, [store]);
  return (
    <fieldset className="undo-controls" aria-label={`Undo in ${name}`}>
      <Provider checkpoints={checkpoints}>
        <UndoRedo />
      </Provider>
    </fieldset>
  );
}

function LocalUndo() {
  const [bus] = useState(() => createNetworkBus());
  useEffect(() => () => bus.destroy(), [bus]);
  return (
    <Panes>
      <BusPane bus={bus} name="A">
        <PaneUndo name="A" />
      </BusPane>
      <BusPane bus={bus} name="B">
        <PaneUndo name="B" />
      </BusPane>
    </Panes>
  );
}

const meta = {
  title: 'Sync/Local undo',
  component: LocalUndo,
  parameters: {
    docs: {
      description: {
        component:
          "Undo of one's own edits: A's undo takes back A's edit in both panes and never a " +
          'concurrent edit that B made while the panes were apart.',
      },
    },
  },
} satisfies Meta<typeof LocalUndo>;
export default meta;

export const UndoAgainstConcurrentRemoteEdit: StoryObj<typeof meta> = {
  name: "A's undo keeps B's concurrent edit",
  play: async ({canvasElement, step}) => {
    const canvas = within(canvasElement);
    const paneA = within(canvas.getByRole('region', {name: 'Pane A'}));
    const paneB = within(canvas.getByRole('region', {name: 'Pane B'}));
    const undoA = within(canvas.getByRole('group', {name: 'Undo in A'}));
    const undoB = within(canvas.getByRole('group', {name: 'Undo in B'}));

    await step('both panes sync, with nothing to undo yet', async () => {
      await waitFor(() => expect(paneA.getByRole('status')).toHaveTextContent('online · synced'));
      await waitFor(() => expect(paneB.getByRole('status')).toHaveTextContent('online · synced'));
      await expect(undoA.getByRole('button', {name: 'Undo'})).toBeDisabled();
      await expect(undoB.getByRole('button', {name: 'Undo'})).toBeDisabled();
    });

    await step('apart, A ticks "Buy milk" done and B renames it', async () => {
      await userEvent.click(paneA.getByLabelText('Pane A online'));
      await userEvent.click(paneB.getByLabelText('Pane B online'));
      await waitFor(() =>
        expect(paneA.getByRole('status')).toHaveAttribute('data-connection', 'offline'),
      );
      await userEvent.click(paneA.getByRole('checkbox', {name: 'Done: Buy milk'}));
      const titleB = paneB.getByDisplayValue('Buy milk');
      await userEvent.clear(titleB);
      await userEvent.type(titleB, 'Buy oat milk');
      await expect(undoA.getByRole('button', {name: 'Undo'})).toBeEnabled();
    });

    await step('together again, both panes hold both edits', async () => {
      await userEvent.click(paneA.getByLabelText('Pane A online'));
      await userEvent.click(paneB.getByLabelText('Pane B online'));
      await waitFor(() => expect(paneA.getByDisplayValue('Buy oat milk')).toBeVisible());
      await waitFor(() =>
        expect(paneB.getByRole('checkbox', {name: 'Done: Buy oat milk'})).toBeChecked(),
      );
    });

    await step("A's undo takes back the tick in both panes; B's title stays", async () => {
      await userEvent.click(undoA.getByRole('button', {name: 'Undo'}));
      await waitFor(() =>
        expect(paneB.getByRole('checkbox', {name: 'Done: Buy oat milk'})).not.toBeChecked(),
      );
      await expect(paneA.getByRole('checkbox', {name: 'Done: Buy oat milk'})).not.toBeChecked();
      await expect(paneA.getByDisplayValue('Buy oat milk')).toBeVisible();
      await expect(paneB.getByDisplayValue('Buy oat milk')).toBeVisible();
      await expect(undoA.getByRole('button', {name: 'Undo'})).toBeDisabled();
      await expect(undoA.getByRole('button', {name: 'Redo'})).toBeEnabled();
    });

    await step('redo brings the tick back in both panes, still with B’s title', async () => {
      await userEvent.click(undoA.getByRole('button', {name: 'Redo'}));
      await waitFor(() =>
        expect(paneB.getByRole('checkbox', {name: 'Done: Buy oat milk'})).toBeChecked(),
      );
      await expect(paneA.getByRole('checkbox', {name: 'Done: Buy oat milk'})).toBeChecked();
      await expect(paneB.getByDisplayValue('Buy oat milk')).toBeVisible();
      await expect(undoA.getByRole('button', {name: 'Redo'})).toBeDisabled();
    });
  },
};
