// Starts and stops the two processes behind the demo: the syncstore server (its CLI, run from
// source) and the Vite dev server for demo/. Each runs as a child process started directly from
// node (never through npx, whose wrapper would outlive a kill) and is stopped by its own pid.
import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import {createServer} from 'node:net';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 60_000;

export type RunningServer = {
  /** ws://… for the sync server, http://… for the demo. */
  url: string;
  port: number;
  pid: number;
  /** Resolves when the process has exited, whoever stopped it. */
  exited: Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL if it lingers) and waits until it has exited. */
  stop(): Promise<void>;
};

type OutputListener = (line: string) => void;

/** `preferred` if nothing listens on it, otherwise a port the system picks. */
export const findFreePort = async (preferred = 0): Promise<number> => {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(undefined));
      probe.listen(port, HOST, () => {
        const address = probe.address();
        const bound = typeof address === 'object' && address !== null ? address.port : undefined;
        probe.close(() => resolve(bound));
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0)) ?? 0;
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
const stripColours = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/**
 * Spawns `command`, forwards each output line to `onOutput`, and resolves with the first match
 * of `ready` in its output. Rejects if the process exits or stays silent for too long first.
 */
const spawnUntilReady = async (
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  onOutput: OutputListener = () => {},
): Promise<{child: ChildProcess; match: RegExpMatchArray}> => {
  const child = spawn(command, args, {cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not start in time:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    let pending = '';
    let found = false;
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const rawLine of lines) {
        const line = stripColours(rawLine);
        output += `${line}\n`;
        onOutput(line);
        const match = found ? null : line.match(ready);
        if (match) {
          found = true;
          clearTimeout(timer);
          resolve({child, match});
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!found) reject(new Error(`${args.join(' ')} exited (${signal ?? code}):\n${output}`));
    });
  });
};

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

const exitOf = async (child: ChildProcess): Promise<void> => {
  if (!hasExited(child)) await once(child, 'exit');
};

const stopChild = async (child: ChildProcess): Promise<void> => {
  if (hasExited(child)) return;
  const exited = exitOf(child);
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
};

const runningServer = (child: ChildProcess, url: string, port: number): RunningServer => ({
  url,
  port,
  pid: child.pid ?? 0,
  exited: exitOf(child),
  stop: () => stopChild(child),
});

/**
 * Runs `syncstore-server` from source with rooms stored in the SQLite file `db`, with `auth` as
 * its --auth module when given, and any further `args`.
 */
export const startSyncServer = async (
  options: {
    port?: number;
    db: string;
    auth?: string;
    /** More arguments for the CLI (e.g. `--limit`). */
    args?: string[];
    onOutput?: OutputListener;
  } = {
    db: ':memory:',
  },
): Promise<RunningServer> => {
  const {child, match} = await spawnUntilReady(
    process.execPath,
    [
      '--import',
      'tsx',
      join(PROJECT_ROOT, 'src', 'server', 'cli.ts'),
      '--host',
      HOST,
      '--port',
      String(options.port ?? 0),
      '--db',
      options.db,
      ...(options.auth === undefined ? [] : ['--auth', options.auth]),
      ...(options.args ?? []),
    ],
    process.env,
    /listening on (ws:\/\/[\d.]+:(\d+))/,
    options.onOutput,
  );
  return runningServer(child, match[1] ?? '', Number(match[2]));
};

/** Serves demo/ with Vite's dev server, telling the page where the sync server is. */
export const startDemoServer = async (options: {
  port?: number;
  syncUrl: string;
  onOutput?: OutputListener;
}): Promise<RunningServer> => {
  const port = options.port ?? (await findFreePort());
  const {child, match} = await spawnUntilReady(
    join(PROJECT_ROOT, 'node_modules', '.bin', 'vite'),
    [
      '--config',
      join(PROJECT_ROOT, 'demo', 'vite.config.ts'),
      '--port',
      String(port),
      '--strictPort',
    ],
    {...process.env, VITE_SYNC_URL: options.syncUrl},
    /Local:\s+(http:\/\/\S+)/,
    options.onOutput,
  );
  return runningServer(child, match[1] ?? `http://${HOST}:${port}/`, port);
};
