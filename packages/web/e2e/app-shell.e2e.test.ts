import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForOfflineShell } from './support/app.ts';
import { cleanUp } from './support/cleanup.ts';
import { launchChromium, openDevice } from './support/chromium.ts';
import { startAviorServer, type AviorServer } from './support/server.ts';

interface ManifestIcon {
  readonly src: string;
  readonly sizes: string;
  readonly type: string;
  readonly purpose?: string;
}

/** Width and height from the IHDR chunk, which PNG requires first (RFC 2083, section 11.2.2). */
function readPngSize(bytes: Buffer): { width: number; height: number } {
  const signature = bytes.subarray(0, 8).toString('hex');
  if (signature !== '89504e470d0a1a0a') throw new Error('the file is not a PNG');

  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('app shell', () => {
  let server: AviorServer | undefined;
  let browser: Browser | undefined;
  let device: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startAviorServer();
    browser = await launchChromium();
    device = await openDevice(browser, server.url);
    page = await device.newPage();
  });

  afterAll(() =>
    cleanUp(
      () => browser?.close(),
      () => server?.stop(),
    ),
  );

  it('serves the manifest', async () => {
    const response = await fetch(`${server!.url}/manifest.webmanifest`);
    const manifest = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(manifest.start_url).toBe('/');
    expect(manifest.display).toBe('standalone');
    expect(manifest.name).toEqual(expect.any(String));
  });

  it('serves every icon of the manifest at its declared size', async () => {
    const manifest = (await (await fetch(`${server!.url}/manifest.webmanifest`)).json()) as {
      icons: ManifestIcon[];
    };
    const sizes = manifest.icons.map((icon) => icon.sizes);

    expect(sizes).toContain('192x192');
    expect(sizes).toContain('512x512');
    for (const icon of manifest.icons) {
      const response = await fetch(new URL(icon.src, server!.url));
      const { width, height } = readPngSize(Buffer.from(await response.arrayBuffer()));

      expect(response.status, icon.src).toBe(200);
      expect(response.headers.get('content-type'), icon.src).toContain('image/png');
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    }
  });

  it('links the manifest from the page', async () => {
    await page.goto('/');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');

    expect(href).toBe('/manifest.webmanifest');
  });

  it('shows the sign-in screen', async () => {
    await page.goto('/');

    await expect.poll(() => page.getByTestId('login-email').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('login-password').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('login-submit').isVisible()).toBe(true);
  });

  it('installs the service worker with the app shell cached', async () => {
    await waitForOfflineShell(page);
    const scripts = await page.evaluate(() =>
      [...document.querySelectorAll('script[src]')].map(
        (s) => new URL((s as HTMLScriptElement).src).pathname,
      ),
    );
    const cached = await page.evaluate(async (paths) => {
      const results: boolean[] = [];
      for (const path of paths) results.push((await caches.match(path)) !== undefined);
      return results;
    }, scripts);

    expect(scripts.length).toBeGreaterThan(0);
    expect(cached).toEqual(scripts.map(() => true));
  });

  it('reloads the sign-in screen with the network off', async () => {
    await waitForOfflineShell(page);
    await device.setOffline(true);
    try {
      const response = await page.reload();

      expect(response?.fromServiceWorker()).toBe(true);
      await expect.poll(() => page.getByTestId('login-email').isVisible()).toBe(true);
      expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    } finally {
      await device.setOffline(false);
    }
  });

  it('opens a link into the app with the network off', async () => {
    await waitForOfflineShell(page);
    await device.setOffline(true);
    try {
      const response = await page.goto('/surveys');

      expect(response?.fromServiceWorker()).toBe(true);
      await expect.poll(() => page.getByTestId('login-email').isVisible()).toBe(true);
    } finally {
      await device.setOffline(false);
    }
  });

  it('leaves API requests to the network', async () => {
    await waitForOfflineShell(page);
    await device.setOffline(true);
    try {
      const outcome = await page.evaluate(async () => {
        try {
          const response = await fetch('/v1/me');
          return `status ${response.status}`;
        } catch {
          return 'network error';
        }
      });

      expect(outcome).toBe('network error');
    } finally {
      await device.setOffline(false);
    }
  });
});
