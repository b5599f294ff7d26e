import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const SERVICE_WORKER_ENTRY = 'sw';

/** Every file under the public folder, as URL paths. */
function listPublicFiles(folder: string, root = folder): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return listPublicFiles(path, root);
    return [`/${relative(root, path).split('\\').join('/')}`];
  });
}

/**
 * Writes the list of files the service worker caches at install, and a version derived from
 * their names, into sw.js. Built file names carry content hashes, so a new build gets a new
 * version and the worker replaces the old cache.
 */
function precacheManifest(): Plugin {
  return {
    name: 'avior-precache-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const worker = Object.values(bundle).find(
        (item) => item.type === 'chunk' && item.name === SERVICE_WORKER_ENTRY,
      );
      if (!worker || worker.type !== 'chunk')
        throw new Error('the service worker entry is missing');

      const built = Object.keys(bundle)
        .filter((fileName) => fileName !== worker.fileName && !fileName.endsWith('.map'))
        .map((fileName) => `/${fileName}`);
      const files = ['/', ...built, ...listPublicFiles(join(import.meta.dirname, 'public'))].sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const placeholder = /([`'"])__PRECACHE_FILES__\1/;
      if (!placeholder.test(worker.code) || !worker.code.includes('__CACHE_VERSION__')) {
        throw new Error('sw.js lost its placeholders for the file list and the cache version');
      }
      worker.code = worker.code
        .replace(placeholder, JSON.stringify(JSON.stringify(files)))
        .replace('__CACHE_VERSION__', version);
    },
  };
}

export default defineConfig({
  plugins: [react(), precacheManifest()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Source maps stay off: the server would publish them next to the app.
    sourcemap: false,
    rollupOptions: {
      input: { main: join(import.meta.dirname, 'index.html'), sw: 'src/sw.ts' },
      output: {
        entryFileNames: (chunk) =>
          chunk.name === SERVICE_WORKER_ENTRY ? 'sw.js' : 'assets/[name]-[hash].js',
      },
    },
  },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/v1': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
