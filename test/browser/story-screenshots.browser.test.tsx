// Renders the two-pane stories in Chromium, plays them, and saves screenshots for the README into
// screenshots/ (git-ignored).
import {composeStories, setProjectAnnotations} from '@storybook/react-vite';
import {expect, test} from 'vitest';
import {page} from 'vitest/browser';
import preview from '../../.storybook/preview.js';
import * as presence from '../../stories/Presence.stories.js';
import * as twoPanes from '../../stories/TwoSyncedPanes.stories.js';

setProjectAnnotations(preview);
const {AddEditDelete} = composeStories(twoPanes);
const {CursorsAndSelection} = composeStories(presence);

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

test('the presence story: each pane sees the other’s cursor and selection', async () => {
  await page.viewport(900, 420);
  await CursorsAndSelection.run();
  const panes = document.querySelectorAll('.panes');
  expect(panes.length).toBeGreaterThan(0);
  const saved = await page.screenshot({
    element: panes[panes.length - 1] as Element,
    path: '../../screenshots/presence.png',
  });
  expect(saved).toMatch(/presence\.png$/);
});
