// @vitest-environment happy-dom
// useSyncStatus against a real syncstore server on 127.0.0.1: a provider-owned WebSocket
// synchronizer goes online, offline when the server goes away (an edit made meanwhile counts as
// pending), and back online when it returns, after which the edit reaches another client.
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import {act, render, screen, waitFor} from '@testing-library/react';
import {afterEach, expect, test} from 'vitest';
import {WebSocketServer} from 'ws';
import {
  SynchronizerProvider,
  SyncStatusView,
  useSetCellCallback,
  useSyncStatus,
} from '../../src/react/index.js';
import {createWsServer, type WsServerOptions} from '../../src/server/index.js';
import type {MergeableStore} from '../../src/store/types.js';
import {
  createWsSynchronizer,
  type WsConnectOptions,
} from '../../src/synchronizers/synchronizer-ws-client.js';
import type {SyncStatus} from '../../src/synchronizers/types.js';
import {createStore} from './support.js';

type RunningServer = {port: number; stop(): Promise<void>};

async function startServer(port = 0, options: WsServerOptions = {}): Promise<RunningServer> {
  const webSocketServer = new WebSocketServer({host: '127.0.0.1', port});
  await once(webSocketServer, 'listening');
  const server = createWsServer(webSocketServer, options);
  return {
    port: (webSocketServer.address() as AddressInfo).port,
    stop: async () => {
      await server.destroy();
      await new Promise((resolve) => webSocketServer.close(resolve));
    },
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

/** Every status the component rendered with, in order. */
const renderedStatuses: SyncStatus[] = [];

function StatusRecorder() {
  renderedStatuses.push(useSyncStatus());
  return null;
}

function EditButton() {
  const edit = useSetCellCallback('notes', 'n1', 'text', (text: string) => text);
  return (
    <button type="button" onClick={() => edit('written offline')}>
      edit
    </button>
  );
}

/** Renders the status of a provider-owned WebSocket synchronizer, and an edit button. */
function renderStatus(options: WsConnectOptions): HTMLElement {
  const {unmount} = render(
    <SynchronizerProvider
      createStore={createStore}
      createSynchronizer={(store) => createWsSynchronizer(store, options)}
    >
      <StatusRecorder />
      <SyncStatusView />
      <EditButton />
    </SynchronizerProvider>,
  );
  cleanups.push(unmount);
  return screen.getByRole('status');
}

const connectOptions = (port: number) => ({
  url: `ws://127.0.0.1:${port}/react-room`,
  minReconnectDelayMs: 20,
  maxReconnectDelayMs: 100,
});

test('useSyncStatus follows the connection offline and back online', async () => {
  const server = await startServer();
  const {port} = server;
  let running: RunningServer | undefined = server;
  cleanups.push(() => running?.stop());

  const view = renderStatus(connectOptions(port));
  await waitFor(() => expect(view.dataset.connection).toBe('online'));

  await running.stop();
  running = undefined;
  await waitFor(() => expect(view.dataset.connection).not.toBe('online'));
  expect(renderedStatuses.map(({connection}) => connection)).toContain('offline');

  act(() => screen.getByRole('button').click());
  await waitFor(() => expect(view.dataset.pendingChanges).toBe('1'));
  expect(view.textContent).toContain('1 pending');

  running = await startServer(port);
  await waitFor(() => expect(view.dataset.connection).toBe('online'));
  await waitFor(() => expect(view.dataset.pendingChanges).toBe('0'));

  // The edit made offline reaches a client that joins afterwards.
  const other: MergeableStore = createStore();
  const otherSynchronizer = await createWsSynchronizer(other, connectOptions(port));
  cleanups.push(() => otherSynchronizer.destroy());
  await otherSynchronizer.startSync();
  await waitFor(() => expect(other.getCell('notes', 'n1', 'text')).toBe('written offline'));
});

test('useSyncStatus names the node and counts changes until the server confirms them', async () => {
  const nodeB = await startServer(0, {storage: ':memory:', nodeId: 'node-b'});
  cleanups.push(() => nodeB.stop());
  const nodeA = await startServer(0, {storage: ':memory:', nodeId: 'node-a'});
  let runningA: RunningServer | undefined = nodeA;
  cleanups.push(() => runningA?.stop());
  const urls = [nodeA, nodeB].map(({port}) => `ws://127.0.0.1:${port}/react-room`);

  const view = renderStatus({...connectOptions(0), url: urls});
  await waitFor(() => expect(view.dataset.node).toBe('node-a'));
  await waitFor(() => expect(view.dataset.unconfirmedChanges).toBe('0'));

  act(() => screen.getByRole('button').click());
  // Counted once sent, then confirmed.
  await waitFor(() => {
    expect(renderedStatuses.map(({unconfirmedChanges}) => unconfirmedChanges)).toContain(1);
    expect(renderedStatuses.at(-1)?.unconfirmedChanges).toBe(0);
  });
  expect(renderedStatuses.at(-1)?.node).toEqual({url: urls[0], nodeId: 'node-a'});

  await nodeA.stop();
  runningA = undefined;
  await waitFor(() => expect(view.dataset.node).toBe('node-b'));
  await waitFor(() => expect(view.dataset.connection).toBe('online'));
});
