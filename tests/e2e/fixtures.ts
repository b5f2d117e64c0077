import { test as base, type BrowserContext } from '@playwright/test';

/**
 * `newContext`: a browser context (one workstation's windows) that is closed when the test ends. Left open, the
 * windows of earlier tests keep retrying their vanished consoles and drawing maps in software GL, and slow every
 * test after them.
 */
export const test = base.extend<{ newContext: () => Promise<BrowserContext> }>({
  // The project's browser time zone (playwright.config.ts) holds for these contexts too.
  newContext: async ({ browser, timezoneId }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext(timezoneId ? { timezoneId } : {});
      contexts.push(context);
      return context;
    });
    for (const context of contexts) await context.close();
  },
});

export { expect } from '@playwright/test';
