// A pane whose synchronizer runs over the stories' in-memory bus, so the story controls its link.
import type {ReactNode} from 'react';
import {createMergeableStore} from '../../src/index.js';
import {SynchronizerProvider} from '../../src/react/index.js';
import {LinkSwitch, StatusHistory} from './NetworkControls.js';
import type {NetworkBus} from './network-bus.js';
import {STARTING_TASKS, TaskPane} from './TaskPane.js';

export function BusPane({
  bus,
  name,
  children,
}: {
  bus: NetworkBus;
  name: string;
  children?: ReactNode;
}) {
  return (
    <SynchronizerProvider
      createStore={() => createMergeableStore()}
      createSynchronizer={(store) => bus.connect(store, name)}
      initialContent={STARTING_TASKS}
    >
      <div className="pane-column">
        <TaskPane name={name} controls={<LinkSwitch bus={bus} peerId={name} />} />
        <StatusHistory name={name} />
        {children}
      </div>
    </SynchronizerProvider>
  );
}
