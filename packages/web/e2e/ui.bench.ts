// Measures two figures of the web app in headless Chromium, each against a baseline taken in the
// same run. (a) The time from tapping an answer in the 367-question fire-protection survey until
// the answer shows and until it is saved, against a tap that only opens a note field, and the
// time to change section. (b) The time until the facilities list first shows rows with 10,000
// facilities on the device, against the same list with 100. Run with `npm run bench` in
// packages/web after `npx vite build`; docs/performance.md explains the method and the figures.

import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Question, TemplateDefinition } from '@avior/contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  describeMachine,
  readLoadAverage,
  type MachineDescription,
} from '../../server/bench/bench.machine.ts';
import { median } from '../../server/bench/bench.stats.ts';
import { newId } from '../../server/src/platform/ids.ts';
import { seedOrganisation } from '../../server/src/seed/demo-seed.ts';
import { ApiClient, assignDemoSurvey, INSPECTOR_EMAIL, MANAGER_EMAIL } from './support/api.ts';
import { countDeviceTable, question, signIn } from './support/app.ts';
import { findChromium, launchChromium, openDevice } from './support/chromium.ts';
import { startAviorServer, type AviorServer } from './support/server.ts';
import {
  percentile,
  readFirstAppearance,
  recordFirstAppearance,
  timeAnswerTap,
  timeClickUntil,
  type AnswerTapTimes,
} from './support/timing.ts';

const RESULTS_FILE = fileURLToPath(new URL('../bench-results/ui-latest.json', import.meta.url));
/** After this long the bench stops its browser and server and exits with status 1. */
const DEADLINE_MS = 9 * 60_000;

interface Options {
  readonly taps: number;
  readonly warmUpTaps: number;
  readonly listRuns: number;
}

const FULL: Options = { taps: 30, warmUpTaps: 3, listRuns: 7 };
const QUICK: Options = { taps: 6, warmUpTaps: 1, listRuns: 2 };

interface Samples {
  readonly avior: number[];
  readonly baseline: number[];
}

interface Results {
  readonly date: string;
  readonly command: string;
  readonly machine: MachineDescription;
  readonly chromium: string;
  readonly answerTap: Samples;
  /** Taps until the save indicator reads saved, against the same note toggles. */
  readonly answerSaved: Samples;
  readonly sectionChange: number[];
  readonly facilitiesOpen: Samples;
  readonly facilitiesReload: Samples;
  readonly facilityRowsInDom: { readonly avior: number; readonly baseline: number };
}

