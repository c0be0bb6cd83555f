// The syncstore-server CLI in a child process (its TypeScript source, through tsx), for tests that
// kill it hard: started on a port and SQLite file, and known to be listening once it says so.
import {type ChildProcess, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach} from 'vitest';
import type {WsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';

export type ServerProcess = {
  child: ChildProcess;
  port: number;
  output: string[];
  exited: Promise<number | null>;
};

const children = new Set<ChildProcess>();

/**
 * Sets up the calling test file: a temporary directory for databases (removed at the end), and
 * after each test, the synchronizers pushed to the returned list destroyed and every server
 * process still running killed.
 */
export const setUpServerProcesses = (
  prefix: string,
): {directory: string; synchronizers: WsSynchronizer[]} => {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(directory, {recursive: true, force: true}));
  const synchronizers: WsSynchronizer[] = [];
  afterEach(() => {
    for (const synchronizer of synchronizers.splice(0)) {
      synchronizer.destroy();
    }
    for (const child of children) {
      child.kill('SIGKILL');
    }
  });
  return {directory, synchronizers};
};

/** Runs `syncstore-server` and waits until it listens (port 0 picks a free one). */
export const startServerProcess = async (port: number, db: string): Promise<ServerProcess> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli.ts', '--port', String(port), '--db', db],
    {cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe']},
  );
  children.add(child);
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      output.push(text);
      const match = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (match) {
        resolve(Number(match[1]));
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => output.push(text));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output.join('')}`)));
  });
  return {child, port: await listening, output, exited};
};
