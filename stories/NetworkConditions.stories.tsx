// Network conditions: the panes talk over an in-memory network with latency, jitter (messages
// overtake each other), loss and duplication, all adjustable. Duplicates and reordering are
// harmless (merging is idempotent and commutative). A lost change is healed by the next pull:
// each pane pulls from its peers every few seconds, the way an app on a lossy transport would.
import type {Meta, StoryObj} from '@storybook/react-vite';
import {useEffect, useState, useSyncExternalStore} from 'react';
import {expect, userEvent, waitFor, within} from 'storybook/test';
import {createMergeableStore} from '../src/index.js';
import {SynchronizerProvider, useSynchronizer, useTables} from '../src/react/index.js';
import type {MergeableStore} from '../src/store/types.js';
import {createNetworkBus, type NetworkBus, type NetworkConditions} from './support/network-bus.js';
import {Panes, STARTING_TASKS, TaskPane} from './support/TaskPane.js';

const SEED = 42;
// Requests on this network take at most a few hundred milliseconds; give up on one after this.
const REQUEST_TIMEOUT_SECONDS = 0.5;

/** Pulls from the peers every `seconds`, so that whatever the network lost arrives eventually. */
function PeriodicPull({seconds}: {seconds: number}) {
  const synchronizer = useSynchronizer();
  useEffect(() => {
    if (synchronizer === undefined || seconds <= 0) return;
    const timer = setInterval(() => void synchronizer.load(), seconds * 1000);
    return () => clearInterval(timer);
  }, [synchronizer, seconds]);
  return null;
}

function NetworkPane(props: {
  name: string;
  store: MergeableStore;
  bus: NetworkBus;
  pullSeconds: number;
}) {
  const {name, store, bus, pullSeconds} = props;
  return (
    <SynchronizerProvider
      store={store}
      createSynchronizer={(own) => bus.connect(own, name)}
      initialContent={STARTING_TASKS}
    >
      <PeriodicPull seconds={pullSeconds} />
      <TaskPane name={name} />
    </SynchronizerProvider>
  );
}

function NumberControl(props: {
  label: string;
  value: number;
  max: number;
  onChange: (value: number) => void;
}) {
  return (
    <label className="link-switch">
      {props.label}
      <input
        type="number"
        min={0}
        max={props.max}
        value={props.value}
        onChange={(event) => props.onChange(Number(event.target.value))}
        style={{width: 64}}
      />
    </label>
  );
}

/** What the network did so far, and whether the two stores hold the same content. */
function NetworkReport({
  bus,
  storeA,
  storeB,
}: {
  bus: NetworkBus;
  storeA: MergeableStore;
  storeB: MergeableStore;
}) {
  const {sent, delivered, lost, duplicated} = useSyncExternalStore(
    bus.addCountsListener,
    bus.getCounts,
  );
  useTables(storeA);
  useTables(storeB);
  const [hashesA, hashesB] = [storeA, storeB].map((store) =>
    store.getMergeableContentHashes().join(','),
  );
  return (
    <p className="explain">
      Messages: {sent} sent, {delivered} delivered, {lost} lost, {duplicated} duplicated.{' '}
      <strong role="status" aria-label="Convergence">
        {hashesA === hashesB ? 'Converged: both stores hold the same content' : 'Diverged'}
      </strong>
    </p>
  );
}

type Args = NetworkConditions & {pullSeconds: number};

