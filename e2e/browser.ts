import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser journeys need Debian's chromium. Locally they are skipped with a loud notice when it is missing; in CI
 * (CI=true) a missing browser is a failure, never a silent skip.
 */
export function hasChromium(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`CI=true but ${CHROMIUM} is missing: install the Debian package "chromium".`);
  console.warn(
    `\n*** BROWSER JOURNEYS SKIPPED: ${CHROMIUM} not found. Install it with: apt-get install chromium fonts-noto-cjk ***\n`,
  );
  return false;
}

export const SCREENSHOT_DIR = process.env.ANXIN_SCREENSHOTS ?? path.join(os.tmpdir(), 'anxin-e2e-screenshots');

/** Chromium's fake camera and microphone (a test pattern and a beep), granted without a prompt. */
export const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export async function launch(
  viewport: { width: number; height: number },
  extraArgs: string[] = [],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'zh-CN',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** The real app on a real database, listening on a free port, for one test file. */
export async function startProduct(): Promise<{ t: import('../apps/server/test/harness.js').TestApp; base: string }> {
  const { createTestApp } = await import('../apps/server/test/harness.js');
  const t = await createTestApp();
  const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  return { t, base };
}

/**
 * The product for a whole test file, started before its tests (when Chromium is there) and closed after them:
 * `const product = productForFile(enabled)`, then `product.t` and `product.base` inside the tests.
 */
export function productForFile(enabled: boolean) {
  const product = {} as { t: import('../apps/server/test/harness.js').TestApp; base: string };
  beforeAll(async () => {
    if (enabled) Object.assign(product, await startProduct());
  });
  afterAll(async () => {
    if (product.t) await product.t.close();
  });
  return product;
}

/** The code the (console) SMS provider "sent" to a number: what a developer reads from the dev outbox. */
export async function waitForCode(t: import('../apps/server/test/harness.js').TestApp, phone: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const code = t.sms.latestCodeFor(phone);
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no code in the dev outbox');
}

/** Signs a browser in with a session cookie made through the API (signing in by SMS has its own journey). */
export async function withCookie(context: BrowserContext, cookie: string): Promise<void> {
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' }]);
}

/**
 * First visit on a device shows the privacy notice before anything else: the one consent step (POL-1) for the user
 * agreement and the policy. The sign-in page then shows that agreement as given; it does not ask again.
 */
export async function passNotice(page: Page, ready: string): Promise<void> {
  await page.getByTestId('policy-agree').or(page.getByTestId(ready)).first().waitFor();
  if (await page.getByTestId('policy-agree').isVisible()) await page.getByTestId('policy-agree').click();
  await page.getByTestId(ready).waitFor();
}

/** Phone sign-in through the page after the notice: number, code from the dev outbox, 登录. */
export async function signInBySms(
  page: Page,
  t: import('../apps/server/test/harness.js').TestApp,
  phone: string,
): Promise<void> {
  await page.getByTestId('phone-input').fill(phone);
  await page.getByTestId('send-code').click();
  await page.getByTestId('code-input').fill(await waitForCode(t, phone));
  await page.getByTestId('verify-code').click();
}
