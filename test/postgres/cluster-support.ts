// Real parts for the cluster tests: a redis-server child process on a free port, and a TCP proxy
// that can cut one node off from PostgreSQL (a partition) and let it through again.
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {connect, createServer, type Server, type Socket} from 'node:net';
import {freePort} from './embedded-postgres.js';

/** Whether Debian's redis-server is installed (.ci/run installs it). */
export const hasRedisServer = (): boolean =>
  spawnSync('redis-server', ['--version'], {stdio: 'ignore'}).status === 0;

export type TestRedis = {url: string; stop(): Promise<void>; start(): Promise<void>};

/** A redis-server without persistence on a free port of 127.0.0.1; stop() and start() again. */
export const startRedis = async (): Promise<TestRedis> => {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {stdio: ['ignore', 'pipe', 'inherit']},
    );
    child = started;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      started.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          resolve();
        }
      });
      started.once('exit', (code) =>
        reject(new Error(`redis-server exited with ${code}: ${output}`)),
      );
    });
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running !== undefined && running.exitCode === null) {
      await new Promise((resolve) => {
        running.once('exit', resolve);
        running.kill('SIGTERM');
      });
    }
  };
  await start();
  return {url: `redis://127.0.0.1:${port}`, stop, start};
};

export type TcpProxy = {
  port: number;
  /** Drops every connection and refuses new ones. */
  cut(): void;
  /** Lets connections through again. */
  heal(): void;
  close(): Promise<void>;
};

/** A TCP proxy on 127.0.0.1 to `targetPort`. */
export const startTcpProxy = async (targetPort: number): Promise<TcpProxy> => {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  return {
    port,
    cut: () => {
      open = false;
      for (const socket of sockets) {
        socket.destroy();
      }
    },
    heal: () => {
      open = true;
    },
    close: async () => {
      open = false;
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
};
