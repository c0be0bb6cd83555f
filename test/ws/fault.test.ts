// Fault tolerance with the real CLI in a child process: the server is killed with SIGKILL during
// an initial sync of 10k cells and restarted on the same port and database. Clients in URL mode
// reconnect by themselves; after convergence no edit made anywhere is missing, including edits
// made while the server was down; the database has everything; SIGTERM stops the server cleanly.
import {join} from 'node:path';
import {expect, test} from 'vitest';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableStore} from '../../src/store/types.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {Message} from '../../src/synchronizers/types.js';
import {setUpServerProcesses, startServerProcess} from './server-process.js';
import {waitUntil} from './support.js';

const {directory, synchronizers} = setUpServerProcesses('syncstore-fault-');

const hashesOf = (store: MergeableStore) => JSON.stringify(store.getMergeableContentHashes());

test('SIGKILL during a 10k-cell initial sync, restart on the same port and database: nothing lost', async () => {
  const db = join(directory, 'fault.db');
  let server = await startServerProcess(0, db);
  const {port} = server;
  const url = {
    url: `ws://127.0.0.1:${port}/big`,
    minReconnectDelayMs: 50,
    maxReconnectDelayMs: 500,
  };

  // The writer brings 10k cells; the server store starts pulling them, and is killed right then.
  const writer = createMergeableStore('writer');
  writer.transaction(() => {
    for (let row = 0; row < 1000; row++) {
      for (let cell = 0; cell < 10; cell++) {
        writer.setCell('big', `r${row}`, `c${cell}`, row * 10 + cell);
      }
    }
  });
  let killed = false;
  const onReceive = (_from: string, _requestId: string | null, message: number) => {
    if (!killed && message === Message.GetTableDiff) {
      killed = true;
      server.child.kill('SIGKILL');
    }
  };
  const reader = createMergeableStore('reader');
  const readerSync = await createWsSynchronizer(reader, url, 1);
  synchronizers.push(readerSync);
  await readerSync.startSync();
  const writerSync = await createWsSynchronizer(writer, url, 1, undefined, onReceive);
  synchronizers.push(writerSync);
  void writerSync.startSync();
  await server.exited;
  expect(killed).toBe(true);

  // Edits on both sides while the server is down.
  await waitUntil(
    () =>
      writerSync.getSyncStatus().connection !== 'online' &&
      readerSync.getSyncStatus().connection !== 'online',
    'clients see the outage',
  );
  writer.setCell('big', 'r0', 'c0', 'edited while down by the writer');
  writer.setCell('extra', 'w', 'c', 'new while down');
  reader.setCell('extra', 'r', 'c', 'reader while down');
  reader.setValue('readerValue', 1);

  server = await startServerProcess(port, db);
  expect(server.port).toBe(port);
  await waitUntil(() => hashesOf(writer) === hashesOf(reader), 'convergence after restart', 30_000);
  expect(reader.getRowCount('big')).toBe(1000);
  expect(reader.getCell('big', 'r999', 'c9')).toBe(9999);
  expect(reader.getCell('big', 'r0', 'c0')).toBe('edited while down by the writer');
  expect(writer.getTable('extra')).toEqual({w: {c: 'new while down'}, r: {c: 'reader while down'}});
  expect(writer.getValues()).toEqual({readerValue: 1});

  // The server's own copy has all of it: a newcomer alone with the server gets everything.
  for (const synchronizer of synchronizers.splice(0)) {
    synchronizer.destroy();
  }
  await waitUntil(() => server.output.join('').includes('room "big" closed'), 'room closed');
  const newcomer = createMergeableStore('newcomer');
  const newcomerSync = await createWsSynchronizer(newcomer, url, 1);
  synchronizers.push(newcomerSync);
  await newcomerSync.startSync();
  expect(hashesOf(newcomer)).toBe(hashesOf(writer));

  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(server.output.join('')).toContain('SIGTERM received, shutting down');
});
