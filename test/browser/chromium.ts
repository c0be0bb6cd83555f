// Finds the Chromium that the browser tests drive, with no browser download at run time:
// CHROMIUM_PATH when set (e.g. Debian's /usr/bin/chromium), otherwise the headless Chromium that
// ships inside the npm package @sparticuz/chromium, unpacked once into a project-local folder.
import {existsSync} from 'node:fs';
import {mkdir, rm, rmdir, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where @sparticuz/chromium unpacks (git-ignored), kept private to this project. */
export const CHROMIUM_UNPACK_DIR = join(projectRoot, '.tmp', 'chromium');

// Written after a complete unpack: the binary appears before it is fully written, and starting
// a half-written binary fails with `spawn ETXTBSY`.
const UNPACKED_MARKER = join(CHROMIUM_UNPACK_DIR, '.unpacked');
// Held (mkdir is atomic) while one process unpacks, so parallel processes never unpack at once.
const UNPACK_LOCK = join(CHROMIUM_UNPACK_DIR, '.unpacking');
const LOCK_POLL_MS = 100;
const LOCK_GIVE_UP_MS = 60_000;

/** Flags that keep a test browser quiet and off the network. */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * @sparticuz/chromium recommends flags for serverless machines. These ones break a normal test
 * run: with `--single-process` a second Playwright context shares storage with the first and
 * closing it fails; the rest weaken security or pick a headless mode Playwright already sets.
 */
const isServerlessOnlyFlag = (flag: string): boolean =>
  flag === '--single-process' ||
  flag === '--no-zygote' ||
  flag === '--disable-web-security' ||
  flag === '--allow-running-insecure-content' ||
  flag === '--disable-site-isolation-trials' ||
  flag.startsWith('--disable-features=') ||
  flag.startsWith('--enable-features=') ||
  flag.startsWith('--headless');

export type ChromiumLaunchOptions = {executablePath: string; args: string[]};

let launchOptionsPromise: Promise<ChromiumLaunchOptions> | undefined;

/** Resolves the executable and its flags once per process. */
export const getChromiumLaunchOptions = (): Promise<ChromiumLaunchOptions> =>
  (launchOptionsPromise ??= resolveLaunchOptions());

const resolveLaunchOptions = async (): Promise<ChromiumLaunchOptions> => {
  const chromiumPath = process.env.CHROMIUM_PATH;
  if (chromiumPath) {
    return {executablePath: chromiumPath, args: [...QUIET_FLAGS, '--disable-gpu']};
  }
  const {default: chromium} = await import('@sparticuz/chromium');
  const executablePath = await unpackOnce(() => chromium.executablePath());
  const packageFlags = chromium.args.filter((flag) => !isServerlessOnlyFlag(flag));
  return {executablePath, args: [...new Set([...packageFlags, ...QUIET_FLAGS])]};
};

const unpackOnce = async (unpack: () => Promise<string>): Promise<string> => {
  await mkdir(CHROMIUM_UNPACK_DIR, {recursive: true});
  const startedAt = Date.now();
  while (!existsSync(UNPACKED_MARKER)) {
    if (await tryMkdir(UNPACK_LOCK)) {
      try {
        // A binary without the marker is left from an interrupted unpack: unpack it afresh.
        await rm(join(CHROMIUM_UNPACK_DIR, 'chromium'), {force: true});
        const executablePath = await withTmpDir(CHROMIUM_UNPACK_DIR, unpack);
        await writeFile(UNPACKED_MARKER, executablePath);
        return executablePath;
      } finally {
        await rmdir(UNPACK_LOCK);
      }
    }
    if (Date.now() - startedAt > LOCK_GIVE_UP_MS) {
      throw new Error(`Chromium unpack lock ${UNPACK_LOCK} is stale: remove it and retry`);
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  return join(CHROMIUM_UNPACK_DIR, 'chromium');
};

const tryMkdir = async (path: string): Promise<boolean> => {
  try {
    await mkdir(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
};

// @sparticuz/chromium unpacks into os.tmpdir(), which reads TMPDIR on every call: point it at
// the project folder only while unpacking, so other temp files of the process stay where they were.
const withTmpDir = async <Result>(dir: string, action: () => Promise<Result>): Promise<Result> => {
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await action();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
};
