// `npm start`: runs the syncstore server (rooms in an SQLite file under demo/.data) and serves the
// demo task board, then prints where to open it. Ctrl+C stops both.
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

const AUTH_MODULE = join(PROJECT_ROOT, 'demo', 'auth.ts');

const DATA_DIR = join(PROJECT_ROOT, 'demo', '.data');
const DB_FILE = process.env.DEMO_DB ?? join(DATA_DIR, 'syncstore.db');

const prefixed = (prefix: string) => (line: string) => {
  if (line.trim() !== '') process.stdout.write(`${prefix} ${line}\n`);
};

const main = async () => {
  mkdirSync(dirname(DB_FILE), {recursive: true});
  const running: RunningServer[] = [];
  const stopAll = async () => {
    await Promise.all(running.map((server) => server.stop()));
  };
  let stopping = false;
  const shutDown = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    stopAll().finally(() => process.exit(exitCode));
  };
  process.once('SIGINT', () => shutDown(0));
  process.once('SIGTERM', () => shutDown(0));

  try {
    const syncServer = await startSyncServer({
      port: await findFreePort(Number(process.env.SYNC_PORT ?? 8043)),
      db: DB_FILE,
      auth: AUTH_MODULE,
      onOutput: prefixed('[server]'),
    });
    running.push(syncServer);
    const demo = await startDemoServer({
      port: await findFreePort(Number(process.env.PORT ?? 5173)),
      syncUrl: syncServer.url,
    });
    running.push(demo);
    for (const [name, server] of [
      ['sync server', syncServer],
      ['demo server', demo],
    ] as const) {
      void server.exited.then(() => {
        if (stopping) return;
        process.stderr.write(`The ${name} stopped unexpectedly.\n`);
        shutDown(1);
      });
    }
    process.stdout.write(
      [
        '',
        'syncstore demo is running',
        `  Task board:   ${demo.url}   (open it in two windows)`,
        `  Team board:   ${demo.url}?room=${TEAM_ROOM}&token=${TEAM_TOKEN}   (needs the token;`,
        `                ${demo.url}?room=${TEAM_ROOM}&token=${VIEW_TOKEN} only looks)`,
        `  Sync server:  ${syncServer.url}   (rooms stored in ${relative(PROJECT_ROOT, DB_FILE)})`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`Could not start the demo: ${(error as Error).message}\n`);
    shutDown(1);
  }
};

void main();