async function main(): Promise<void> {
  const options = process.argv.includes('--quick') ? QUICK : FULL;
  const loadAtStart = readLoadAverage();
  const starting = startAviorServer();
  let browser: Browser | undefined;
  let stopping: Promise<void> | undefined;
  // A stop during start-up waits for the server, so its database and temporary folder go too.
  const stop = () =>
    (stopping ??= starting.then(
      (started) => stopAll(browser, started),
      () => undefined,
    ));
  let aborted = false;
  const abort = (reason: string) => {
    aborted = true;
    console.error(`the UI bench stopped: ${reason}`);
    void stop().finally(() => process.exit(1));
  };
  const deadline = setTimeout(
    () => abort(`it ran past ${DEADLINE_MS / 60_000} minutes`),
    DEADLINE_MS,
  );
  process.once('SIGINT', () => abort('interrupted (SIGINT)'));
  process.once('SIGTERM', () => abort('terminated (SIGTERM)'));

  try {
    const server = await starting;
    browser = await launchChromium();
    const chromium = browser.version();
    const runner = await measureRunner(browser, server, options);
    const facilities = await measureFacilities(browser, server, options);
    const results: Results = {
      date: new Date().toISOString(),
      command: `node --import tsx e2e/ui.bench.ts${options === QUICK ? ' --quick' : ''}`,
      machine: await describeMachine(loadAtStart),
      chromium: `${chromium} (${findChromium()})`,
      ...runner,
      ...facilities,
    };
    printTable(results);
    await mkdir(fileURLToPath(new URL('../bench-results/', import.meta.url)), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nEvery sample: ${RESULTS_FILE}`);
  } catch (error) {
    // After an abort the browser is gone under the running step, so its error adds nothing.
    if (!aborted) throw error;
  } finally {
    clearTimeout(deadline);
    await stop();
  }
}

async function stopAll(browser: Browser | undefined, server: AviorServer): Promise<void> {
  await browser?.close().catch(() => undefined);
  await server.stop();
}

// (a) The survey runner.

/**
 * Taps "yes" on unconditional yes/no questions section by section, each tap alternating with a
 * tap on the same question's note toggle, so a change in the machine's load falls on both.
 * Then walks forward through every section and back, timing each change.
 */
async function measureRunner(browser: Browser, server: AviorServer, options: Options) {
  const manager = await ApiClient.signIn(server.url, MANAGER_EMAIL);
  const { surveyId, template } = await assignDemoSurvey(manager);
  const definition = template.definition;
  const device = await openDevice(browser, server.url);
  try {
    const page = await device.newPage();
    await signIn(page, INSPECTOR_EMAIL);
    await page.locator(`[data-testid="survey-row"][data-survey-id="${surveyId}"]`).click();
    await page.getByTestId('runner').waitFor();
    await device.setOffline(true);

    const answerTap: Samples = { avior: [], baseline: [] };
    const answerSaved: Samples = { avior: [], baseline: answerTap.baseline };
    let tapped = 0;
    const tapsNeeded = options.taps + options.warmUpTaps;
    for (const section of definition.sections) {
      if (tapped >= tapsNeeded) break;
      await openSectionByLink(page, section.id, firstShown(section.questions));
      for (const item of section.questions.filter(isTappable)) {
        if (tapped >= tapsNeeded) break;
        const [answer, note] = await timeAnswerAndNote(page, item);
        tapped += 1;
        if (tapped <= options.warmUpTaps) continue;
        answerTap.avior.push(answer.shownMs);
        answerSaved.avior.push(answer.savedMs);
        answerTap.baseline.push(note);
      }
    }
    const sectionChange = await timeSectionChanges(page, definition);
    return { answerTap, answerSaved, sectionChange };
  } finally {
    await device.close();
  }
}

function isTappable(item: Question): boolean {
  return item.type === 'yes_no_na' && !item.visibleIf;
}

function firstShown(questions: readonly Question[]): Question {
  const shown = questions.find((item) => !item.visibleIf);
  if (!shown) throw new Error('a section has no unconditional question');
  return shown;
}

function cardSelector(questionId: string): string {
  return `[data-testid="question"][data-question-id="${questionId}"]`;
}

async function openSectionByLink(page: Page, sectionId: string, first: Question): Promise<void> {
  await page.locator(`[data-testid="section-link"][data-section-id="${sectionId}"]`).click();
  await question(page, first.id).waitFor();
}

async function timeAnswerAndNote(page: Page, item: Question): Promise<[AnswerTapTimes, number]> {
  const card = cardSelector(item.id);
  await question(page, item.id).scrollIntoViewIfNeeded();
  const answer = await timeAnswerTap(page, `${card} [data-testid="answer-yes"]`);
  const note = await timeClickUntil(
    page,
    `${card} [data-testid="note-toggle"]`,
    `${card} [data-testid="note-input"]`,
  );
  return [answer, note];
}

async function timeSectionChanges(page: Page, definition: TemplateDefinition): Promise<number[]> {
  const sections = definition.sections;
  const times: number[] = [];
  await openSectionByLink(page, sections[0]!.id, firstShown(sections[0]!.questions));
  for (let index = 1; index < sections.length; index += 1) {
    const first = firstShown(sections[index]!.questions);
    times.push(await timeClickUntil(page, '[data-testid="next-section"]', cardSelector(first.id)));
  }
  for (let index = sections.length - 2; index >= 0; index -= 1) {
    const first = firstShown(sections[index]!.questions);
    times.push(await timeClickUntil(page, '[data-testid="prev-section"]', cardSelector(first.id)));
  }
  return times;
}

// (b) The facilities list.

const LARGE_LIST = 10_000;
const SMALL_LIST = 100;
const STREETS = ['Harbour', 'Station', 'Mill', 'Church', 'Victoria', 'Park', 'Quarry', 'Bridge'];
const KINDS = ['plant', 'office', 'school', 'clinic', 'warehouse', 'depot', 'site', 'library'];

/**
 * Fills the demo organisation with 10,000 facilities and a second organisation with 100, and
 * signs an inspector of each in on a device of its own. Then times how long the list takes to
 * first show rows, opened from the navigation and loaded by a reload of /facilities. The devices
 * are offline, and the runs alternate between them.
 */
async function measureFacilities(browser: Browser, server: AviorServer, options: Options) {
  const db = server.running.platform.db;
  const demo = await db
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', 'northwind')
    .executeTakeFirstOrThrow();
  const small = await seedOrganisation(db, 'Southbank Estates', 'southbank');
  await addFacilities(server, demo.id, LARGE_LIST - (await countFacilities(server, demo.id)));
  await addFacilities(server, small.orgId, SMALL_LIST - small.facilityIds.length);

  const large = await openListDevice(browser, server, INSPECTOR_EMAIL, LARGE_LIST);
  const baseline = await openListDevice(browser, server, small.users.inspector.email, SMALL_LIST);
  try {
    const facilitiesOpen: Samples = { avior: [], baseline: [] };
    const facilitiesReload: Samples = { avior: [], baseline: [] };
    await timeListOpen(large.page);
    await timeListOpen(baseline.page);
    for (let run = 0; run < options.listRuns; run += 1) {
      facilitiesOpen.avior.push(await timeListOpen(large.page));
      facilitiesOpen.baseline.push(await timeListOpen(baseline.page));
      facilitiesReload.avior.push(await timeListReload(large.page));
      facilitiesReload.baseline.push(await timeListReload(baseline.page));
    }
    const facilityRowsInDom = {
      avior: await large.page.getByTestId('facility-row').count(),
      baseline: await baseline.page.getByTestId('facility-row').count(),
    };
    return { facilitiesOpen, facilitiesReload, facilityRowsInDom };
  } finally {
    await large.context.close();
    await baseline.context.close();
  }
}

async function countFacilities(server: AviorServer, orgId: string): Promise<number> {
  const row = await server.running.platform.db
    .selectFrom('facilities')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function addFacilities(server: AviorServer, orgId: string, count: number): Promise<void> {
  const db = server.running.platform.db;
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, offset) => {
      const n = start + offset;
      const kind = KINDS[n % KINDS.length]!;
      const street = STREETS[Math.floor(n / KINDS.length) % STREETS.length]!;
      return {
        id: newId(),
        org_id: orgId,
        name: `${street} Road ${kind} ${String(n + 1).padStart(5, '0')}`,
        kind,
        address: `${(n % 200) + 1} ${street} Road`,
        latitude: 50 + (n % 500) / 100,
        longitude: -2 + (n % 300) / 100,
        updated_at: new Date(),
      };
    });
    await db.insertInto('facilities').values(rows).execute();
  }
}

interface ListDevice {
  readonly context: BrowserContext;
  readonly page: Page;
}

async function openListDevice(
  browser: Browser,
  server: AviorServer,
  email: string,
  expected: number,
): Promise<ListDevice> {
  const context = await openDevice(browser, server.url);
  const page = await context.newPage();
  await recordFirstAppearance(page, '[data-testid="facility-row"]');
  await signIn(page, email);
  await page.getByTestId('nav-facilities').click();
  await page.getByTestId('facility-row').first().waitFor({ timeout: 120_000 });
  const deadline = Date.now() + 120_000;
  let stored = await countDeviceTable(page, 'facilities');
  while (stored < expected && Date.now() < deadline) {
    await page.waitForTimeout(500);
    stored = await countDeviceTable(page, 'facilities');
  }
  if (stored !== expected) {
    throw new Error(
      `${email}'s device has ${stored} facilities after 2 minutes, expected ${expected}`,
    );
  }
  await context.setOffline(true);
  return { context, page };
}

