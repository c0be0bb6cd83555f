// The syncstore-server CLI in a child process (cli-process.ts) for tests that kill it hard: on a
// port and SQLite file, killed after each test if still running.
import type {ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach} from 'vitest';
import type {WsSynchronizer} from '../../src/synchronizers/synchronizer-ws-client.js';
import {type CliProcess, spawnCli} from './cli-process.js';

export type ServerProcess = CliProcess;

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
export const startServerProcess = (port: number, db: string): Promise<ServerProcess> =>
  spawnCli(['--port', String(port), '--db', db], (child) => {
    children.add(child);
    child.once('exit', () => children.delete(child));
  });
