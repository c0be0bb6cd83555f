// Driving the demo task board in a Playwright page: waiting on its sync status and its cards, and
// adding a card. Shared by the end-to-end tests and scripts/screenshots.ts.
import type {Page} from 'playwright';

/** Until the status bar says online and synced. */
export const waitUntilSynced = (page: Page, timeout: number) =>
  page.waitForFunction(
    () => {
      const status = document.querySelector('.status-bar [role="status"]') as HTMLElement | null;
      return status?.dataset.connection === 'online' && status.dataset.phase === 'synced';
    },
    undefined,
    {timeout},
  );

/** Until the status bar's connection is online (`online: true`) or anything else (false). */
export const waitForConnection = (page: Page, online: boolean, timeout: number) =>
  page.waitForFunction(
    (wanted) => {
      const status = document.querySelector('.status-bar [role="status"]') as HTMLElement | null;
      return status !== null && (status.dataset.connection === 'online') === wanted;
    },
    online,
    {timeout},
  );

/** Until the lane named `lane` holds a card titled `title`. */
export const waitForCard = (page: Page, lane: string, title: string, timeout: number) =>
  page.waitForFunction(
    ([laneName, cardTitle]) =>
      [
        ...document.querySelectorAll<HTMLInputElement>(
          `section.lane[aria-label="${laneName}"] input[aria-label="Task title"]`,
        ),
      ].some((input) => input.value === cardTitle),
    [lane, title] as const,
    {timeout},
  );

/** Types `title` into the lane's new-task field and submits it. */
export const addCard = async (page: Page, lane: string, title: string) => {
  const input = page.getByLabel(`New task in ${lane}`);
  await input.fill(title);
  await input.press('Enter');
};

/** The title field of the card titled `title` in the lane named `lane` (it must be there). */
export const cardTitleInput = async (page: Page, lane: string, title: string) => {
  const inputs = page.locator(`section.lane[aria-label="${lane}"] input[aria-label="Task title"]`);
  // A typed value lives in the input's property, not its attribute: find it by reading each one.
  const index = (
    await inputs.evaluateAll((all) => all.map((input) => (input as HTMLInputElement).value))
  ).indexOf(title);
  if (index < 0) throw new Error(`No card titled ${JSON.stringify(title)} in ${lane}`);
  return inputs.nth(index);
};
