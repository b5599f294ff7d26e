import type { Page } from 'playwright-core';

/** Maximum wait for the DOM change that a timed click must cause. */
const CHANGE_TIMEOUT_MS = 10_000;

/**
 * Clicks the element matching `target` inside the page and returns the milliseconds until the
 * first painted frame in which an element matches `done`. Both selectors are CSS. Timing runs in
 * the page with performance.now, so the test driver's protocol latency is not counted. After
 * each frame, a requestAnimationFrame callback followed by a task runs after that frame's paint
 * and checks the selector.
 */
export async function timeClickUntil(page: Page, target: string, done: string): Promise<number> {
  // The bench runs under tsx, which wraps named inner functions in a helper the page lacks, so
  // the code below declares none.
  return page.evaluate(
    async ({ targetSelector, doneSelector, timeoutMs }) => {
      const element = document.querySelector<HTMLElement>(targetSelector);
      if (!element) throw new Error(`no element matches ${targetSelector}`);

      const started = performance.now();
      element.click();
      while (performance.now() - started < timeoutMs) {
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        if (document.querySelector(doneSelector)) return performance.now() - started;
      }
      throw new Error(`no element matched ${doneSelector} within ${timeoutMs} ms`);
    },
    { targetSelector: target, doneSelector: done, timeoutMs: CHANGE_TIMEOUT_MS },
  );
}

/**
 * Arranges for every page load to record, as `window.__firstMatchAt`, the performance.now time
 * at which an element matching `selector` first appears. performance.now counts from the start
 * of the navigation.
 */
export async function recordFirstAppearance(page: Page, selector: string): Promise<void> {
  await page.addInitScript((watched) => {
    const record = window as unknown as { __firstMatchAt?: number };
    const observer = new MutationObserver(() => {
      if (record.__firstMatchAt !== undefined || !document.querySelector(watched)) return;
      observer.disconnect();
      requestAnimationFrame(() =>
        setTimeout(() => {
          record.__firstMatchAt = performance.now();
        }, 0),
      );
    });
    observer.observe(document, { subtree: true, childList: true });
  }, selector);
}

/** Waits for and returns the time recorded by `recordFirstAppearance` for the current page. */
export async function readFirstAppearance(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __firstMatchAt?: number }).__firstMatchAt,
    undefined,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** The value below which `share` of the sorted values fall (nearest-rank method). */
export function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) return Number.NaN;

  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(share * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1]!;
}

export interface AnswerTapTimes {
  /** Until the pressed answer shows and the next frame is painted. */
  readonly shownMs: number;
  /** Until the save indicator returns to "saved": the device database has the answer. */
  readonly savedMs: number;
}

/**
 * Taps an answer button inside the page and times two moments: the answer showing pressed, and
 * the runner's save indicator (`save-state`, attribute `data-state`) leaving "saved" and coming
 * back to it, which happens when the write to the device database has finished.
 */
export async function timeAnswerTap(page: Page, button: string): Promise<AnswerTapTimes> {
  // The bench runs under tsx, which wraps named inner functions in a helper the page lacks, so
  // the code below declares none.
  return page.evaluate(
    async ({ buttonSelector, timeoutMs }) => {
      const element = document.querySelector<HTMLElement>(buttonSelector);
      const indicator = document.querySelector<HTMLElement>('[data-testid="save-state"]');
      if (!element || !indicator) throw new Error(`no ${buttonSelector} or save-state shown`);

      let left = false;
      const observer = new MutationObserver(() => {
        if (indicator.dataset.state !== 'saved') left = true;
      });
      observer.observe(indicator, { attributes: true, attributeFilter: ['data-state'] });

      const started = performance.now();
      element.click();
      let shownAt = 0;
      let savedAt = 0;
      while ((shownAt === 0 || savedAt === 0) && performance.now() - started < timeoutMs) {
        // Wakes after each frame's paint and notes the first painted frame showing each state.
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        const now = performance.now();
        if (shownAt === 0 && element.getAttribute('aria-pressed') === 'true') shownAt = now;
        if (savedAt === 0 && left && indicator.dataset.state === 'saved') savedAt = now;
      }
      observer.disconnect();
      if (shownAt === 0 || savedAt === 0) {
        throw new Error(`the answer did not show and save within ${timeoutMs} ms`);
      }
      return { shownMs: shownAt - started, savedMs: savedAt - started };
    },
    { buttonSelector: button, timeoutMs: CHANGE_TIMEOUT_MS },
  );
}
