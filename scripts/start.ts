// `npm start`: runs the syncstore server (rooms in an SQLite file under demo/.data) and serves the
// demo task board, then prints where to open it. Ctrl+C stops both; the key `s` stops only the
// sync server and starts it again (same port and rooms), so the page's "stop the server, keep
// editing, reload, start it again" works as written: the page stays served throughout.
//
// Ports: SYNC_PORT (default 8043) and PORT (default 5173); a busy one is replaced by a free one.
// DEMO_DB names another SQLite file for the rooms. The server runs with demo/auth.ts as its
// --auth module: the board "board" is open, the board "team" needs a token (DEMO_TEAM_TOKEN to
// edit, DEMO_VIEW_TOKEN to look; defaults in demo/auth.ts).
import {mkdirSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {TEAM_ROOM, TEAM_TOKEN, VIEW_TOKEN} from '../demo/auth.js';
import {
  findFreePort,
  PROJECT_ROOT,
  type RunningServer,
  startDemoServer,
  startSyncServer,
} from './demo-servers.js';
import {createSyncServerSwitch, type SyncServerSwitch} from './sync-server-switch.js';

const AUTH_MODULE = join(PROJECT_ROOT, 'demo', 'auth.ts');

const DATA_DIR = join(PROJECT_ROOT, 'demo', '.data');
const DB_FILE = process.env.DEMO_DB ?? join(DATA_DIR, 'syncstore.db');

const prefixed = (prefix: string) => (line: string) => {
  if (line.trim() !== '') process.stdout.write(`${prefix} ${line}\n`);
};

/** The ASCII control character Ctrl+C sends when the terminal is in raw mode. */
const CTRL_C = '\u0003';

/**
 * Reads keys from the terminal (one at a time when it is a TTY; characters of each line when
 * stdin is a pipe, as in the end-to-end test): `s` switches the sync server, `q` and Ctrl+C quit.
 */
const listenToKeys = (onKey: (key: string) => void) => {
  const {stdin} = process;
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.on('data', (chunk: string) => {
    for (const key of chunk) onKey(key);
  });
  // Without a terminal or pipe (stdin closed), only signals stop the demo.
  stdin.on('end', () => stdin.pause());
};

const main = async () => {
  mkdirSync(dirname(DB_FILE), {recursive: true});
  let syncServer: SyncServerSwitch | undefined;
  let demo: RunningServer | undefined;
  let stopping = false;
  const shutDown = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    process.stdin.pause();
    Promise.all([syncServer?.stop(), demo?.stop()]).finally(() => process.exit(exitCode));
  };
  const stoppedUnexpectedly = (name: string) => {
    if (stopping) return;
    process.stderr.write(`The ${name} stopped unexpectedly.\n`);
    shutDown(1);
  };
  process.once('SIGINT', () => shutDown(0));
  process.once('SIGTERM', () => shutDown(0));

  try {
    const syncPort = await findFreePort(Number(process.env.SYNC_PORT ?? 8043));
    const sync = await createSyncServerSwitch(
      () =>
        startSyncServer({
          port: syncPort,
          db: DB_FILE,
          auth: AUTH_MODULE,
          onOutput: prefixed('[server]'),
        }),
      () => stoppedUnexpectedly('sync server'),
    );
    syncServer = sync;
    const syncUrl = sync.current()?.url ?? '';
    const demoServer = await startDemoServer({
      port: await findFreePort(Number(process.env.PORT ?? 5173)),
      syncUrl,
    });
    demo = demoServer;
    void demoServer.exited.then(() => stoppedUnexpectedly('demo server'));

    listenToKeys((key) => {
      if (key === CTRL_C || key === 'q') {
        shutDown(0);
      } else if (key === 's' && !stopping) {
        void sync.toggle().then(
          (state) =>
            process.stdout.write(
              state === 'stopped'
                ? 'Sync server stopped. The board still loads and keeps your edits in the browser; press s to start the sync server again.\n'
                : `Sync server running again on ${syncUrl}. Open boards catch up by themselves.\n`,
            ),
          (error: Error) => {
            process.stderr.write(`Could not start the sync server again: ${error.message}\n`);
            shutDown(1);
          },
        );
      }
    });

    process.stdout.write(
      [
        '',
        'syncstore demo is running',
        `  Task board:   ${demoServer.url}   (open it in two windows)`,
        `  Team board:   ${demoServer.url}?room=${TEAM_ROOM}&token=${TEAM_TOKEN}   (needs the token;`,
        `                ${demoServer.url}?room=${TEAM_ROOM}&token=${VIEW_TOKEN} only looks)`,
        `  Sync server:  ${syncUrl}   (rooms stored in ${relative(PROJECT_ROOT, DB_FILE)})`,
        'Press s to stop the sync server (the board stays served) and s again to restart it.',
        'Press Ctrl+C (or q) to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`Could not start the demo: ${(error as Error).message}\n`);
    shutDown(1);
  }
};

void main();
