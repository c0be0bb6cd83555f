// End to end, in real Chromium: the demo's token-protected board, with the sync server started as
// `npm start` starts it (demo/auth.ts as its --auth module). A member's page edits the team board;
// a viewer's page sees every edit and cannot change it (its edit is corrected away); a page
// without a token is refused by the server and never sees the team board.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {type Browser, chromium, type Page} from 'playwright';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {TEAM_ROOM, TEAM_TOKEN, VIEW_TOKEN} from '../../demo/auth.js';
import {
  PROJECT_ROOT,
  type RunningServer,
  startDemoServer,
  startSyncServer,
} from '../../scripts/demo-servers.js';
import {getChromiumLaunchOptions} from './chromium.js';
import {waitUntilSynced} from './demo-page.js';

const WITHIN_MS = 10_000;

let dataDir: string;
let syncServer: RunningServer;
let demo: RunningServer;
let browser: Browser;
const serverOutput: string[] = [];

/** A page in a browser context of its own (its own IndexedDB), on the team board. */
const openTeamBoard = async (token: string | undefined): Promise<Page> => {
  const context = await browser.newContext({viewport: {width: 1100, height: 640}});
  const page = await context.newPage();
  const query = `?room=${TEAM_ROOM}${token === undefined ? '' : `&token=${token}`}`;
  await page.goto(`${demo.url}${query}`);
  return page;
};

const cardTitles = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement>('input[aria-label="Task title"]')]
      .map((input) => input.value)
      .sort(),
  );

const waitForCards = (page: Page, present: string[], absent: string[] = []) =>
  page.waitForFunction(
    ([wanted, unwanted]) => {
      const titles = [
        ...document.querySelectorAll<HTMLInputElement>('input[aria-label="Task title"]'),
      ].map((input) => input.value);
      return (
        wanted.every((title) => titles.includes(title)) &&
        unwanted.every((title) => !titles.includes(title))
      );
    },
    [present, absent] as const,
    {timeout: WITHIN_MS},
  );

const addCard = async (page: Page, lane: string, title: string) => {
  const input = page.getByLabel(`New task in ${lane}`);
  await input.fill(title);
  await input.press('Enter');
};

const refusalsLogged = () =>
  serverOutput.filter((line) => line.includes(`refused by authorize: room "${TEAM_ROOM}"`)).length;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'syncstore-e2e-token-'));
  syncServer = await startSyncServer({
    db: join(dataDir, 'rooms.db'),
    auth: join(PROJECT_ROOT, 'demo', 'auth.ts'),
    onOutput: (line) => serverOutput.push(line),
  });
  demo = await startDemoServer({syncUrl: syncServer.url});
  browser = await chromium.launch({...(await getChromiumLaunchOptions()), headless: true});
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await syncServer?.stop();
  if (dataDir) rmSync(dataDir, {recursive: true, force: true});
});

describe('the token-protected team board', () => {
  test('members edit, viewers only look, pages without the token are refused', async () => {
    const member = await openTeamBoard(TEAM_TOKEN);
    const viewer = await openTeamBoard(VIEW_TOKEN);
    await waitUntilSynced(member, WITHIN_MS);
    await waitUntilSynced(viewer, WITHIN_MS);

    await addCard(member, 'To do', 'Team plan');
    await waitForCards(viewer, ['Team plan']);

    // The viewer's card is refused by the server, whose correction takes it away again.
    await addCard(viewer, 'To do', 'Viewer scribble');
    await waitForCards(viewer, ['Team plan'], ['Viewer scribble']);
    await addCard(member, 'Doing', 'Second step');
    await waitForCards(viewer, ['Second step']);
    expect(await cardTitles(member)).toEqual(['Second step', 'Team plan']);
    expect(await cardTitles(viewer)).toEqual(['Second step', 'Team plan']);

    const before = refusalsLogged();
    const stranger = await openTeamBoard(undefined);
    const deadline = Date.now() + WITHIN_MS;
    while (refusalsLogged() === before && Date.now() < deadline) {
      await stranger.waitForTimeout(50);
    }
    expect(refusalsLogged()).toBeGreaterThan(before);
    // Refused sockets are never sent anything, so the team's cards can never reach this page.
    expect(await cardTitles(stranger)).toEqual([]);
  });
});
