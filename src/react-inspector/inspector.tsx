// The Inspector: a button in the corner that opens a docked panel showing the store's tables and
// values, the synchronizer's status and peers, and a live log of its messages. It only reads:
// no writes to the store and no messages of its own, so the app behaves as it does without it.
import {type ReactNode, useState} from 'react';
import {
  type StoreOrStoreId,
  type SynchronizerOrSynchronizerId,
  useStoreOrStoreById,
  useSynchronizerOrSynchronizerById,
} from '../react/context.js';
import {DEFAULT_MESSAGE_LIMIT} from './message-log.js';
import {MessageLogView} from './message-log-view.js';
import {StoreSection} from './store-section.js';
import {type InspectorPosition, nubStyle, panelStyle} from './styles.js';
import {SyncSection} from './sync-section.js';
import {useMessageLog} from './use-message-log.js';

/** The Inspector's props: TinyBase's (`position`, `open`, `hue`) and syncstore's own. */
export type InspectorProps = {
  /** Where the panel is docked when open (default 'right'). */
  readonly position?: InspectorPosition;
  /** Whether the panel starts open (default false: only the button shows). */
  readonly open?: boolean;
  /** The hue of the Inspector's colours, 0 to 360 (default 270, as TinyBase's). */
  readonly hue?: number;
  /** The store to show, or its id in a provider; by default the provider's (or the synchronizer's). */
  readonly store?: StoreOrStoreId;
  /** The synchronizer to show, or its id in a provider; by default the provider's. */
  readonly synchronizer?: SynchronizerOrSynchronizerId;
  /** How many of the newest messages the log keeps (default 200). */
  readonly messageLimit?: number;
};

const POSITIONS: InspectorPosition[] = ['top', 'right', 'bottom', 'left', 'full'];

/**
 * A development tool showing the store, the sync status, the peers and the messages sent and
 * received with their sizes. Put it anywhere inside a SynchronizerProvider (or pass `store` and
 * `synchronizer`); the log starts when it mounts.
 *
 * @example
 * <SynchronizerProvider createStore={createMergeableStore} createSynchronizer={connect}>
 *   <App />
 *   {import.meta.env.DEV ? <Inspector position="bottom" /> : null}
 * </SynchronizerProvider>
 */
export function Inspector({
  position = 'right',
  open = false,
  hue = 270,
  store: storeOrStoreId,
  synchronizer: synchronizerOrSynchronizerId,
  messageLimit = DEFAULT_MESSAGE_LIMIT,
}: InspectorProps): ReactNode {
  const [isOpen, setOpen] = useState(open);
  const [dock, setDock] = useState(position);
  const synchronizer = useSynchronizerOrSynchronizerById(synchronizerOrSynchronizerId);
  const foundStore = useStoreOrStoreById(storeOrStoreId);
  // A synchronizer given without a store shows its own store, not the provider's default one.
  const store =
    storeOrStoreId === undefined && synchronizerOrSynchronizerId !== undefined
      ? (synchronizer?.getStore() ?? foundStore)
      : (foundStore ?? synchronizer?.getStore());
  // Listening while closed too, so the log already holds the messages when it is opened.
  const log = useMessageLog(synchronizer, messageLimit);

  return (
    <aside id="syncstoreInspector" aria-label="syncstore inspector" data-position={dock}>
      {isOpen ? (
        <div style={panelStyle(dock, hue)}>
          <header>
            <button type="button" onClick={() => setOpen(false)}>
              Close inspector
            </button>{' '}
            <label>
              Dock{' '}
              <select
                value={dock}
                onChange={(event) => setDock(event.target.value as InspectorPosition)}
              >
                {POSITIONS.map((each) => (
                  <option key={each} value={each}>
                    {each}
                  </option>
                ))}
              </select>
            </label>
          </header>
          <StoreSection store={store} />
          <SyncSection synchronizer={synchronizer} peers={log.peers} />
          <MessageLogView log={log} limit={messageLimit} />
        </div>
      ) : (
        <button type="button" style={nubStyle(hue)} onClick={() => setOpen(true)}>
          Open inspector
        </button>
      )}
    </aside>
  );
}
