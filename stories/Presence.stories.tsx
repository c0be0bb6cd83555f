// Presence in two panes: each pane is its own SynchronizerProvider with a LocalSynchronizer.
// Moving the pointer over one pane's board draws that cursor in the other pane; selecting a row
// in one pane shows the other who is on it. Presence is never stored: both stores stay empty.
import type {Meta, StoryObj} from '@storybook/react-vite';
import {expect, fireEvent, userEvent, waitFor, within} from 'storybook/test';
import {LocalPanes} from './support/LocalPanes.js';
import {PresencePane} from './support/PresencePane.js';

function TwoPresencePanes() {
  return <LocalPanes pane={(name) => <PresencePane name={name} />} />;
}

const meta = {
  title: 'Sync/Presence',
  component: TwoPresencePanes,
  parameters: {
    docs: {
      description: {
        component:
          'Each pane has its own store and LocalSynchronizer. useMyPresence sets the pane’s ' +
          'cursor and selection; useOthers draws the other pane’s. Presence is relayed at most ' +
          'every 50 ms and never written to a store.',
      },
    },
  },
} satisfies Meta<typeof TwoPresencePanes>;
export default meta;

/** Moves the pointer to (x, y) within `board`. */
const movePointer = (board: HTMLElement, x: number, y: number) => {
  const box = board.getBoundingClientRect();
  fireEvent.pointerMove(board, {clientX: box.left + x, clientY: box.top + y});
};

export const CursorsAndSelection: StoryObj<typeof meta> = {
  name: 'Each pane sees the other’s cursor and selection',
  play: async ({canvasElement, step}) => {
    const canvas = within(canvasElement);
    const paneA = within(canvas.getByRole('region', {name: 'Pane A'}));
    const paneB = within(canvas.getByRole('region', {name: 'Pane B'}));

    await step('a cursor moved over A is drawn in B, where it last stopped', async () => {
      const boardA = paneA.getByRole('application', {name: 'Board A'});
      for (let x = 10; x <= 120; x += 10) {
        movePointer(boardA, x, 40);
      }
      const cursorOfA = await paneB.findByRole('img', {name: 'Cursor of A'});
      await waitFor(() => expect(cursorOfA.style.left).toBe('120px'));
      await expect(cursorOfA.style.top).toBe('40px');
      await expect(paneB.getByText('1 other here')).toBeVisible();
      // A does not draw its own cursor.
      await expect(paneA.queryByRole('img', {name: 'Cursor of A'})).toBeNull();
    });

    await step('a cursor moved over B is drawn in A', async () => {
      movePointer(paneB.getByRole('application', {name: 'Board B'}), 70, 90);
      const cursorOfB = await paneA.findByRole('img', {name: 'Cursor of B'});
      await waitFor(() => expect(cursorOfB.style.left).toBe('70px'));
      await expect(cursorOfB.style.top).toBe('90px');
    });

    await step('a row selected in B is shown in A, and moves with B', async () => {
      await userEvent.click(paneB.getByRole('button', {name: 'Select Row 2'}));
      await expect(await paneA.findByText('B is on Row 2')).toBeVisible();
      await userEvent.click(paneB.getByRole('button', {name: 'Select Row 3'}));
      await expect(await paneA.findByText('B is on Row 3')).toBeVisible();
      await waitFor(() => expect(paneA.queryByText('B is on Row 2')).toBeNull());
      // B's cursor is still where it was: the selection was added to the same state.
      await expect(paneA.getByRole('img', {name: 'Cursor of B'}).style.left).toBe('70px');
    });
  },
};