function NetworkConditionsStory(args: Args) {
  const [bus] = useState(() => createNetworkBus(args, SEED, REQUEST_TIMEOUT_SECONDS));
  const [storeA] = useState(() => createMergeableStore());
  const [storeB] = useState(() => createMergeableStore());
  const [conditions, setConditions] = useState<NetworkConditions>(args);
  useEffect(() => () => bus.destroy(), [bus]);
  useEffect(() => bus.setConditions(conditions), [bus, conditions]);
  const control = (label: string, key: keyof NetworkConditions, max: number, toValue = 1) => (
    <NumberControl
      label={label}
      max={max}
      value={Math.round(conditions[key] * toValue)}
      onChange={(value) => setConditions((current) => ({...current, [key]: value / toValue}))}
    />
  );
  return (
    <div className="pane-column">
      <fieldset className="explain" aria-label="Network conditions">
        <legend>Network conditions</legend>
        {control('Latency (ms)', 'latencyMs', 2000)} {control('Jitter (ms)', 'jitterMs', 2000)}{' '}
        {control('Loss (%)', 'lossRate', 100, 100)}{' '}
        {control('Duplication (%)', 'duplicationRate', 100, 100)}
      </fieldset>
      <Panes>
        <NetworkPane name="A" store={storeA} bus={bus} pullSeconds={args.pullSeconds} />
        <NetworkPane name="B" store={storeB} bus={bus} pullSeconds={args.pullSeconds} />
      </Panes>
      <NetworkReport bus={bus} storeA={storeA} storeB={storeB} />
    </div>
  );
}

const meta = {
  title: 'Sync/Network conditions',
  component: NetworkConditionsStory,
  args: {latencyMs: 20, jitterMs: 40, lossRate: 0, duplicationRate: 0, pullSeconds: 1},
  argTypes: {
    pullSeconds: {description: 'Each pane pulls from its peers this often (0: never).'},
  },
} satisfies Meta<typeof NetworkConditionsStory>;
export default meta;

export const LossyNetwork: StoryObj<typeof meta> = {
  name: 'Latency, loss and duplication',
  play: async ({canvasElement, step}) => {
    const canvas = within(canvasElement);
    const paneA = within(canvas.getByRole('region', {name: 'Pane A'}));
    const paneB = within(canvas.getByRole('region', {name: 'Pane B'}));
    const setControl = async (label: string, value: number) => {
      const input = canvas.getByLabelText(label);
      await userEvent.clear(input);
      await userEvent.type(input, String(value));
    };

    await step('the panes sync over a clean network', async () => {
      await waitFor(() =>
        expect(canvas.getByLabelText('Convergence')).toHaveTextContent('Converged'),
      );
      await expect(await paneB.findByDisplayValue('Buy milk')).toBeVisible();
    });

    await step('the network turns bad: 20% loss, 20% duplicates, reordering', async () => {
      await setControl('Loss (%)', 20);
      await setControl('Duplication (%)', 20);
      await setControl('Jitter (ms)', 80);
    });

    await step('both panes add and edit tasks', async () => {
      for (const [pane, titles] of [
        [paneA, ['A one', 'A two', 'A three']],
        [paneB, ['B one', 'B two', 'B three']],
      ] as const) {
        for (const title of titles) {
          await userEvent.type(pane.getByLabelText('New task'), title);
          await userEvent.click(pane.getByRole('button', {name: 'Add'}));
        }
      }
      await userEvent.click(paneA.getByRole('checkbox', {name: 'Done: Buy milk'}));
      await userEvent.type(paneB.getByDisplayValue('Call the plumber'), ' today');
    });

    await step('the panes still converge, with nothing lost', async () => {
      await waitFor(
        () => expect(canvas.getByLabelText('Convergence')).toHaveTextContent('Converged'),
        {timeout: 30_000},
      );
      for (const pane of [paneA, paneB]) {
        for (const title of ['A one', 'A two', 'A three', 'B one', 'B two', 'B three']) {
          await expect(pane.getByDisplayValue(title)).toBeVisible();
        }
        await expect(pane.getByDisplayValue('Call the plumber today')).toBeVisible();
        await expect(pane.getByRole('checkbox', {name: 'Done: Buy milk'})).toBeChecked();
      }
      // The network really did lose and duplicate messages on the way.
      const report = canvas.getByText(/^Messages:/).textContent ?? '';
      const [, lost = '0', duplicated = '0'] = /(\d+) lost, (\d+) duplicated/.exec(report) ?? [];
      await expect(Number(lost)).toBeGreaterThan(0);
      await expect(Number(duplicated)).toBeGreaterThan(0);
    });
  },
};
