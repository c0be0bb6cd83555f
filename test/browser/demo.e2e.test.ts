// End to end, in real Chromium: the sync server and the demo task board run as `npm start` runs
// them, and two pages of one browser context edit the board (each test with its own server,
// database and browser storage). An edit in one page shows in the
// other within a second. Then the server stops; both pages keep editing, one reloads (its edits
// come back from IndexedDB), the server restarts, and both pages converge with nothing lost, which
// a third page with empty storage confirms by loading the board from the server alone. Undo and
// redo take back and bring back only the page's own edit, and the Inspector shows behind its toggle.
// Presence: each page sees the other's avatar, and its name on the card it edits, until it leaves.
import {mkdtempSync, rmSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {type Browser, type BrowserContext, chromium, type Page} from 'playwright';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {
  PROJECT_ROOT,
  type RunningServer,
  startDemoServer,
  startSyncServer,
} from '../../scripts/demo-servers.js';
import {getChromiumLaunchOptions} from './chromium.js';
import {addCard, waitForCard, waitUntilSynced as waitUntilSyncedWithin} from './demo-page.js';

// The target for live sync between two windows.
const LIVE_SYNC_WITHIN_MS = 1_000;
// Reconnecting after the server returns waits for the client's backoff (at most 2 s in the demo).
const RECONNECT_WITHIN_MS = 30_000;
const SCREENSHOTS = join(PROJECT_ROOT, 'screenshots');

type ConsoleEntry = {page: string; text: string; serverDown: boolean};

// Shared by the tests, and stateless: the demo's pages and the browser. Everything with state (the
// sync server and its database, the browser storage, the pages) belongs to one test: see
// startBoard. So any test can run alone (`-t`) and in any order.
let demo: RunningServer;
let browser: Browser;
const cleanups: (() => Promise<unknown>)[] = [];

/**
 * A test's own board: a sync server with a fresh database, a browser context with fresh storage
 * (IndexedDB), and the console errors of its pages, each noted with whether the server was down.
 */
const startBoard = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'syncstore-e2e-'));
  const db = join(dataDir, 'rooms.db');
  const syncServer = await startSyncServer({db});
  const context = await browser.newContext({viewport: {width: 1100, height: 640}});
  const board = {
    syncServer,
    context,
    serverDown: false,
    consoleErrors: [] as ConsoleEntry[],
    /** The demo page, told to use this test's sync server. */
    url: () => `${demo.url}?server=${encodeURIComponent(board.syncServer.url)}`,
    watchConsole: (page: Page, name: string) => {
      page.on('console', (message) => {
        if (message.type() === 'error') {
          board.consoleErrors.push({
            page: name,
            text: message.text(),
            serverDown: board.serverDown,
          });
        }
      });
      page.on('pageerror', (error) =>
        board.consoleErrors.push({page: name, text: String(error), serverDown: board.serverDown}),
      );
    },
    /** Opens the board in `browserContext` (this test's own unless another is given). */
    open: async (name: string, browserContext: BrowserContext = context): Promise<Page> => {
      const page = await browserContext.newPage();
      board.watchConsole(page, name);
      await page.goto(board.url());
      return page;
    },
    stopServer: async () => {
      board.serverDown = true;
      await board.syncServer.stop();
    },
    restartServer: async () => {
      board.syncServer = await startSyncServer({port: board.syncServer.port, db});
    },
    /**
     * No page logged an error, apart from the browser reporting the refused connections while the
     * server was down.
     */
    expectNoUnexpectedErrors: () => {
      const unexpected = board.consoleErrors.filter(
        (entry) =>
          !(
            entry.serverDown &&
            entry.text.startsWith(
              `WebSocket connection to '${board.syncServer.url}/board' failed`,
            ) &&
            entry.text.endsWith('net::ERR_CONNECTION_REFUSED')
          ),
      );
      expect(unexpected).toEqual([]);
    },
  };
  cleanups.push(async () => {
    await context.close();
    await board.syncServer.stop();
    rmSync(dataDir, {recursive: true, force: true});
  });
  return board;
};

