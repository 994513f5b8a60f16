/**
 * The real browser: Debian's chromium (headless, system binary, no download) driven by
 * playwright-core against `platform dev` fed by the instrumented example. Screenshots land in
 * packages/dev/.tmp/browser-test/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleService } from '../../telemetry/test/support/example-service.js';
import { followInventoryRequest, startExampleAgainst } from './support/example-request.js';
import { REPO_ROOT, startPlatformDev, type PlatformDevProcess } from './support/platform-dev-process.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = path.join(REPO_ROOT, 'packages/dev/.tmp/browser-test');
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/install-debian-package.sh installs Debian's chromium`);
  console.warn(`browser-ui.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}

describe.skipIf(!available)('platform dev in headless Chromium', () => {
  let dev: PlatformDevProcess;
  let example: ExampleService;
  let browser: Browser;
  let page: Page;
  let traceId: string;
  const foreign: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    dev = await startPlatformDev();
    example = await startExampleAgainst(dev.otlpUrl);
    ({ traceId } = await followInventoryRequest(example, dev.uiUrl));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    // Offline by construction: any request that is not to platform dev itself fails the test.
    page.on('request', (r) => {
      if (!r.url().startsWith(dev.uiUrl) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
    await dev?.stop();
  });

  it('lists the request, opens its waterfall with the downstream call and the log line, filters logs by its trace id, shows the SLO panel', async () => {
    await page.goto(dev.uiUrl);
    const row = page.locator(`[data-testid=trace-list] tr[data-trace-id="${traceId}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('/orders/:id/inventory');
    await page.screenshot({ path: path.join(OUTPUT, 'traces.png'), fullPage: true });

    // Keyboard: focus the trace's link and press Enter.
    await row.locator('a').focus();
    await page.keyboard.press('Enter');
    const waterfall = page.locator('[data-testid=waterfall]');
    await waterfall.waitFor();
    expect(await page.locator('[data-testid=trace-id]').textContent()).toBe(traceId);
    const spanNames = await waterfall
      .locator('.wf-row')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-kind')} ${r.getAttribute('data-span-name')}`));
    expect(spanNames[0]).toBe('server GET /orders/:id/inventory');
    expect(spanNames.some((n) => n.startsWith('client '))).toBe(true);
    expect(spanNames).toContain('server GET /internal/inventory/:sku');
    // The resilience decision is rendered as an attempt, on the span that made it.
    const attemptRow = waterfall.locator('.wf-row', { hasText: 'event' }).first();
    await attemptRow.click();
    // (On a loaded machine the first attempt can time out and be retried: any outcome, rendered as an attempt.)
    await expect
      .poll(() => page.locator('[data-testid=span-detail] [data-event="resilience.attempt"]').first().textContent())
      .toMatch(/Attempt 1: (success|failure|timeout)dependency inventory-api/);
    const traceLogs = page.locator('[data-testid=trace-logs]');
    expect(await traceLogs.textContent()).toContain('request handled');
    await page.screenshot({ path: path.join(OUTPUT, 'trace.png'), fullPage: true });

    // Logs view, filtered by typing the trace id.
    await page.locator('.tabs a', { hasText: 'Logs' }).click();
    await page.locator('[data-testid=log-list]').waitFor();
    const input = page.locator('input[name=traceId]');
    await input.fill(traceId);
    await input.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain(`traceId=${traceId}`);
    await expect
      .poll(async () => {
        const ids = await page.locator('[data-testid=log-list] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-id')));
        return ids.length > 0 && ids.every((id) => id === traceId);
      })
      .toBe(true);
    expect(await page.locator('[data-testid=log-list]').textContent()).toContain('request handled');
    await page.screenshot({ path: path.join(OUTPUT, 'logs.png'), fullPage: true });

    // Services: per-route RED and the SLO panel from the manifest.
    await page.locator('.tabs a', { hasText: 'Services' }).click();
    const service = page.locator('[data-testid=service-orders-service]');
    await service.locator('[data-testid=slo-panel]').waitFor();
    expect(await service.locator('[data-testid=slo-availability]').textContent()).toContain('99.9% of requests without a 5xx');
    expect(await service.locator('[data-testid=slo-latency]').textContent()).toContain('p95 < 250ms');
    expect(await service.locator('[data-testid=red-table]').textContent()).toContain('/orders/:id/inventory');
    await page.screenshot({ path: path.join(OUTPUT, 'services.png'), fullPage: true });
    // The header reports the caps' drops (none here), and the page never left its origin.
    expect(await page.locator('[data-testid=dropped]').textContent()).toBe('dropped: 0 traces · 0 spans · 0 logs');
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);
});
