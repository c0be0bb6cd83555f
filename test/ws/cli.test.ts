// The syncstore-server command line: arguments, and a server started the way the CLI starts it.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {parseCliArguments, redactUrl, startServer} from '../../src/server/cli.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';

const directory = mkdtempSync(join(tmpdir(), 'syncstore-cli-'));
afterAll(() => rmSync(directory, {recursive: true, force: true}));

describe('arguments', () => {
  test('defaults', () => {
    expect(parseCliArguments([])).toEqual({
      port: 8043,
      host: '127.0.0.1',
      db: './syncstore.db',
      quiet: false,
    });
  });

  test('options', () => {
    expect(parseCliArguments(['--port', '0', '--host', '0.0.0.0', '--db', 'x.db', '-q'])).toEqual({
      port: 0,
      host: '0.0.0.0',
      db: 'x.db',
      quiet: true,
    });
    expect(parseCliArguments(['-p', '9000', '--relay'])).toMatchObject({port: 9000, db: undefined});
    expect(parseCliArguments(['--help'])).toBe('help');
  });

  test('--postgres, with --redis and --node-id', () => {
    const postgres = 'postgres://user:secret@127.0.0.1:5432/rooms';
    expect(parseCliArguments(['--postgres', postgres])).toEqual({
      port: 8043,
      host: '127.0.0.1',
      db: undefined,
      quiet: false,
      postgres,
    });
    expect(
      parseCliArguments([
        '--postgres',
        postgres,
        '--redis',
        'redis://127.0.0.1:6379',
        '--node-id',
        'node-2',
      ]),
    ).toMatchObject({postgres, redis: 'redis://127.0.0.1:6379', nodeId: 'node-2', db: undefined});
  });

  test('rejects --postgres with --db or --relay, --redis or --node-id alone, and bad URLs', () => {
    const postgres = 'postgres://127.0.0.1/rooms';
    expect(() => parseCliArguments(['--postgres', postgres, '--db', 'x.db'])).toThrow(
      '--postgres keeps the rooms in PostgreSQL: leave out --db and --relay',
    );
    expect(() => parseCliArguments(['--postgres', postgres, '--relay'])).toThrow('leave out');
    expect(() => parseCliArguments(['--redis', 'redis://127.0.0.1'])).toThrow(
      '--redis needs --postgres',
    );
    expect(() => parseCliArguments(['--node-id', 'n'])).toThrow('--node-id needs --postgres');
    expect(() => parseCliArguments(['--postgres', 'rooms.db'])).toThrow(
      '--postgres must be a URL (postgres://…), not "rooms.db"',
    );
    expect(() => parseCliArguments(['--postgres', 'mysql://h/db'])).toThrow(
      '--postgres must be a postgres: or postgresql: URL, not mysql:',
    );
    expect(() => parseCliArguments(['--postgres', postgres, '--redis', 'http://h'])).toThrow(
      '--redis must be a redis: or rediss: URL',
    );
  });

  test('the password of a URL never reaches the log', () => {
    expect(redactUrl('postgres://user:secret@db:5432/rooms')).toBe(
      'postgres://user:***@db:5432/rooms',
    );
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  test('rejects a bad port and unknown options', () => {
    expect(() => parseCliArguments(['--port', 'eighty'])).toThrow('--port');
    expect(() => parseCliArguments(['--port', '70000'])).toThrow('--port');
    expect(() => parseCliArguments(['--verbose'])).toThrow();
  });
});

test('a server started as the CLI does stores rooms in its database', async () => {
  const db = join(directory, 'cli.db');
  const {wsServer, port} = await startServer({port: 0, host: '127.0.0.1', db, quiet: true});
  const store = createMergeableStore('s');
  const synchronizer = await createWsSynchronizer(store, `ws://127.0.0.1:${port}/room`, 0.3);
  await synchronizer.startSync();
  store.setCell('t', 'r', 'c', 'stored');
  synchronizer.destroy();
  await wsServer.destroy();

  const again = await startServer({port: 0, host: '127.0.0.1', db, quiet: true});
  const reader = createMergeableStore('r');
  const readerSync = await createWsSynchronizer(reader, `ws://127.0.0.1:${again.port}/room`, 0.3);
  await readerSync.startSync();
  expect(reader.getCell('t', 'r', 'c')).toBe('stored');
  readerSync.destroy();
  await again.wsServer.destroy();
});
