// Renders the two-pane story in Chromium, plays it, and saves a screenshot for the README into
// screenshots/ (git-ignored).
import {composeStories, setProjectAnnotations} from '@storybook/react-vite';
import {expect, test} from 'vitest';
import {page} from 'vitest/browser';
import preview from '../../.storybook/preview.js';
import * as twoPanes from '../../stories/TwoSyncedPanes.stories.js';

setProjectAnnotations(preview);
const {AddEditDelete} = composeStories(twoPanes);

test('screenshot of the two synced panes after their play function', async () => {
  await page.viewport(900, 420);
  await AddEditDelete.run();
  const panes = document.querySelector('.panes');
  expect(panes).not.toBeNull();
  const saved = await page.screenshot({
    element: panes as Element,
    path: '../../screenshots/two-synced-panes.png',
  });
  expect(saved).toMatch(/two-synced-panes\.png$/);
});
