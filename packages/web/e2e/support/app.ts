import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from './api.ts';

/**
 * Folder of the screenshots the tests take: e2e-output/screenshots, or docs/screenshots when
 * UPDATE_SCREENSHOTS=1, which refreshes the pictures the README shows.
 */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS === '1'
      ? '../../../../docs/screenshots/'
      : '../../e2e-output/screenshots/',
    import.meta.url,
  ),
);

/** Name of the app's IndexedDB database (the Dexie database in src/data/db.ts). */
const DEVICE_DATABASE = 'avior';

/** Saves a screenshot of the visible page as <name>.png in SCREENSHOT_DIR. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, animations: 'disabled' });
}

/** Scrolls an element to the middle of the viewport, for a screenshot that shows it whole. */
export async function scrollToCentre(locator: Locator): Promise<void> {
  await locator.evaluate((element) => element.scrollIntoView({ block: 'center' }));
}

/** Signs in through the sign-in screen and waits for the app's navigation. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-surveys').waitFor();
}

/**
 * Waits until the service worker of the page is activated and its cache contains the app shell,
 * which is what lets the app open with no network.
 */
export async function waitForOfflineShell(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration?.active?.state !== 'activated') return false;
      const names = await caches.keys();
      for (const name of names) {
        if (await (await caches.open(name)).match('/')) return true;
      }
      return false;
    },
    undefined,
    { timeout: 30_000, polling: 200 },
  );
}

/**
 * Number shown by the sync badge: the items waiting to reach the server. A missing badge, or one
 * whose count is not a number, reads as NaN, so a check on it fails.
 */
export async function readSyncBadge(page: Page): Promise<number> {
  const badge = page.getByTestId('sync-badge');
  if ((await badge.count()) === 0) return Number.NaN;

  const badgeElement = badge.first();
  const count =
    (await badgeElement.getAttribute('data-count')) ?? (await badgeElement.textContent());
  return Number(/\d+/.exec(count ?? '')?.[0] ?? Number.NaN);
}

/**
 * Reads every row of a table of the app's device database through IndexedDB. Blob fields come
 * back as `{ blobSize }`, since a Blob cannot leave the page.
 */
export async function readDeviceTable<T = Record<string, unknown>>(
  page: Page,
  table: string,
): Promise<T[]> {
  return page.evaluate(
    async ({ database, store }) => {
      const known = await indexedDB.databases();
      if (!known.some((entry) => entry.name === database)) return [];

      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(database);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        if (!db.objectStoreNames.contains(store)) return [];
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        return rows.map((row) =>
          Object.fromEntries(
            Object.entries(row as Record<string, unknown>).map(([key, value]) => [
              key,
              value instanceof Blob ? { blobSize: value.size } : value,
            ]),
          ),
        );
      } finally {
        db.close();
      }
    },
    { database: DEVICE_DATABASE, store: table },
  ) as Promise<T[]>;
}

/** The wrapper of one question in the survey runner. */
export function question(page: Page, questionId: string): Locator {
  return page.locator(`[data-testid="question"][data-question-id="${questionId}"]`);
}

/** Counts the rows of a table of the app's device database; 0 before the app created it. */
export async function countDeviceTable(page: Page, table: string): Promise<number> {
  return page.evaluate(
    async ({ database, store }) => {
      const known = await indexedDB.databases();
      if (!known.some((entry) => entry.name === database)) return 0;

      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(database);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        if (!db.objectStoreNames.contains(store)) return 0;
        return await new Promise<number>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      } finally {
        db.close();
      }
    },
    { database: DEVICE_DATABASE, store: table },
  );
}

/** Queue rows that have not reached the server, with their status and last error. */
export async function describeWaitingWork(page: Page): Promise<string> {
  const summaries: string[] = [];
  for (const table of ['mutations', 'photos', 'submissions']) {
    const rows = await readDeviceTable<Record<string, unknown>>(page, table);
    const open = rows.filter((row) => row.status !== 'done' && row.status !== 'uploaded');
    for (const row of open) {
      const id = String(row.id ?? row.surveyId);
      const detail = [row.kind, row.questionId, `status ${String(row.status)}`]
        .concat(row.attempts === undefined ? [] : [`attempts ${String(row.attempts)}`])
        .concat(row.error ? [`error "${String(row.error)}"`] : [])
        .filter(Boolean)
        .join(', ');
      summaries.push(`${table} ${id}: ${detail}`);
    }
  }
  return summaries.length === 0 ? 'no waiting rows on the device' : summaries.join('\n');
}

/**
 * Waits until the sync badge reads 0. On timeout, raises an error listing the device's waiting
 * queue rows with their errors, which is where a stuck sync shows its cause.
 */
export async function waitForSyncedDevice(page: Page, timeoutMs = 90_000): Promise<void> {
  try {
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="sync-badge"]')?.getAttribute('data-count') === '0',
      undefined,
      { timeout: timeoutMs, polling: 250 },
    );
  } catch (error) {
    const count = await readSyncBadge(page);
    throw new Error(
      `the sync badge still reads ${count} after ${timeoutMs / 1000} s. Waiting on the device:\n` +
        (await describeWaitingWork(page)),
      { cause: error },
    );
  }
}

/** Reads the number shown by an element, such as a count on the sync screen; NaN when none. */
export async function readShownNumber(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).first().textContent()) ?? '';
  return Number(/\d+/.exec(text)?.[0] ?? Number.NaN);
}
