// Settings shared by every story.
import type {Preview} from '@storybook/react-vite';
import {configure} from 'storybook/test';
import {collectConsoleErrors, expectNoConsoleErrors} from './console-errors.js';

// Syncing over the stories' simulated networks takes a few round trips of latency: findBy* and
// waitFor wait up to this long for the panes to agree.
configure({asyncUtilTimeout: 10_000});

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: {expanded: true},
    options: {
      storySort: {
        order: [
          'Sync',
          ['Two synced panes', 'Offline and back', 'Conflict', 'Network conditions'],
          'Hooks',
        ],
      },
    },
  },
  beforeEach: collectConsoleErrors,
  afterEach: expectNoConsoleErrors,
};

export default preview;
