import type { Config } from '../config.ts';
import { LocalBlobStore } from './blobs/local-blob-store.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import { signGrant, type SignedGrant } from './blobs/signed-url.ts';
import { openDatabase, type Db } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { RealtimeHub } from './realtime/realtime-hub.ts';
import { createLogger, type Logger } from './telemetry/logger.ts';
import { createMetrics, type Metrics } from './telemetry/metrics.ts';

/** The engines every module uses, picked by configuration; modules never open their own. */
export interface Platform {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly db: Db;
  readonly dbEngine: 'postgres' | 'pglite';
  readonly blobs: BlobStore;
  readonly realtime: RealtimeHub;
  /** Builds an absolute signed link to the blob routes. */
  signUrl(
    grant: Omit<SignedGrant, 'expiresAt'>,
    ttlSeconds?: number,
  ): { url: string; expiresAt: string };
  /** Tells in-process consumers that an event was committed, so they poll now. */
  notifyCommitted(): void;
  onCommitted(listener: () => void): void;
  close(): Promise<void>;
}

export interface PlatformOptions {
  readonly logger?: Logger;
  readonly migrate?: boolean;
}

export async function openPlatform(
  config: Config,
  options: PlatformOptions = {},
): Promise<Platform> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.pgliteDir,
    poolSize: config.databasePoolSize,
    onIdleError: (error) =>
      logger.warn({ err: error }, 'database connection lost; the pool reconnects'),
  });
  if (options.migrate !== false) await migrateToLatest(database.db);

  const listeners: (() => void)[] = [];
  return {
    config,
    logger,
    metrics: createMetrics(),
    db: database.db,
    dbEngine: database.engine,
    blobs: new LocalBlobStore(config.blobDir),
    realtime: new RealtimeHub((error) =>
      logger.warn({ err: error }, 'realtime push failed; clients read it on their next fetch'),
    ),
    signUrl(grant, ttlSeconds = config.signedUrlTtlSeconds) {
      const expiresAtSeconds = Math.floor(Date.now() / 1000) + ttlSeconds;
      const query = signGrant(config.secret, { ...grant, expiresAt: expiresAtSeconds });
      const path = grant.operation === 'put' ? '/v1/blobs/upload' : '/v1/blobs/download';
      return {
        url: `${config.publicUrl}${path}?${query}`,
        expiresAt: new Date(expiresAtSeconds * 1000).toISOString(),
      };
    },
    notifyCommitted: () => listeners.forEach((listener) => listener()),
    onCommitted: (listener) => void listeners.push(listener),
    close: () => database.close(),
  };
}
