// Runs every `js` code block of README.md as a module (with `syncstore/...` imports resolved to
// src/), and checks its promises: `console.log(x); // -> y` must log a value deep-equal to y, and
// `// logs: text` must have been logged by the time the block ends.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]);
const OUT_DIR = join(ROOT, '.tmp', 'readme');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });

/** Rewrites a block so that each `// -> expected` becomes a check the test can read back. */
const instrument = (code: string, port: number): {source: string; expectedLogs: string[]} => {
  const expectedLogs: string[] = [];
  const lines = code.split('\n').map((line) => {
    const arrow = line.match(/^(\s*)console\.log\((.*)\);\s*\/\/ -> (.*)$/);
    if (arrow) {
      return `${arrow[1]}globalThis.__readmeCheck(${arrow[2]}, ${arrow[3]});`;
    }
    const logs = line.match(/\/\/ logs: (.*)$/);
    if (logs) {
      expectedLogs.push(logs[1]);
    }
    return line;
  });
  return {source: lines.join('\n').replaceAll('8043', String(port)), expectedLogs};
};

describe('README examples', () => {
  test('the README has runnable examples', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(4);
  });

  test.each(BLOCKS.map((code, index) => [index + 1, code]))(
    'block %i runs as documented',
    async (index, code) => {
      const {source, expectedLogs} = instrument(code as string, await freePort());
      const checks: [unknown, unknown][] = [];
      const logged: string[] = [];
      const globals = globalThis as unknown as {
        __readmeCheck: (actual: unknown, expected: unknown) => void;
      };
      globals.__readmeCheck = (actual, expected) => checks.push([actual, expected]);
      const originalLog = console.log;
      console.log = (...args: unknown[]) => logged.push(args.map(String).join(' '));
      try {
        mkdirSync(OUT_DIR, {recursive: true});
        const file = join(OUT_DIR, `block-${index}.ts`);
        writeFileSync(file, source);
        await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
      } finally {
        console.log = originalLog;
      }
      expect(checks.length + expectedLogs.length).toBeGreaterThan(0);
      for (const [actual, expected] of checks) {
        expect(actual).toEqual(expected);
      }
      for (const text of expectedLogs) {
        expect(logged).toContain(text);
      }
    },
  );
});
