// Storybook configuration, written by hand (never `storybook init`: it pins other versions and
// tries to download browsers). Stories live in stories/ and import syncstore from src/.
import type {StorybookConfig} from '@storybook/react-vite';

const config: StorybookConfig = {
  framework: '@storybook/react-vite',
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-vitest'],
  // Without this a build waits on the network to report usage.
  core: {disableTelemetry: true},
};

export default config;
