// Conflict: both panes edit the same cell while apart. When they meet, the edit with the later
// clock stamp (HLC) wins in both panes: stamps compare as text, so the later time wins, then the
// higher counter, then the larger client id. The panes show every stamp, so the outcome is never
// a mystery.
import type {Meta, StoryObj} from '@storybook/react-vite';
import {type ChangeEvent, useEffect, useState} from 'react';
import {expect, userEvent, waitFor, within} from 'storybook/test';
import {createMergeableStore} from '../src/index.js';
import {SynchronizerProvider, SyncStatusView, useSetCellCallback} from '../src/react/index.js';
import type {Content, MergeableStore} from '../src/store/types.js';
import {createNetworkBus, type NetworkBus} from './support/network-bus.js';
import {describeHlc, useCellStamp} from './support/stamps.js';
import {Panes, TASKS} from './support/TaskPane.js';

const TASK = 'milk';
const STARTING_CONTENT: Content = [{[TASKS]: {[TASK]: {title: 'Buy milk'}}}, {}];

function ConflictPane({name, store, bus}: {name: string; store: MergeableStore; bus: NetworkBus}) {
  const {cell, hlc} = useCellStamp(store, TASKS, TASK, 'title');
  const setTitle = useSetCellCallback(
    TASKS,
    TASK,
    'title',
    (event: ChangeEvent<HTMLInputElement>) => event.target.value,
    [],
    store,
  );
  return (
    <SynchronizerProvider
      store={store}
      createSynchronizer={(own) => bus.connect(own, name)}
      initialContent={STARTING_CONTENT}
    >
      <section className="pane" aria-label={`Pane ${name}`}>
        <header>
          <h3>Pane {name}</h3>
          <SyncStatusView className="sync-status" />
        </header>
        <input aria-label="Title" value={String(cell ?? '')} onChange={setTitle} />
        <p className="stamp" data-testid="stamp" data-hlc={hlc}>
          stamp {hlc || '""'}
          <br />
          {describeHlc(hlc)}
        </p>
      </section>
    </SynchronizerProvider>
  );
}

/** Says which edit wins, or won, and why. */
function Verdict({storeA, storeB}: {storeA: MergeableStore; storeB: MergeableStore}) {
  const first = {name: 'A', ...useCellStamp(storeA, TASKS, TASK, 'title')};
  const second = {name: 'B', ...useCellStamp(storeB, TASKS, TASK, 'title')};
  if (first.hlc === second.hlc) {
    return (
      <p className="explain" role="note">
        Both panes hold “{String(first.cell)}”, stamp {first.hlc || '""'}.
      </p>
    );
  }
  const [later, earlier] = first.hlc > second.hlc ? [first, second] : [second, first];
  return (
    <p className="explain" role="note">
      The panes differ. When they meet, Pane {later.name}’s “{String(later.cell)}” wins in both: its
      stamp {later.hlc} is later than {earlier.hlc || '""'} (stamps compare as text: time, then
      counter, then client id).
    </p>
  );
}

function Conflict() {
  const [bus] = useState(() => createNetworkBus());
  const [storeA] = useState(() => createMergeableStore());
  const [storeB] = useState(() => createMergeableStore());
  const [connected, setConnected] = useState(true);
  useEffect(() => () => bus.destroy(), [bus]);
  const connect = (next: boolean) => {
    setConnected(next);
    bus.setOnline('A', next);
    bus.setOnline('B', next);
  };
  return (
    <div className="pane-column">
      <label className="link-switch explain">
        <input
          type="checkbox"
          checked={connected}
          onChange={(event) => connect(event.target.checked)}
        />
        Panes connected
      </label>
      <Panes>
        <ConflictPane name="A" store={storeA} bus={bus} />
        <ConflictPane name="B" store={storeB} bus={bus} />
      </Panes>
      <Verdict storeA={storeA} storeB={storeB} />
    </div>
  );
}

const meta = {
  title: 'Sync/Conflict',
  component: Conflict,
} satisfies Meta<typeof Conflict>;
export default meta;

export const SameCellBothSides: StoryObj<typeof meta> = {
  name: 'Same cell edited on both sides while apart',
  play: async ({canvasElement, step}) => {
    const canvas = within(canvasElement);
    const paneA = within(canvas.getByRole('region', {name: 'Pane A'}));
    const paneB = within(canvas.getByRole('region', {name: 'Pane B'}));
    const stampOf = (pane: typeof paneA) => pane.getByTestId('stamp').dataset.hlc ?? '';

    await step('the panes start in sync', async () => {
      await waitFor(() => expect(paneA.getByRole('status')).toHaveTextContent('online · synced'));
      await waitFor(() => expect(paneB.getByRole('status')).toHaveTextContent('online · synced'));
      await expect(paneA.getByLabelText('Title')).toHaveValue('Buy milk');
    });

    await step('apart, each pane writes its own title', async () => {
      await userEvent.click(canvas.getByLabelText('Panes connected'));
      await waitFor(() => expect(paneA.getByRole('status')).toHaveTextContent(/offline/));
      await userEvent.clear(paneA.getByLabelText('Title'));
      await userEvent.type(paneA.getByLabelText('Title'), 'Buy oat milk');
      await userEvent.clear(paneB.getByLabelText('Title'));
      await userEvent.type(paneB.getByLabelText('Title'), 'Buy almond milk');
      await expect(paneA.getByLabelText('Title')).toHaveValue('Buy oat milk');
      await expect(paneB.getByLabelText('Title')).toHaveValue('Buy almond milk');
    });

    const stampA = stampOf(paneA);
    const stampB = stampOf(paneB);
    const [winnerName, winnerTitle, winnerStamp] =
      stampA > stampB ? ['A', 'Buy oat milk', stampA] : ['B', 'Buy almond milk', stampB];

    await step('the verdict names the edit with the later stamp', async () => {
      await expect(canvas.getByRole('note')).toHaveTextContent(
        `Pane ${winnerName}’s “${winnerTitle}” wins in both`,
      );
    });

    await step('reconnected, both panes hold the winner with its stamp', async () => {
      await userEvent.click(canvas.getByLabelText('Panes connected'));
      await waitFor(() => expect(paneA.getByLabelText('Title')).toHaveValue(winnerTitle));
      await waitFor(() => expect(paneB.getByLabelText('Title')).toHaveValue(winnerTitle));
      await expect(stampOf(paneA)).toBe(winnerStamp);
      await expect(stampOf(paneB)).toBe(winnerStamp);
      await expect(canvas.getByRole('note')).toHaveTextContent(`Both panes hold “${winnerTitle}”`);
    });
  },
};
