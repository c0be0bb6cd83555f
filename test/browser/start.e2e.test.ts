// `npm start` as a newcomer runs it: it starts the sync server and the demo, prints where they
// are, serves the board, and stops both on SIGTERM.
import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {findFreePort, PROJECT_ROOT} from '../../scripts/demo-servers.js';

let start: ChildProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'syncstore-start-'));

afterAll(async () => {
  if (start && start.exitCode === null && start.signalCode === null) {
    start.kill('SIGKILL');
    await once(start, 'exit');
  }
  rmSync(dataDir, {recursive: true, force: true});
});

test('npm start serves the board and the sync server, and prints both addresses', async () => {
  const env = {
    ...process.env,
    PORT: String(await findFreePort()),
    SYNC_PORT: String(await findFreePort()),
    DEMO_DB: join(dataDir, 'rooms.db'),
  };
  start = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'start.ts')], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  start.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const printed = await new Promise<string>((resolve, reject) => {
    start?.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Press Ctrl+C to stop.')) resolve(output);
    });
    start?.once('exit', () => reject(new Error(`npm start exited:\n${output}`)));
  });

  const boardUrl = /Task board:\s+(http:\/\/\S+)/.exec(printed)?.[1];
  const syncUrl = /Sync server:\s+(ws:\/\/\S+)/.exec(printed)?.[1];
  expect(boardUrl).toBe(`http://127.0.0.1:${env.PORT}/`);
  expect(syncUrl).toBe(`ws://127.0.0.1:${env.SYNC_PORT}`);

  const page = await fetch(boardUrl ?? '');
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('syncstore task board');

  const exited = once(start, 'exit');
  start.kill('SIGTERM');
  const [code] = await exited;
  expect(code).toBe(0);
  // Both servers are gone with it: their ports are free again.
  expect(await findFreePort(Number(env.PORT))).toBe(Number(env.PORT));
  expect(await findFreePort(Number(env.SYNC_PORT))).toBe(Number(env.SYNC_PORT));
});
