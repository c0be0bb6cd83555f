// Two panes side by side, A and B, each its own SynchronizerProvider with its own MergeableStore,
// joined in memory by LocalSynchronizers.
import type {ReactNode} from 'react';
import {createMergeableStore} from '../../src/index.js';
import {SynchronizerProvider} from '../../src/react/index.js';
import type {Content} from '../../src/store/types.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';
import {Panes} from './TaskPane.js';

export function LocalPanes({
  pane,
  initialContent,
}: {
  /** What each pane shows, inside its provider. */
  pane: (name: string) => ReactNode;
  initialContent?: Content;
}) {
  return (
    <Panes>
      {['A', 'B'].map((name) => (
        <SynchronizerProvider
          key={name}
          createStore={() => createMergeableStore()}
          createSynchronizer={(store) => createLocalSynchronizer(store)}
          initialContent={initialContent}
        >
          {pane(name)}
        </SynchronizerProvider>
      ))}
    </Panes>
  );
}
