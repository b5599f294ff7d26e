import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const PAGE = '<!doctype html><title>Avior</title><div id="root"></div>';

let t: TestApp;
let distDir: string;
beforeAll(async () => {
  distDir = await mkdtemp(join(tmpdir(), 'avior-web-'));
  await mkdir(join(distDir, 'assets'));
  await writeFile(join(distDir, 'index.html'), PAGE);
  await writeFile(join(distDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(distDir, 'assets', 'main-Ab12Cd34.js'), 'console.log("app");');
  t = await startTestApp({ env: { WEB_DIST_DIR: distDir } });
});
afterAll(async () => {
  await t?.stop();
  await rm(distDir, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml' };

describe('serving the web app', () => {
  it('serves the page at / and for any app path a browser opens', async () => {
    for (const url of ['/', '/surveys/0190e4b2-0000-7000-8000-000000000001', '/sync?tab=failed']) {
      const response = await t.request('GET', url, { headers: html });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toBe(PAGE);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('lets browsers keep hashed assets and always revalidate the service worker', async () => {
    const asset = await t.request('GET', '/assets/main-Ab12Cd34.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');

    const worker = await t.request('GET', '/sw.js');
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['cache-control']).toBe('no-cache');
  });

  it('keeps JSON 404s for unknown API paths and for requests that do not ask for a page', async () => {
    const api = await t.request('GET', '/v1/nothing-here', { headers: html });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('ROUTE_NOT_FOUND');

    for (const file of ['/assets/gone-123.js', '/favicon.ico']) {
      const missing = await t.request('GET', file, { headers: html });
      expect(missing.statusCode, file).toBe(404);
      expect(missing.json().code).toBe('ROUTE_NOT_FOUND');
    }
  });

  it('still serves the API next to the app', async () => {
    const response = await t.request('GET', '/v1/me', { token: t.tokens.inspector });
    expect(response.statusCode).toBe(200);
  });
});