/** Opens the list from the surveys screen and returns the time until its first row shows. */
async function timeListOpen(page: Page): Promise<number> {
  await page.getByTestId('nav-surveys').click();
  await page.getByTestId('facility-row').first().waitFor({ state: 'detached' });
  return timeClickUntil(page, '[data-testid="nav-facilities"]', '[data-testid="facility-row"]');
}

/** Reloads /facilities offline and returns the time from navigation start to the first row. */
async function timeListReload(page: Page): Promise<number> {
  await page.goto('/facilities');
  return readFirstAppearance(page);
}

// Output.

function printTable(results: Results): void {
  const rows: string[][] = [
    ['Measure', 'Unit', 'Avior', 'Baseline', 'Avior / baseline'],
    ...pairRows('Answer tap until the answer shows, vs note toggle', results.answerTap),
    ...pairRows('Answer tap until saved on the device, vs note toggle', results.answerSaved),
    [
      'Section change (next and previous), median',
      'ms',
      format(median(results.sectionChange)),
      '-',
      '-',
    ],
    [
      'Section change (next and previous), p95',
      'ms',
      format(percentile(results.sectionChange, 0.95)),
      '-',
      '-',
    ],
    ...pairRows('Facilities list opened, 10,000 vs 100 facilities', results.facilitiesOpen, false),
    ...pairRows('Facilities page reloaded offline, 10,000 vs 100', results.facilitiesReload, false),
    [
      'Facility rows in the DOM',
      'count',
      String(results.facilityRowsInDom.avior),
      String(results.facilityRowsInDom.baseline),
      '-',
    ],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`);
  for (const row of rows.slice(1)) console.log(line(row));
  console.log(
    `\n${results.answerTap.avior.length} taps, ${results.sectionChange.length} section changes, ` +
      `${results.facilitiesOpen.avior.length} list runs per size. Chromium ${results.chromium}, ` +
      `Node ${results.machine.node}, ${results.machine.cpus} CPUs (${results.machine.cpuModel}), ` +
      `load ${results.machine.loadAverage.atStart} to ${results.machine.loadAverage.atEnd}.`,
  );
}

function pairRows(measure: string, samples: Samples, withP95 = true): string[][] {
  const rows = [statRow(`${measure}, median`, samples, median)];
  if (withP95) rows.push(statRow(`${measure}, p95`, samples, (v) => percentile(v, 0.95)));
  return rows;
}

function statRow(measure: string, samples: Samples, stat: (values: number[]) => number): string[] {
  const avior = stat(samples.avior);
  const baseline = stat(samples.baseline);
  return [measure, 'ms', format(avior), format(baseline), (avior / baseline).toFixed(2)];
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

await main();
