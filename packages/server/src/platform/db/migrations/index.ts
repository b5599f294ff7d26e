import type { Migration } from 'kysely';
import * as core from './0001-core.ts';
import * as bus from './0002-bus.ts';
import * as sync from './0003-sync.ts';
import * as syncFingerprints from './0004-sync-fingerprints.ts';

/** Every migration in the order it runs; names are stored in kysely_migration. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-core': core,
  '0002-bus': bus,
  '0003-sync': sync,
  '0004-sync-fingerprints': syncFingerprints,
};
