// Entry point of every image worker thread. Node 20 ignores an ESM loader passed in a
// Worker's execArgv (`--import tsx` has no effect there, nodejs/node#47747, fixed in
// Node 22), so a thread cannot start from a .ts file directly. This plain JavaScript file
// loads the TypeScript worker through tsx's programmatic API instead.
import { workerData } from 'node:worker_threads';

const { entryUrl } = workerData;

if (/\.[cm]?ts$/.test(entryUrl)) {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(entryUrl, import.meta.url);
} else {
  await import(entryUrl);
}
