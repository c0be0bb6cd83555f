// Servers for the cluster cases (bench/cases/cluster*.ts), each a child process as real nodes
// are: syncstore nodes are the syncstore-server CLI on one embedded PostgreSQL (started when a
// case first needs it, stopped when the last one is done); TinyBase's server runs the way the
// websocket cases run it (bench/cases/ws.ts). Every child is killed if this process exits first.
import type {ChildProcess} from 'node:child_process';
import {startPostgres, type TestPostgres} from '../test/postgres/embedded-postgres.js';
import {spawnCli} from '../test/ws/cli-process.js';
import {startBenchServer} from './cases/ws.js';

export type BenchNode = {
  url: (room: string) => string;
  child: ChildProcess;
  /** Stops the process (SIGTERM: a clean shutdown) and waits for it to exit. */
  stop: () => Promise<void>;
};

let postgres: Promise<TestPostgres> | undefined;
let postgresUsers = 0;

/** The shared PostgreSQL, started on first use; give it back with releasePostgres. */
export const acquirePostgres = (): Promise<TestPostgres> => {
  postgresUsers++;
  postgres ??= startPostgres();
  return postgres;
};

export const releasePostgres = async (): Promise<void> => {
  postgresUsers--;
  if (postgresUsers === 0 && postgres !== undefined) {
    const running = postgres;
    postgres = undefined;
    await (await running).destroy();
  }
};

/** Makes sure `child` does not outlive this process. */
export const killOnExit = (child: ChildProcess): void => {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
};

const benchNode = (port: number, child: ChildProcess): BenchNode => ({
  url: (room) => `ws://127.0.0.1:${port}/${room}`,
  child,
  stop: async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  },
});

/** A syncstore-server process storing its rooms in the PostgreSQL at `databaseUrl`. */
export const startSyncstoreNode = async (
  databaseUrl: string,
  nodeId: string,
): Promise<BenchNode> => {
  const {port, child} = await spawnCli(
    ['--port', '0', '--postgres', databaseUrl, '--node-id', nodeId, '--quiet'],
    killOnExit,
  );
  return benchNode(port, child);
};

/** TinyBase's WsServer in a process of its own (relaying only: it has no storage). */
export const startTinybaseNode = async (): Promise<BenchNode> => {
  const {port, child} = await startBenchServer('tinybase');
  return benchNode(port, child);
};
