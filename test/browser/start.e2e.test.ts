// `npm start` as a newcomer runs it: it starts the sync server and the demo and prints where they
// are; then the sequence the page tells the user to try, exactly as written, in real Chromium:
// edit, stop the sync server (the key `s` in the terminal, written to stdin here), keep editing,
// reload the page (it is still served), start the sync server again (`s`), and the edits arrive
// at a second page. SIGTERM stops both servers.
import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {type Browser, chromium, type Page} from 'playwright';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {findFreePort, PROJECT_ROOT} from '../../scripts/demo-servers.js';
import {getChromiumLaunchOptions} from './chromium.js';
import {addCard, waitForCard, waitForConnection} from './demo-page.js';

// Reconnecting after the server returns waits for the client's backoff (at most 2 s in the demo).
const RECONNECT_WITHIN_MS = 30_000;

let start: ChildProcess | undefined;
let browser: Browser | undefined;
let output = '';
let printed = '';
const dataDir = mkdtempSync(join(tmpdir(), 'syncstore-start-'));
const ports = {demo: 0, sync: 0};

/** Resolves once npm start's output (from `from` on) contains `text`. */
const outputShows = (text: string, from = 0) =>
  new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.indexOf(text, from) !== -1) {
        start?.stdout?.off('data', check);
        resolve();
      }
    };
    start?.stdout?.on('data', check);
    start?.once('exit', () => reject(new Error(`npm start exited:\n${output}`)));
    check();
  });

/** Presses `key` in npm start's terminal and waits for its answer. */
const pressKey = async (key: string, answer: string) => {
  const from = output.length;
  start?.stdin?.write(key);
  await outputShows(answer, from);
};

const connectionOf = (page: Page) =>
  page.locator('.status-bar [role="status"]').getAttribute('data-connection');

beforeAll(async () => {
  ports.demo = await findFreePort();
  ports.sync = await findFreePort();
  start = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'start.ts')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(ports.demo),
      SYNC_PORT: String(ports.sync),
      DEMO_DB: join(dataDir, 'rooms.db'),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  start.stdout?.setEncoding('utf8');
  start.stdout?.on('data', (chunk: string) => {
    output += chunk;
  });
  start.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await outputShows('Press Ctrl+C (or q) to stop.');
  printed = output;
  browser = await chromium.launch({...(await getChromiumLaunchOptions()), headless: true});
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (start && start.exitCode === null && start.signalCode === null) {
    start.kill('SIGKILL');
    await once(start, 'exit');
  }
  rmSync(dataDir, {recursive: true, force: true});
});

describe('npm start', () => {
  test('serves the board and the sync server, and prints both addresses and the keys', async () => {
    const boardUrl = /Task board:\s+(http:\/\/\S+)/.exec(printed)?.[1];
    const syncUrl = /Sync server:\s+(ws:\/\/\S+)/.exec(printed)?.[1];
    expect(boardUrl).toBe(`http://127.0.0.1:${ports.demo}/`);
    expect(syncUrl).toBe(`ws://127.0.0.1:${ports.sync}`);
    expect(printed).toContain('Press s to stop the sync server');

    const page = await fetch(boardUrl ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('syncstore task board');
  });

  test('stop the sync server only, keep editing, reload, start it again: a second page gets it all', async () => {
    const boardUrl = `http://127.0.0.1:${ports.demo}/`;
    const contextA = await browser!.newContext();
    const contextB = await browser!.newContext(); // its own, empty IndexedDB
    try {
      const pageA = await contextA.newPage();
      await pageA.goto(boardUrl);
      await waitForConnection(pageA, true, RECONNECT_WITHIN_MS);
      await addCard(pageA, 'To do', 'Before the stop');

      await pressKey('s', 'Sync server stopped.');
      await waitForConnection(pageA, false, RECONNECT_WITHIN_MS);
      // Only the sync server is down: the page's server still answers.
      expect((await fetch(boardUrl)).status).toBe(200);

      await addCard(pageA, 'To do', 'While the server is down');
      await pageA.reload();
      await waitForCard(pageA, 'To do', 'While the server is down', RECONNECT_WITHIN_MS);
      await waitForCard(pageA, 'To do', 'Before the stop', RECONNECT_WITHIN_MS);
      expect(await connectionOf(pageA)).not.toBe('online');

      await pressKey('s', `Sync server running again on ws://127.0.0.1:${ports.sync}.`);
      await waitForConnection(pageA, true, RECONNECT_WITHIN_MS);

      const pageB = await contextB.newPage();
      await pageB.goto(boardUrl);
      await waitForCard(pageB, 'To do', 'While the server is down', RECONNECT_WITHIN_MS);
      await waitForCard(pageB, 'To do', 'Before the stop', RECONNECT_WITHIN_MS);
    } finally {
      await contextA.close();
      await contextB.close();
    }
  });

  test('SIGTERM stops both servers: their ports are free again', async () => {
    // Still running, or the test before saw it stop: npm start must not exit by itself.
    expect(start!.exitCode).toBeNull();
    const exited = once(start!, 'exit');
    start!.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(await findFreePort(ports.demo)).toBe(ports.demo);
    expect(await findFreePort(ports.sync)).toBe(ports.sync);
  });
});
