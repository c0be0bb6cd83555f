// "A node killed after confirming loses none of them" (docs/protocol.md §8.7): the real CLI in a
// child process with a SQLite file; a client writes, waits until the server has confirmed every
// change, the server is killed with SIGKILL and restarted on the same file, and a newcomer finds
// every confirmed change there (the writer is gone by then, so only the file can supply them).
import {join} from 'node:path';
import {expect, test} from 'vitest';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {setUpServerProcesses, startServerProcess} from './server-process.js';
import {waitUntil} from './support.js';

const {directory, synchronizers} = setUpServerProcesses('syncstore-durable-');

const BATCHES = 20;
const CELLS_PER_BATCH = 10;
const nextMacrotask = () => new Promise((resolve) => setTimeout(resolve, 0));

test('every change confirmed before a SIGKILL is in the database after the restart', async () => {
  const db = join(directory, 'durable.db');
  const server = await startServerProcess(0, db);
  const url = `ws://127.0.0.1:${server.port}/room`;

  const writer = createMergeableStore('writer');
  const writerSync = await createWsSynchronizer(writer, url, 1);
  synchronizers.push(writerSync);
  await writerSync.startSync();
  await waitUntil(() => writerSync.getProtocolExtensions().includes('ack'), 'the ack feature');
  let mostUnconfirmed = 0;
  writerSync.addSyncStatusListener(({unconfirmedChanges = 0}) => {
    mostUnconfirmed = Math.max(mostUnconfirmed, unconfirmedChanges);
  });

  // One ContentDiff (and one mark) per batch.
  for (let batch = 0; batch < BATCHES; batch++) {
    writer.transaction(() => {
      for (let cell = 0; cell < CELLS_PER_BATCH; cell++) {
        writer.setCell('t', `r${batch}`, `c${cell}`, batch * CELLS_PER_BATCH + cell);
      }
    });
    await nextMacrotask();
  }
  await waitUntil(() => writerSync.getSyncStatus().unconfirmedChanges === 0, 'every confirmation');
  expect(mostUnconfirmed).toBeGreaterThan(0);

  server.child.kill('SIGKILL');
  expect(await server.exited).toBe(null);
  writerSync.destroy();

  const restarted = await startServerProcess(0, db);
  const reader = createMergeableStore('reader');
  const readerSync = await createWsSynchronizer(reader, `ws://127.0.0.1:${restarted.port}/room`, 1);
  synchronizers.push(readerSync);
  await readerSync.startSync();
  await waitUntil(
    () => reader.getCellIds('t', `r${BATCHES - 1}`).length === CELLS_PER_BATCH,
    'the last batch from the database',
  );
  expect(reader.getTables()).toEqual(writer.getTables());
  expect(reader.getRowCount('t')).toBe(BATCHES);
});
