// The demo's entry point: a MergeableStore kept in IndexedDB (so the board survives a reload while
// offline), synced through the syncstore server by SynchronizerProvider, with undo of one's own
// edits provided to the hooks below.
/// <reference path="./vite-env.d.ts" />
import {StrictMode} from 'react';
import {createRoot} from 'react-dom/client';
import {createMergeableStore} from '../src/index.js';
import {Provider, SynchronizerProvider} from '../src/react/index.js';
import {createWsSynchronizer} from '../src/synchronizers/synchronizer-ws-client.js';
import {App} from './App.js';
import {STARTING_BOARD} from './board.js';
import {startLocalCopy} from './local-copy.js';
import {createUndoHistory} from './undo.js';
import './styles.css';

const params = new URLSearchParams(location.search);
// `npm start` tells the page where the sync server is; `?server=ws://…` overrides it.
const serverUrl =
  params.get('server') ?? import.meta.env.VITE_SYNC_URL ?? `ws://${location.hostname}:8043`;
// The room is the server URL's path: everyone on /board shares this board; `?room=team` opens
// the team board, which the server (demo/auth.ts) opens only with `&token=…`.
const room = params.get('room') ?? 'board';
const token = params.get('token');
const roomUrl = `${serverUrl.replace(/\/$/, '')}/${encodeURIComponent(room)}`;
const connectUrl = token === null ? roomUrl : `${roomUrl}?token=${encodeURIComponent(token)}`;

const store = createMergeableStore();
// Load the copy this browser kept (edits made offline included) before syncing, then keep saving.
const localCopy = await startLocalCopy(
  store,
  room === 'board' ? 'syncstore-demo-board' : `syncstore-demo-${room}`,
);
const undoHistory = createUndoHistory(store);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SynchronizerProvider
      store={store}
      // Reconnect quickly in a demo: at most 2 s between attempts.
      createSynchronizer={(own) =>
        createWsSynchronizer(own, {url: connectUrl, maxReconnectDelayMs: 2000})
      }
      initialContent={STARTING_BOARD}
    >
      <Provider checkpoints={undoHistory.checkpoints}>
        {/* The status bar shows the room, never the token. */}
        <App roomUrl={roomUrl} localCopy={localCopy} />
      </Provider>
    </SynchronizerProvider>
  </StrictMode>,
);
