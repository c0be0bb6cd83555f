// The vitest projects that need a real browser: Storybook story play functions, component and
// IndexedDB tests in Chromium, and the end-to-end test that drives two pages of the demo.
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {storybookTest} from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import {playwright} from '@vitest/browser-playwright';
import type {TestProjectInlineConfiguration} from 'vitest/config';
import {getChromiumLaunchOptions} from './chromium.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Unpacking Chromium takes a moment and writes 200 MB: do it only when tests are about to run,
// not when another tool merely loads this configuration.
const chromiumBrowser = async () => ({
  enabled: true,
  headless: true,
  provider: playwright({
    launchOptions: process.env.VITEST ? await getChromiumLaunchOptions() : {},
  }),
  instances: [{browser: 'chromium' as const}],
});

export const browserTestProjects = async (): Promise<TestProjectInlineConfiguration[]> => {
  // Each project gets its own object: vitest writes the project name into its browser instances.
  return [
    {
      plugins: [storybookTest({configDir: join(projectRoot, '.storybook')})],
      test: {name: 'storybook', browser: await chromiumBrowser()},
    },
    {
      plugins: [react()],
      test: {
        name: 'browser',
        include: ['test/browser/**/*.browser.test.{ts,tsx}'],
        browser: await chromiumBrowser(),
      },
    },
    {
      test: {
        name: 'e2e',
        include: ['test/browser/**/*.e2e.test.ts'],
        environment: 'node',
        // One file at a time: each starts its own servers and browser.
        fileParallelism: false,
        testTimeout: 120_000,
        hookTimeout: 120_000,
      },
    },
  ];
};
