// Offline and back: each pane's link can be cut. Edits made on both sides while apart stay local
// (the status counts them as pending); when the link returns the synchronizer pulls and
// announces, and the panes merge cell by cell.
import type {Meta, StoryObj} from '@storybook/react-vite';
import {useEffect, useState} from 'react';
import {expect, userEvent, waitFor, within} from 'storybook/test';
import {BusPane} from './support/BusPane.js';
import {createNetworkBus, PERFECT_NETWORK} from './support/network-bus.js';
import {Panes} from './support/TaskPane.js';

// A little latency so that "syncing" is on screen long enough to see.
const LATENCY_MS = 150;

function OfflineAndBack() {
  const [bus] = useState(() => createNetworkBus({...PERFECT_NETWORK, latencyMs: LATENCY_MS}));
  useEffect(() => () => bus.destroy(), [bus]);
  return (
    <Panes>
      <BusPane bus={bus} name="A" />
      <BusPane bus={bus} name="B" />
    </Panes>
  );
}

const meta = {
  title: 'Sync/Offline and back',
  component: OfflineAndBack,
} satisfies Meta<typeof OfflineAndBack>;
export default meta;

export const EditBothSidesWhileApart: StoryObj<typeof meta> = {
  name: 'Edit both sides while apart, then reconnect',
  play: async ({canvasElement, step}) => {
    const canvas = within(canvasElement);
    const paneA = within(canvas.getByRole('region', {name: 'Pane A'}));
    const paneB = within(canvas.getByRole('region', {name: 'Pane B'}));
    const statusA = () => paneA.getByRole('status');
    const historyA = canvas.getByRole('list', {name: 'Status history of A'});

    await step('both panes sync', async () => {
      await waitFor(() => expect(statusA()).toHaveTextContent('online · synced'));
      await waitFor(() => expect(paneB.getByRole('status')).toHaveTextContent('online · synced'));
    });

    await step('cutting A’s link shows it offline', async () => {
      await userEvent.click(paneA.getByLabelText('Pane A online'));
      await waitFor(() => expect(statusA()).toHaveAttribute('data-connection', 'offline'));
    });

    await step('edits in A while offline are pending', async () => {
      const title = paneA.getByDisplayValue('Buy milk');
      await userEvent.clear(title);
      await userEvent.type(title, 'Buy oat milk');
      await userEvent.type(paneA.getByLabelText('New task'), 'Fix the bike');
      await userEvent.click(paneA.getByRole('button', {name: 'Add'}));
      await waitFor(() => expect(statusA()).toHaveTextContent(/offline · .* · \d+ pending/));
      await expect(Number(statusA().dataset.pendingChanges)).toBeGreaterThan(0);
    });

    await step('B edits another cell of the same task; it does not reach A yet', async () => {
      await userEvent.click(paneB.getByRole('checkbox', {name: 'Done: Buy milk'}));
      await expect(paneB.getByDisplayValue('Buy milk')).toBeVisible();
      await expect(paneA.getByRole('checkbox', {name: 'Done: Buy oat milk'})).not.toBeChecked();
    });

    await step('reconnecting A syncs both ways and merges cell by cell', async () => {
      await userEvent.click(paneA.getByLabelText('Pane A online'));
      await waitFor(() => expect(statusA()).toHaveTextContent('online · synced'));
      await waitFor(() => expect(paneB.getByDisplayValue('Buy oat milk')).toBeVisible());
      await expect(paneB.getByDisplayValue('Fix the bike')).toBeVisible();
      await expect(paneA.getByRole('checkbox', {name: 'Done: Buy oat milk'})).toBeChecked();
      await expect(paneB.getByRole('checkbox', {name: 'Done: Buy oat milk'})).toBeChecked();
      await expect(statusA()).toHaveAttribute('data-pending-changes', '0');
    });

    await step('A’s status went through offline, pending, syncing and synced', async () => {
      const history = within(historyA)
        .getAllByRole('listitem')
        .map((item) => item.textContent)
        .join(' → ');
      await expect(history).toMatch(/offline[^→]* pending.*→ online · syncing.*→ online · synced/);
    });
  },
};
