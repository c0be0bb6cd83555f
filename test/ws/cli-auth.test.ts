// `syncstore-server --auth <module>`: the module's authorize, canWriteCell and canWriteValue
// become the server's options. Checked on a real CLI process (started as `npm start` starts it),
// and the module loader's refusals of modules that would leave the server open.
import {describe, expect, test} from 'vitest';
import {startSyncServer} from '../../scripts/demo-servers.js';
import {loadAuthModule, parseCliArguments} from '../../src/server/cli.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {createCleanups, createTempDirectory, RawClient, waitUntil} from './support.js';

const {write: writeModule} = createTempDirectory('syncstore-cli-auth-');
const cleanups = createCleanups();

// Tokens in the query string: "w" writes anything but the "locked" table, "r" only reads.
const AUTH_MODULE = `
export const authorize = (pathId, request) => {
  const token = new URL(request.url, 'http://x').searchParams.get('token');
  return token === 'w' ? {context: {user: 'writer'}} : token === 'r' ? {readOnly: true} : undefined;
};
export const canWriteCell = (pathId, tableId, rowId, cellId, cell, context) =>
  context?.user === 'writer' && tableId !== 'locked';
`;

test('--auth is parsed', () => {
  expect(parseCliArguments(['--auth', './auth.js'])).toMatchObject({auth: './auth.js'});
  expect(parseCliArguments([]).valueOf()).toMatchObject({auth: undefined});
});

describe('loadAuthModule', () => {
  test('takes named exports, or the properties of a default export', async () => {
    const named = await loadAuthModule(writeModule('named.mjs', AUTH_MODULE));
    expect(Object.keys(named).sort()).toEqual(['authorize', 'canWriteCell']);
    const byDefault = await loadAuthModule(
      writeModule('default.mjs', 'export default {canWriteValue: () => false};'),
    );
    expect(Object.keys(byDefault)).toEqual(['canWriteValue']);
    expect(byDefault.canWriteValue?.('p', 'v', 1, undefined)).toBe(false);
  });

  test('refuses a module with none of the three, or one that is not a function', async () => {
    await expect(
      loadAuthModule(writeModule('none.mjs', 'export const authorise = 1;')),
    ).rejects.toThrow('exports none of authorize, canWriteCell, canWriteValue');
    await expect(
      loadAuthModule(writeModule('bad.mjs', 'export const authorize = true;')),
    ).rejects.toThrow('authorize must be a function');
  });
});

test('a real CLI process with --auth refuses, admits read-only and gates writes', async () => {
  const output: string[] = [];
  const server = await startSyncServer({
    db: ':memory:',
    auth: writeModule('auth.mjs', AUTH_MODULE),
    onOutput: (line) => output.push(line),
  });
  cleanups.push(() => server.stop());
  expect(output.join('\n')).toContain('authorization from');
  const url = (token: string) => `${server.url}/room?token=${token}`;

  const stranger = await RawClient.open(url('nope'));
  expect(await stranger.closed).toBe(1008);

  const writer = createMergeableStore('w');
  const reader = createMergeableStore('r');
  for (const [store, token] of [
    [writer, 'w'],
    [reader, 'r'],
  ] as const) {
    const synchronizer = await createWsSynchronizer(store, url(token), 0.5);
    cleanups.push(() => synchronizer.destroy());
    await synchronizer.startSync();
  }
  writer.setCell('open', 'a', 'x', 1).setCell('locked', 'a', 'x', 2);
  reader.setCell('open', 'b', 'x', 3);
  const hashes = (store: typeof writer) => JSON.stringify(store.getMergeableContentHashes());
  await waitUntil(
    () => reader.getCell('open', 'a', 'x') === 1 && hashes(writer) === hashes(reader),
    'writer and reader to converge',
  );
  expect(writer.getTables()).toEqual({open: {a: {x: 1}}});
  expect(reader.getTables()).toEqual({open: {a: {x: 1}}});
  await waitUntil(
    () => output.some((line) => line.includes('refused')),
    'the refusals to be logged',
  );
});
