// `npm run screenshots`: docs/images/demo.png, the README's picture of the demo with two users.
// Runs the sync server (rooms in a temporary SQLite file) and the demo as `npm start` does, opens
// the board for two users (two browser contexts, each with its own storage) in the Chromium the
// browser tests use, has them edit together, and puts both windows side by side in one image. Each
// user is named and is editing a card, so each window shows the other's avatar in the header and
// name badge on the card being edited (presence).
import {mkdtempSync, rmSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join, relative} from 'node:path';
import {type Browser, chromium, type Page} from 'playwright';
import {getChromiumLaunchOptions} from '../test/browser/chromium.js';
import {addCard, cardTitleInput, waitForCard, waitUntilSynced} from '../test/browser/demo-page.js';
import {
  PROJECT_ROOT,
  type RunningServer,
  startDemoServer,
  startSyncServer,
} from './demo-servers.js';

const OUTPUT = join(PROJECT_ROOT, 'docs', 'images', 'demo.png');
const WINDOW = {width: 820, height: 400};
const WAIT_MS = 30_000;

/** Two users editing one board, both windows caught once they agree. */
const shootTwoUsers = async (browser: Browser, boardUrl: string): Promise<Buffer[]> => {
  const users = await Promise.all(
    ['A', 'B'].map(async () => {
      const context = await browser.newContext({viewport: WINDOW, deviceScaleFactor: 1});
      const page = await context.newPage();
      await page.goto(boardUrl);
      await waitUntilSynced(page, WAIT_MS);
      return {context, page};
    }),
  );
  const [a, b] = users.map((user) => user.page) as [Page, Page];
  await a.getByLabel('Your name').fill('Ada');
  await b.getByLabel('Your name').fill('Grace');
  await a.getByLabel('Board name').fill('Launch week');
  await addCard(a, 'To do', 'Book the venue');
  await addCard(a, 'To do', 'Order the banners');
  await addCard(b, 'Doing', 'Write the announcement');
  await addCard(b, 'Done', 'Pick a date');
  await waitForCard(b, 'To do', 'Order the banners', WAIT_MS);
  await b.getByLabel('Move Book the venue right').click();
  for (const page of [a, b]) {
    await waitForCard(page, 'Doing', 'Book the venue', WAIT_MS);
    await waitForCard(page, 'Done', 'Pick a date', WAIT_MS);
    await waitUntilSynced(page, WAIT_MS);
  }
  // Each user edits a card; each window waits for the other's badge.
  await (await cardTitleInput(a, 'To do', 'Order the banners')).focus();
  await (await cardTitleInput(b, 'Doing', 'Write the announcement')).focus();
  await b.locator('.editing-badge', {hasText: 'Ada'}).waitFor({timeout: WAIT_MS});
  await a.locator('.editing-badge', {hasText: 'Grace'}).waitFor({timeout: WAIT_MS});
  const shots = [await a.screenshot(), await b.screenshot()];
  for (const user of users) await user.context.close();
  return shots;
};

/** Both windows side by side, each under its user's name, as one PNG. */
const sideBySide = async (browser: Browser, shots: Buffer[]): Promise<Buffer> => {
  const page = await browser.newPage({deviceScaleFactor: 1});
  const figures = shots
    .map(
      (shot, index) =>
        `<figure><figcaption>User ${'AB'[index]}</figcaption><img src="data:image/png;base64,${shot.toString('base64')}"></figure>`,
    )
    .join('');
  await page.setContent(
    `<style>body{margin:0;font:14px system-ui,sans-serif}main{display:inline-flex;gap:16px;padding:16px;background:#d0d7de}figure{margin:0}figcaption{font-weight:600;margin-bottom:6px}img{display:block;border:1px solid #8c959f;border-radius:6px}</style><main>${figures}</main>`,
  );
  await page
    .locator('img')
    .nth(1)
    .evaluate((image: HTMLImageElement) => image.decode());
  const image = await page.locator('main').screenshot();
  await page.close();
  return image;
};

const main = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'syncstore-screenshots-'));
  const servers: RunningServer[] = [];
  let browser: Browser | undefined;
  try {
    const syncServer = await startSyncServer({db: join(dataDir, 'rooms.db')});
    servers.push(syncServer);
    const demo = await startDemoServer({syncUrl: syncServer.url});
    servers.push(demo);
    browser = await chromium.launch({...(await getChromiumLaunchOptions()), headless: true});
    const shots = await shootTwoUsers(browser, demo.url);
    await mkdir(dirname(OUTPUT), {recursive: true});
    await writeFile(OUTPUT, await sideBySide(browser, shots));
    process.stdout.write(`Wrote ${relative(PROJECT_ROOT, OUTPUT)}\n`);
  } finally {
    await browser?.close();
    for (const server of servers.reverse()) await server.stop();
    rmSync(dataDir, {recursive: true, force: true});
  }
};

main().catch((error: Error) => {
  process.stderr.write(`Could not take the screenshots: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
