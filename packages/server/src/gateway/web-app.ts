import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteRegistrar } from '../app.ts';
import { AppError } from '../platform/errors/error-catalogue.ts';

/** Paths the API owns; an unknown path under them is a 404 error, never the app's page. */
const SERVER_PATHS = ['/v1/', '/docs', '/health/', '/metrics'];

/** Built files carry a content hash in their names, so browsers may keep them for a year. */
const HASHED_ASSETS = '/assets/';

/**
 * Serves the built web app from `distDir`: its files, and its page for every other GET that
 * asks for HTML, so links into the app work on a reload. The service worker, the page and the
 * manifest are always revalidated, so a new release reaches devices on their next visit.
 * Returns undefined when the folder holds no build.
 */
export function webAppRoutes(distDir: string): RouteRegistrar | undefined {
  if (!existsSync(join(distDir, 'index.html'))) return undefined;

  return async (app) => {
    await app.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders: (res, path) => {
        const immutable = path.includes(`${HASHED_ASSETS.slice(1)}`);
        res.setHeader(
          'cache-control',
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        res.setHeader('x-content-type-options', 'nosniff');
      },
    });

    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      const wantsPage = (request.headers.accept ?? '').includes('text/html');
      // App paths have no file extension; a missing file is a 404, never the app's page.
      const lastSegment = path.slice(path.lastIndexOf('/') + 1);
      const isFile = path.startsWith(HASHED_ASSETS) || lastSegment.includes('.');
      if (SERVER_PATHS.some((prefix) => path.startsWith(prefix)) || !wantsPage || isFile) {
        throw new AppError('ROUTE_NOT_FOUND', { method: request.method, url: path });
      }
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    });
  };
}
