/// <reference lib="webworker" />
// The service worker keeps the app shell in a cache so that the app opens, and reloads, with no
// network. API calls are left alone: the app reads its data from the device database and syncs
// through the API itself.

const worker = self as unknown as ServiceWorkerGlobalScope;

// The build replaces both placeholders with the file list and a version derived from it.
const PRECACHE_FILES: readonly string[] = JSON.parse('__PRECACHE_FILES__');
const CACHE_NAME = 'avior-shell-__CACHE_VERSION__';
const APP_SHELL = '/';

/** Paths that only the server serves. The worker passes them to the network. */
const NETWORK_ONLY = ['/v1/', '/docs', '/metrics', '/health/'];

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      await cache.addAll(PRECACHE_FILES.length > 0 ? PRECACHE_FILES : [APP_SHELL]);
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith('avior-shell-') && name !== CACHE_NAME)
          .map((name) => caches.delete(name)),
      );
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))) return;

  if (request.mode === 'navigate') {
    // Every page of the app is the same shell, and the app routes on the client.
    event.respondWith(fromCacheFirst(APP_SHELL, request));
    return;
  }
  event.respondWith(fromCacheFirst(url.pathname, request));
});

async function fromCacheFirst(key: string, request: Request): Promise<Response> {
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(key);
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch {
    return new Response('Avior is offline and this file was not saved on the device.', {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
}
