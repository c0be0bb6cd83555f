// The syncstore-server CLI in a child process (its TypeScript source, through tsx), known to be
// listening once it says so. Shared by tests that kill a server hard and by the cluster bench,
// which runs its nodes as separate processes as they would be in production.
import {type ChildProcess, spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export type CliProcess = {
  child: ChildProcess;
  port: number;
  /** Everything it printed, stdout and stderr. */
  output: string[];
  /** Its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
};

const CLI_SOURCE = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));

/**
 * Runs `syncstore-server` with `args` (give `--port 0` for a free port) and waits until it listens;
 * rejects with its output when it exits first. `onSpawn` sees the child before that, so a caller
 * can make sure it is killed whatever happens.
 */
export const spawnCli = async (
  args: readonly string[],
  onSpawn: (child: ChildProcess) => void = () => {},
): Promise<CliProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_SOURCE, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onSpawn(child);
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      output.push(text);
      const match = /listening on ws:\/\/[^:]+:(\d+)/.exec(text);
      if (match) {
        resolve(Number(match[1]));
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => output.push(text));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output.join('')}`)));
  });
  return {child, port: await listening, output, exited};
};
