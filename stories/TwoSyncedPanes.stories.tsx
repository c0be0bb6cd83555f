// Two synced panes: each pane is its own SynchronizerProvider with its own MergeableStore, and
// LocalSynchronizers join them in memory. Add, edit, tick or delete a task in one pane and the
// other pane shows it.
import type {Meta, StoryObj} from '@storybook/react-vite';
import {expect, userEvent, waitFor, within} from 'storybook/test';
import {LocalPanes} from './support/LocalPanes.js';
import {STARTING_TASKS, TaskPane} from './support/TaskPane.js';

function TwoPanes() {
  return <LocalPanes pane={(name) => <TaskPane name={name} />} initialContent={STARTING_TASKS} />;
}

const meta = {
  title: 'Sync/Two synced panes',
  component: TwoPanes,
  parameters: {
    docs: {
      description: {
        component:
          'Each pane owns a MergeableStore and a LocalSynchronizer through SynchronizerProvider. ' +
          'Edits in either pane merge into the other, cell by cell.',
      },
    },
  },
} satisfies Meta<typeof TwoPanes>;
export default meta;

export const AddEditDelete: StoryObj<typeof meta> = {
  name: 'Add, edit and delete in either pane',
  play: async ({canvasElement, step}) => {
    const canvas = within(canvasElement);
    const paneA = within(canvas.getByRole('region', {name: 'Pane A'}));
    const paneB = within(canvas.getByRole('region', {name: 'Pane B'}));

    await step('both panes start with the same tasks and end up synced', async () => {
      await expect(await paneA.findByDisplayValue('Buy milk')).toBeVisible();
      await expect(await paneB.findByDisplayValue('Call the plumber')).toBeVisible();
      await expect(await paneA.findByText(/online · synced/)).toBeVisible();
      await expect(await paneB.findByText(/online · synced/)).toBeVisible();
    });

    await step('a task added in A appears in B', async () => {
      await userEvent.type(paneA.getByLabelText('New task'), 'Water the plants');
      await userEvent.click(paneA.getByRole('button', {name: 'Add'}));
      await expect(await paneB.findByDisplayValue('Water the plants')).toBeVisible();
    });

    await step('a title edited in B changes in A', async () => {
      const titleInB = paneB.getByDisplayValue('Buy milk');
      await userEvent.clear(titleInB);
      await userEvent.type(titleInB, 'Buy oat milk');
      await expect(await paneA.findByDisplayValue('Buy oat milk')).toBeVisible();
    });

    await step('a task ticked in A is ticked in B', async () => {
      await userEvent.click(paneA.getByRole('checkbox', {name: 'Done: Buy oat milk'}));
      await expect(await paneB.findByRole('checkbox', {name: 'Done: Buy oat milk'})).toBeChecked();
    });

    await step('a task deleted in B disappears from A', async () => {
      await userEvent.click(paneB.getByRole('button', {name: 'Delete Call the plumber'}));
      await expect(paneB.queryByDisplayValue('Call the plumber')).toBeNull();
      await expect(await paneA.findByDisplayValue('Water the plants')).toBeVisible();
      await waitFor(() => expect(paneA.queryByDisplayValue('Call the plumber')).toBeNull());
    });
  },
};
