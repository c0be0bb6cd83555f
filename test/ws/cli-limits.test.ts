// `syncstore-server --limits <file.json>` and `--limit name=value` (docs/protocol.md §6.9): parsed
// and checked before anything listens, and enforced by a real CLI process, which closes an
// offender with the limit's code and reason and logs it while an honest client keeps syncing.
import {join} from 'node:path';
import {describe, expect, test, vi} from 'vitest';
import {startSyncServer} from '../../scripts/demo-servers.js';
import {main, parseCliArguments} from '../../src/server/cli.js';
import {parseCliLimits} from '../../src/server/cli-limits.js';
import {DEFAULT_LIMITS} from '../../src/server/client-limits.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import {createWsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {encodeRemainder} from '../../src/synchronizers/ws/frames.js';
import {createCleanups, createTempDirectory, RawClient, waitUntil} from './support.js';

const {path: directory, write: writeFile} = createTempDirectory('syncstore-cli-limits-');
const cleanups = createCleanups();

describe('parsing', () => {
  test('no flag: no limits option, the server keeps its defaults', () => {
    expect(parseCliArguments([])).toMatchObject({limits: undefined});
  });

  test('a file, then repeated --limit pairs on top of it; 0 and "off" turn a limit off', () => {
    const file = writeFile('limits.json', '{"maxIdBytes": 64, "messagesPerSecond": 50}');
    expect(
      parseCliArguments([
        '--limits',
        file,
        '--limit',
        'maxIdBytes=8',
        '--limit',
        'clientsPerRoom=off',
        '--limit',
        'maxDepth=0',
      ]),
    ).toMatchObject({
      limits: {maxIdBytes: 8, messagesPerSecond: 50, clientsPerRoom: Infinity, maxDepth: 0},
    });
    expect(parseCliLimits(undefined, ['bytesPerSecond=1e6'])).toEqual({bytesPerSecond: 1e6});
  });

  test.each([
    [
      [],
      ['maxIdByte=8'],
      '--limit maxIdByte=8: unknown limit "maxIdByte" (known: messagesPerSecond,',
    ],
    [[], ['maxIdBytes'], '--limit maxIdBytes: expected name=value'],
    [[], ['maxIdBytes=-1'], 'the value must be a number of 0 or more, or "off"'],
    [[], ['maxIdBytes=many'], 'the value must be a number of 0 or more, or "off"'],
    [[], ['maxIdBytes='], 'the value must be a number of 0 or more, or "off"'],
    [['{"maxDepht": 3}'], [], 'unknown limit "maxDepht"'],
    [['{"maxDepth": "3"}'], [], 'maxDepth must be a number of 0 or more'],
    [['[1]'], [], 'must hold a JSON object of limits'],
    [['{nope'], [], 'limits.json: '],
  ])('refuses file %j with pairs %j: %s', (fileText, pairs, message) => {
    const file = fileText.length === 0 ? undefined : writeFile('limits.json', fileText[0]!);
    expect(() => parseCliLimits(file, pairs)).toThrow(message);
  });

  test('--help lists both flags and every limit with its default', async () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
      written.push(String(text));
      return true;
    });
    try {
      await main(['--help']);
    } finally {
      write.mockRestore();
    }
    const help = written.join('');
    expect(help).toContain('--limits <file>');
    expect(help).toContain('--limit <name=value>');
    for (const [name, value] of Object.entries(DEFAULT_LIMITS)) {
      expect(help).toContain(`${name} ${value}`);
    }
  });

  test('a missing file is named in the error', () => {
    expect(() => parseCliLimits(join(directory, 'missing.json'), [])).toThrow(
      /--limits .*missing\.json: ENOENT/,
    );
  });
});

test('a real CLI process enforces the limits from --limits and --limit', async () => {
  const output: string[] = [];
  const server = await startSyncServer({
    db: ':memory:',
    args: ['--limits', writeFile('cli.json', '{"maxValueBytes": 16}'), '--limit', 'maxIdBytes=8'],
    onOutput: (line) => output.push(line),
  });
  cleanups.push(() => server.stop());
  expect(output.join('\n')).toContain('limits maxValueBytes=16 maxIdBytes=8');

  const honest = createMergeableStore('honest');
  const honestSync = await createWsSynchronizer(honest, `${server.url}/room`, 0.5);
  cleanups.push(() => honestSync.destroy());
  await honestSync.startSync();

  const sendCell = async (rowId: string, cell: string) => {
    const client = await RawClient.open(`${server.url}/room`);
    cleanups.push(() => client.close());
    client.send(
      `\n${encodeRemainder('tx000000001', 3, [[{t: [{[rowId]: [{c: [cell, 'P7oyw95----m22wq']}]}]}], [{}], 1])}`,
    );
    return client;
  };
  const longId = await sendCell('row-id-too-long', 'x');
  expect(await longId.closed).toBe(1009);
  expect(longId.closeReason).toBe('syncstore:limit:id an id of over 8 bytes');
  const bigValue = await sendCell('r', 'x'.repeat(17));
  expect(await bigValue.closed).toBe(1009);
  expect(bigValue.closeReason).toBe('syncstore:limit:value a cell or value of over 16 bytes');
  await waitUntil(
    () => output.some((line) => line.includes('error: syncstore:limit:value')),
    'the offence to be logged',
  );

  // Within the limits, the honest client's writes arrive; the offenders' never did.
  const reader = createMergeableStore('reader');
  honest.setCell('t', 'r', 'c', 'ok');
  const readerSync = await createWsSynchronizer(reader, `${server.url}/room`, 0.5);
  cleanups.push(() => readerSync.destroy());
  await readerSync.startSync();
  await waitUntil(() => reader.getCell('t', 'r', 'c') === 'ok', 'the honest write to arrive');
  expect(reader.getTables()).toEqual({t: {r: {c: 'ok'}}});
  expect(honestSync.getSyncStatus().connection).toBe('online');
});

test('a bad limit stops the CLI before it listens', async () => {
  await expect(
    startSyncServer({db: ':memory:', args: ['--limit', 'maxIdBytes=lots']}),
  ).rejects.toThrow('--limit maxIdBytes=lots: the value must be a number of 0 or more');
});
