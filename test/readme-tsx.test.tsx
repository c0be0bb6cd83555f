// @vitest-environment happy-dom
// Runs every `tsx` code block of README.md as the page script it is meant to be: each is compiled
// by vite (with `syncstore/...` imports resolved to src/), rendered with happy-dom into an
// `#app` element, against a real syncstore WebSocket server on the port the block names. Then the
// rendered app is used as a reader would: the React example's Add button must add a todo, its
// checkbox must tick it, and another client in the same room must see both changes.
import {once} from 'node:events';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {fireEvent, screen, waitFor} from '@testing-library/dom';
import type {Root} from 'react-dom/client';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {WebSocketServer} from 'ws';
import {createMergeableStore} from '../src/index.js';
import {createWsServer} from '../src/server/index.js';
import {createWsSynchronizer} from '../src/synchronizers/synchronizer-ws-client.js';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/```tsx\n([\s\S]*?)```/g)].map((match) => match[1]);
const OUT_DIR = join(ROOT, '.tmp', 'readme');
/** The port README examples connect to; each run swaps in a free one. */
const README_PORT = '8043';

// Every root a block creates, so that the test can unmount what the block rendered.
const roots = vi.hoisted((): Root[] => []);
vi.mock('react-dom/client', async (importOriginal) => {
  const client = await importOriginal<typeof import('react-dom/client')>();
  return {
    ...client,
    createRoot: (...args: Parameters<typeof client.createRoot>) => {
      const root = client.createRoot(...args);
      roots.push(root);
      return root;
    },
  };
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

/** A syncstore server on a free port, listening on every interface (the README says localhost). */
async function startServer(): Promise<number> {
  const webSocketServer = new WebSocketServer({port: 0});
  await once(webSocketServer, 'listening');
  const server = createWsServer(webSocketServer);
  cleanups.push(async () => {
    await server.destroy();
    await new Promise((resolve) => webSocketServer.close(resolve));
  });
  return (webSocketServer.address() as AddressInfo).port;
}

/** Writes the block with the server's port and imports it, as the page would load its script. */
async function runBlock(code: string, index: number, port: number): Promise<void> {
  document.body.innerHTML = '<div id="app"></div>';
  mkdirSync(OUT_DIR, {recursive: true});
  const file = join(OUT_DIR, `block-${index}.tsx`);
  // A fresh query each time, so that the block runs again even where vite has it cached.
  writeFileSync(file, code.replaceAll(README_PORT, String(port)));
  await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
  cleanups.push(() => {
    for (const root of roots.splice(0)) {
      root.unmount();
    }
  });
}

/** Another client in a room of the server, to see what the rendered app synced. */
async function joinRoom(port: number, room: string) {
  const store = createMergeableStore();
  const synchronizer = await createWsSynchronizer(store, `ws://localhost:${port}/${room}`);
  cleanups.push(() => synchronizer.destroy());
  await synchronizer.startSync();
  return store;
}

/**
 * The README React example, used as a reader would: the initial todo arrives, Add adds one, a
 * checkbox ticks one, and another client in the same room then has both changes.
 */
async function checkReactExample(port: number): Promise<void> {
  // The initial content is set once the synchronizer has found the room empty.
  await waitFor(() => expect(screen.getByText('Welcome')).toBeTruthy(), {timeout: 5000});
  const status = screen.getByRole('status');
  await waitFor(() => expect(status.dataset.connection).toBe('online'));

  fireEvent.click(screen.getByRole('button', {name: 'Add'}));
  await waitFor(() => expect(screen.getByText('Todo 2')).toBeTruthy());
  expect(screen.getAllByRole('listitem')).toHaveLength(2);

  const welcome = screen.getByRole('checkbox', {name: 'Welcome'}) as HTMLInputElement;
  expect(welcome.checked).toBe(false);
  fireEvent.click(welcome);
  await waitFor(() => expect(welcome.checked).toBe(true));

  // Both edits went through the server: a client joining the room now gets them.
  const other = await joinRoom(port, 'todos');
  await waitFor(() => {
    const todos = Object.values(other.getTable('todos'));
    expect(todos).toHaveLength(2);
    expect(todos).toContainEqual({text: 'Welcome', done: true});
    expect(todos).toContainEqual({text: 'Todo 2', done: false});
  });
}

/**
 * The README presence example: another client in the room appears with its cursor, and the
 * rendered board's own pointer reaches that client as its presence.
 */
async function checkPresenceExample(port: number): Promise<void> {
  const synchronizer = await createWsSynchronizer(
    createMergeableStore(),
    `ws://localhost:${port}/board`,
  );
  cleanups.push(() => synchronizer.destroy());
  await synchronizer.startSync();
  await waitFor(() =>
    expect(synchronizer.getProtocolExtensions().sort()).toEqual([
      'buckets',
      'compact',
      'delta',
      'presence',
    ]),
  );
  synchronizer.setPresence({name: 'Bob', x: 5, y: 6});
  await waitFor(() => expect(screen.getByText('▲ Bob')).toBeTruthy(), {timeout: 5000});
  expect(screen.getByText(/1 here besides you/)).toBeTruthy();
  fireEvent.pointerMove(screen.getByRole('application'), {clientX: 10, clientY: 20});
  await waitFor(() =>
    expect(Object.values(synchronizer.getPeersPresence())).toEqual([{name: 'Ada', x: 10, y: 20}]),
  );
  await synchronizer.destroy();
  await waitFor(() => expect(screen.queryByText('▲ Bob')).toBe(null));
}

describe('README tsx examples', () => {
  test('the README has the React example as a tsx block', () => {
    expect(BLOCKS.some((code) => code.includes('useAddRowCallback'))).toBe(true);
    expect(BLOCKS.some((code) => code.includes('useOthers'))).toBe(true);
  });

  test.each(BLOCKS.map((code, index) => [index + 1, code]))(
    'block %i renders into #app and works',
    async (index, code) => {
      const port = await startServer();
      await runBlock(code as string, index as number, port);
      expect(roots.length).toBeGreaterThan(0);
      await waitFor(() =>
        expect(document.getElementById('app')?.childNodes.length).toBeGreaterThan(0),
      );
      if ((code as string).includes('useAddRowCallback')) {
        await checkReactExample(port);
      }
      if ((code as string).includes('useOthers')) {
        await checkPresenceExample(port);
      }
    },
  );
});