const syncStatus = (page: Page) => page.locator('.status-bar [role="status"]');

const waitUntilSynced = (page: Page) => waitUntilSyncedWithin(page, RECONNECT_WITHIN_MS);

/** Back on the server: connected again (the phase is checked once the content converged). */
const waitUntilOnline = (page: Page) =>
  page.waitForFunction(
    () => {
      const status = document.querySelector('.status-bar [role="status"]') as HTMLElement | null;
      return status?.dataset.connection === 'online';
    },
    undefined,
    {timeout: RECONNECT_WITHIN_MS},
  );

const waitUntilDisconnected = (page: Page) =>
  page.waitForFunction(
    () => {
      const status = document.querySelector('.status-bar [role="status"]') as HTMLElement | null;
      return status !== null && status.dataset.connection !== 'online';
    },
    undefined,
    {timeout: RECONNECT_WITHIN_MS},
  );

/** The titles of the cards in each lane, read from the page. */
const readBoard = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('section.lane')].map((lane) => [
        lane.getAttribute('aria-label'),
        [...lane.querySelectorAll<HTMLInputElement>('input[aria-label="Task title"]')]
          .map((input) => input.value)
          .sort(),
      ]),
    ),
  );

const readBoardName = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLInputElement>('.board-name')?.value);

beforeAll(async () => {
  await mkdir(SCREENSHOTS, {recursive: true});
  // Each page is told its test's sync server (?server=); this default is never used.
  demo = await startDemoServer({syncUrl: 'ws://127.0.0.1:1'});
  browser = await chromium.launch({...(await getChromiumLaunchOptions()), headless: true});
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Two pages of one browser, both synced with the board's server. */
const openTwoPages = async (board: Awaited<ReturnType<typeof startBoard>>) => {
  const pageA = await board.open('A');
  const pageB = await board.open('B');
  await waitUntilSynced(pageA);
  await waitUntilSynced(pageB);
  return [pageA, pageB] as const;
};

describe('the demo task board', () => {
  test('two pages sync live: an edit in one shows in the other within a second', async () => {
    const board = await startBoard();
    const [pageA, pageB] = await openTwoPages(board);
    expect(Object.keys(await readBoard(pageA))).toEqual(['To do', 'Doing', 'Done']);

    await addCard(pageA, 'To do', 'Buy milk');
    await waitForCard(pageB, 'To do', 'Buy milk', LIVE_SYNC_WITHIN_MS);

    await pageB.getByLabel('Task title').first().fill('Buy oat milk');
    await waitForCard(pageA, 'To do', 'Buy oat milk', LIVE_SYNC_WITHIN_MS);

    await pageA.getByLabel('Move Buy oat milk right').click();
    await waitForCard(pageB, 'Doing', 'Buy oat milk', LIVE_SYNC_WITHIN_MS);

    await addCard(pageB, 'Done', 'Write the README');
    await waitForCard(pageA, 'Done', 'Write the README', LIVE_SYNC_WITHIN_MS);
    await waitUntilSynced(pageA);
    await pageA.screenshot({path: join(SCREENSHOTS, 'demo-task-board.png')});
    board.expectNoUnexpectedErrors();
  });

  test('edits made while the server is down, and across a reload, all arrive when it returns', async () => {
    const board = await startBoard();
    const [pageA, pageB] = await openTwoPages(board);
    // This test's starting point, made here: a card in Doing and one in Done, on both pages.
    await addCard(pageA, 'Doing', 'Buy oat milk');
    await addCard(pageA, 'Done', 'Write the README');
    await waitForCard(pageB, 'Doing', 'Buy oat milk', RECONNECT_WITHIN_MS);
    await waitForCard(pageB, 'Done', 'Write the README', RECONNECT_WITHIN_MS);
    await waitUntilSynced(pageA);
    await waitUntilSynced(pageB);

    await board.stopServer();
    await waitUntilDisconnected(pageA);
    await waitUntilDisconnected(pageB);

    await addCard(pageA, 'To do', 'Written offline in A');
    await addCard(pageB, 'Doing', 'Written offline in B');
    await pageB.getByLabel('Board name').fill('Renamed offline');
    await pageA.getByLabel('Delete Write the README').click();
    expect(Number(await syncStatus(pageA).getAttribute('data-pending-changes'))).toBeGreaterThan(0);
    await pageA.screenshot({path: join(SCREENSHOTS, 'demo-task-board-offline.png')});

    // A reload while the server is down starts from this browser's IndexedDB copy.
    await pageA.reload();
    await waitForCard(pageA, 'To do', 'Written offline in A', RECONNECT_WITHIN_MS);
    expect(await syncStatus(pageA).getAttribute('data-connection')).not.toBe('online');

    await board.restartServer();
    await waitUntilOnline(pageA);
    await waitUntilOnline(pageB);
    // Console messages arrive in order with the page's other traffic: any refused connection has
    // been reported by the time both pages say they are online again.
    board.serverDown = false;

    const expected = {
      'To do': ['Written offline in A'],
      Doing: ['Buy oat milk', 'Written offline in B'],
      Done: [],
    };
    await waitForCard(pageA, 'Doing', 'Written offline in B', RECONNECT_WITHIN_MS);
    await waitForCard(pageB, 'To do', 'Written offline in A', RECONNECT_WITHIN_MS);
    await pageB.waitForFunction(
      () => !document.querySelector('[aria-label="Delete Write the README"]'),
      undefined,
      {timeout: RECONNECT_WITHIN_MS},
    );
    expect(await readBoard(pageA)).toEqual(expected);
    expect(await readBoard(pageB)).toEqual(expected);
    expect(await readBoardName(pageA)).toBe('Renamed offline');
    expect(await readBoardName(pageB)).toBe('Renamed offline');
    // And both know it: their statuses settle on 'synced' (not stuck on 'syncing' after the race
    // of a reconnect pull with the server pulling this page's announcement).
    await waitUntilSynced(pageA);
    await waitUntilSynced(pageB);

    // A browser with no local copy gets all of it from the server: nothing stayed behind.
    const freshContext = await browser.newContext();
    try {
      const pageC = await board.open('C (fresh storage)', freshContext);
      await waitUntilOnline(pageC);
      await waitForCard(pageC, 'Doing', 'Written offline in B', RECONNECT_WITHIN_MS);
      expect(await readBoard(pageC)).toEqual(expected);
      expect(await readBoardName(pageC)).toBe('Renamed offline');
    } finally {
      await freshContext.close();
    }
    board.expectNoUnexpectedErrors();
  });

  test("undo and redo take back only this page's edit; the Inspector shows behind its toggle", async () => {
    const board = await startBoard();
    const [pageA, pageB] = await openTwoPages(board);
    const undoA = pageA.getByRole('button', {name: 'Undo', exact: true});
    const redoA = pageA.getByRole('button', {name: 'Redo', exact: true});
    // The starting board and what synced in are nobody's edit here: nothing to undo yet.
    expect(await undoA.isDisabled()).toBe(true);
    expect(await redoA.isDisabled()).toBe(true);

    await addCard(pageA, 'To do', 'Mine to undo');
    await waitForCard(pageB, 'To do', 'Mine to undo', RECONNECT_WITHIN_MS);
    // A teammate's edit, arriving after mine.
    await pageB.getByLabel('Board name').fill('Renamed by B');
    await pageA.waitForFunction(
      () => document.querySelector<HTMLInputElement>('.board-name')?.value === 'Renamed by B',
      undefined,
      {timeout: RECONNECT_WITHIN_MS},
    );

    await undoA.click();
    await pageB.waitForFunction(
      () => !document.querySelector('[aria-label="Delete Mine to undo"]'),
      undefined,
      {timeout: RECONNECT_WITHIN_MS},
    );
    expect((await readBoard(pageA))['To do']).toEqual([]);
    expect(await readBoardName(pageA)).toBe('Renamed by B');
    expect(await readBoardName(pageB)).toBe('Renamed by B');
    expect(await undoA.isDisabled()).toBe(true);

    await redoA.click();
    await waitForCard(pageB, 'To do', 'Mine to undo', RECONNECT_WITHIN_MS);
    expect((await readBoard(pageA))['To do']).toEqual(['Mine to undo']);
    expect(await redoA.isDisabled()).toBe(true);
    expect(await readBoardName(pageB)).toBe('Renamed by B');

    const toggle = pageA
      .getByRole('toolbar', {name: 'Board tools'})
      .getByRole('button', {name: 'Inspector'});
    const inspector = pageA.getByRole('complementary', {name: /inspector/i});
    expect(await inspector.count()).toBe(0);
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await inspector.getByText(/Table tasks \(1 rows?\)/).waitFor();
    await inspector.getByRole('row', {name: 'phase synced'}).waitFor();
    await toggle.click();
    expect(await inspector.count()).toBe(0);
    board.expectNoUnexpectedErrors();
  });

  test('each page sees who else is on the board and which card they edit, until they leave', async () => {
    const board = await startBoard();
    const [pageA, pageB] = await openTwoPages(board);
    await addCard(pageA, 'To do', 'Shared card');
    await addCard(pageA, 'Doing', 'Other card');
    await waitForCard(pageB, 'To do', 'Shared card', LIVE_SYNC_WITHIN_MS);
    await waitForCard(pageB, 'Doing', 'Other card', LIVE_SYNC_WITHIN_MS);
    // Each tab got a random name of its own; A renames itself.
    expect(await pageA.getByLabel('Your name').inputValue()).not.toBe(
      await pageB.getByLabel('Your name').inputValue(),
    );
    await pageA.getByLabel('Your name').fill('Ada');
    const othersOf = (page: Page) => page.getByRole('list', {name: 'Also on this board'});
    await othersOf(pageB).getByRole('listitem', {name: 'Ada'}).waitFor();
    // Nobody lists themselves.
    expect(await othersOf(pageA).getByRole('listitem', {name: 'Ada'}).count()).toBe(0);
    expect(await othersOf(pageA).getByRole('listitem').count()).toBe(1);

    await pageA.getByRole('region', {name: 'To do'}).getByLabel('Task title').focus();
    const badgeOnB = pageB.locator('.editing-badge', {hasText: 'Ada'});
    await badgeOnB.waitFor();
    const editedCard = pageB.locator('.card', {has: badgeOnB});
    expect(await editedCard.getByLabel('Task title').inputValue()).toBe('Shared card');
    // Only on that card: the other one has no badge.
    expect(await pageB.locator('.editing-badge').count()).toBe(1);
    expect(await pageA.locator('.editing-badge').count()).toBe(0);
    await pageB.screenshot({path: join(SCREENSHOTS, 'demo-task-board-presence.png')});

    // Leaving the card takes the badge away; Ada is still on the board.
    await pageA.getByLabel('Board name').focus();
    await badgeOnB.waitFor({state: 'detached'});
    expect(await othersOf(pageB).getByRole('listitem', {name: 'Ada'}).count()).toBe(1);
    // Being on a card and leaving it changed nothing on the board.
    expect(await readBoard(pageB)).toEqual({
      'To do': ['Shared card'],
      Doing: ['Other card'],
      Done: [],
    });

    // The name is this tab's: a reload keeps it, and B lists Ada once (the old connection left).
    await pageA.reload();
    await waitUntilSynced(pageA);
    expect(await pageA.getByLabel('Your name').inputValue()).toBe('Ada');
    await pageB.waitForFunction(
      () =>
        [...document.querySelectorAll('ul[aria-label="Also on this board"] li')]
          .map((item) => item.getAttribute('aria-label'))
          .join() === 'Ada',
      undefined,
      {timeout: RECONNECT_WITHIN_MS},
    );

    await pageA.getByRole('region', {name: 'To do'}).getByLabel('Task title').focus();
    await badgeOnB.waitFor();
    await pageA.close();
    await othersOf(pageB).getByRole('listitem', {name: 'Ada'}).waitFor({state: 'detached'});
    expect(await othersOf(pageB).getByRole('listitem').count()).toBe(0);
    expect(await pageB.locator('.editing-badge').count()).toBe(0);
    board.expectNoUnexpectedErrors();
  });
});
