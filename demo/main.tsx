// The demo's entry point: a MergeableStore kept in IndexedDB (so the board survives a reload while
// offline) and synced through the syncstore server by SynchronizerProvider.
/// <reference path="./vite-env.d.ts" />
import {StrictMode} from 'react';
import {createRoot} from 'react-dom/client';
import {createMergeableStore} from '../src/index.js';
import {SynchronizerProvider} from '../src/react/index.js';
import {createWsSynchronizer} from '../src/synchronizers/synchronizer-ws-client.js';
import {App} from './App.js';
import {STARTING_BOARD} from './board.js';
import {startLocalCopy} from './local-copy.js';
import './styles.css';

// `npm start` tells the page where the sync server is; `?server=ws://…` overrides it.
const serverUrl =
  new URLSearchParams(location.search).get('server') ??
  import.meta.env.VITE_SYNC_URL ??
  `ws://${location.hostname}:8043`;
// The room is the URL path: everyone on /board shares this board.
const roomUrl = `${serverUrl.replace(/\/$/, '')}/board`;

const store = createMergeableStore();
// Load the copy this browser kept (edits made offline included) before syncing, then keep saving.
const localCopy = await startLocalCopy(store, 'syncstore-demo-board');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SynchronizerProvider
      store={store}
      // Reconnect quickly in a demo: at most 2 s between attempts.
      createSynchronizer={(own) =>
        createWsSynchronizer(own, {url: roomUrl, maxReconnectDelayMs: 2000})
      }
      initialContent={STARTING_BOARD}
    >
      <App roomUrl={roomUrl} localCopy={localCopy} />
    </SynchronizerProvider>
  </StrictMode>,
);
