// Four projects: `unit` (Node), and the browser ones from test/browser/vitest-projects.ts:
// `storybook` (story play functions in Chromium), `browser` (tests in Chromium), `e2e` (Node tests
// that drive Chromium against the demo and the sync server).
import {resolve} from 'node:path';
import {defineConfig, type ViteUserConfig} from 'vitest/config';
import {browserTestProjects} from './test/browser/vitest-projects.js';
import {entries, tinybaseSubpaths} from './vite.config.js';

/** `syncstore/...` imports (as in the README, and TinyBase's subpath names) resolve to the sources. */
const sourceAliases = [
  ...Object.entries(entries),
  ...Object.entries(tinybaseSubpaths).map(([alias, name]) => [alias, entries[name]]),
].map(([name, file]) => ({
  find:
    name === 'index' ? /^syncstore$/ : new RegExp(`^syncstore/${name.replace(/\/index$/, '')}$`),
  replacement: resolve(import.meta.dirname, file),
}));

export default defineConfig(
  async (): Promise<ViteUserConfig> => ({
    test: {
      projects: [
        {
          resolve: {alias: sourceAliases},
          test: {
            name: 'unit',
            include: ['test/**/*.test.{ts,tsx}'],
            exclude: ['test/browser/**'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
        ...(await browserTestProjects()),
      ],
    },
  }),
);
