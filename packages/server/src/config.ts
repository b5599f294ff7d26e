import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web app's build folder inside this repository. */
const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Every setting of the platform, read once from the environment. */
export interface Config {
  readonly port: number;
  /** Port of /metrics and the health probes in a worker-only process; unset serves none. */
  readonly metricsPort: number | undefined;
  readonly host: string;
  /** Proxies whose X-Forwarded-For is believed: false, true, a hop count or a list of addresses. */
  readonly trustProxy: boolean | number | string;
  /** Base URL that signed links point at; defaults to http://HOST:PORT. */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** Folder of the built web app; empty when the server serves no app. */
  readonly webDistDir: string;
  readonly databaseUrl: string | undefined;
  /** Folder of the embedded PGlite database, or `memory://` for one that lives in memory. */
  readonly pgliteDir: string;
  readonly databasePoolSize: number;
  readonly blobDir: string;
  /** Folder of the partial files of resumable (tus) uploads. */
  readonly uploadDir: string;
  /** Seconds a resumable upload may take from creation to its last byte before it expires. */
  readonly uploadExpirySeconds: number;
  /** Seconds between sweeps that delete expired resumable uploads. */
  readonly uploadCleanupIntervalSeconds: number;
  readonly secret: string;
  /** Whether the secret came from AVIOR_SECRET or was generated in the data folder. */
  readonly secretSource: 'environment' | 'generated';
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly signedUrlTtlSeconds: number;
  readonly maxUploadBytes: number;
  readonly maxImagePixels: number;
  readonly minPhotoShortSide: number;
  readonly imageWorkers: number;
  readonly rateLimitPerMinute: number;
  readonly maxEventLoopDelayMs: number;
  readonly busPollIntervalMs: number;
  readonly busMaxAttempts: number;
  readonly busRetryBaseMs: number;
  readonly seedDemo: boolean;
  readonly logLevel: string;
}

/** Documentation of each variable, printed by `avior config` and kept in the README. */
export const CONFIG_VARIABLES = [
  ['PORT', '3000', 'HTTP port of the API and WebSocket server.'],
  [
    'METRICS_PORT',
    '(unset)',
    'Port of /metrics and /health/* in a process started with --role worker; unset serves none.',
  ],
  ['HOST', '127.0.0.1', 'Interface to listen on; 0.0.0.0 to accept outside connections.'],
  [
    'TRUST_PROXY',
    'false',
    'Which proxies may set X-Forwarded-For (rate limits and logs use the client address): true, a hop count, or addresses.',
  ],
  ['PUBLIC_URL', 'http://HOST:PORT', 'Base URL written into signed upload and download links.'],
  ['AVIOR_DATA_DIR', './data', 'Folder of the embedded database, the blob store and the secret.'],
  [
    'WEB_DIST_DIR',
    'packages/web/dist',
    'Folder of the built web app the server serves at /; empty serves no app.',
  ],
  ['DATABASE_URL', '(unset)', 'PostgreSQL connection string; unset uses embedded PGlite.'],
  [
    'PGLITE_DATA_DIR',
    'AVIOR_DATA_DIR/db',
    'Folder of the embedded PGlite database; memory:// keeps it in memory only.',
  ],
  ['DATABASE_POOL_SIZE', '10', 'Connections per process when DATABASE_URL is set.'],
  ['BLOB_DIR', 'AVIOR_DATA_DIR/blobs', 'Folder of the local blob store.'],
  ['UPLOAD_DIR', 'AVIOR_DATA_DIR/uploads', 'Folder of unfinished resumable (tus) uploads.'],
  [
    'UPLOAD_EXPIRY_SECONDS',
    '86400',
    'Seconds a resumable upload may take from creation to its last byte; later it answers 410 and is deleted.',
  ],
  [
    'UPLOAD_CLEANUP_INTERVAL_SECONDS',
    '3600',
    'Seconds between sweeps that delete expired resumable uploads; one sweep also runs at start.',
  ],
  [
    'AVIOR_SECRET',
    '(generated)',
    'Key for access tokens and signed URLs; generated and kept in AVIOR_DATA_DIR/secret when unset. Set the same value on every instance.',
  ],
  ['ACCESS_TOKEN_TTL_SECONDS', '900', 'Lifetime of an access token.'],
  ['REFRESH_TOKEN_TTL_SECONDS', '2592000', 'Lifetime of a refresh token (30 days).'],
  ['SIGNED_URL_TTL_SECONDS', '900', 'Lifetime of a signed upload or download link.'],
  ['MAX_UPLOAD_BYTES', '31457280', 'Largest photo accepted, in bytes (30 MiB).'],
  ['MAX_IMAGE_PIXELS', '100000000', 'Largest photo accepted, in pixels (width times height).'],
  [
    'MIN_PHOTO_SHORT_SIDE',
    '480',
    'Photos whose short side is below this many pixels are flagged as too small.',
  ],
  ['IMAGE_WORKERS', '1', 'Worker threads that process photos in each worker process.'],
  ['RATE_LIMIT_PER_MINUTE', '1200', 'Requests per minute per user (or per IP before login).'],
  [
    'MAX_EVENT_LOOP_DELAY_MS',
    '1000',
    'Event loop delay above which requests are shed with 503; 0 turns shedding off.',
  ],
  ['BUS_POLL_INTERVAL_MS', '250', 'How often workers look for new events.'],
  ['BUS_MAX_ATTEMPTS', '5', 'Attempts before an event goes to the dead-letter table.'],
  ['BUS_RETRY_BASE_MS', '1000', 'First retry delay; each later one doubles, with jitter.'],
  [
    'SEED_DEMO',
    'true',
    'Create the demo organisation, users, facilities and template on first start.',
  ],
  ['LOG_LEVEL', 'info', 'pino log level: trace, debug, info, warn, error, fatal or silent.'],
] as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the configuration from `env`, raising an error that names the variable when a value
 * is invalid.
 */
export function loadConfig(env: Env = process.env): Config {
  const port = readInteger(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = resolve(env.AVIOR_DATA_DIR ?? './data');

  return {
    port,
    metricsPort: env.METRICS_PORT ? readInteger(env, 'METRICS_PORT', 0, 0, 65535) : undefined,
    host,
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    publicUrl: (env.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/$/, ''),
    dataDir,
    webDistDir:
      env.WEB_DIST_DIR === undefined
        ? DEFAULT_WEB_DIST_DIR
        : env.WEB_DIST_DIR && resolve(env.WEB_DIST_DIR),
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DATA_DIR ?? join(dataDir, 'db'),
    databasePoolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    blobDir: resolve(env.BLOB_DIR ?? join(dataDir, 'blobs')),
    uploadDir: resolve(env.UPLOAD_DIR ?? join(dataDir, 'uploads')),
    uploadExpirySeconds: readInteger(env, 'UPLOAD_EXPIRY_SECONDS', 86_400, 1, 31_536_000),
    uploadCleanupIntervalSeconds: readInteger(
      env,
      'UPLOAD_CLEANUP_INTERVAL_SECONDS',
      3600,
      1,
      86_400,
    ),
    secret: env.AVIOR_SECRET ?? readOrCreateSecret(dataDir),
    secretSource: env.AVIOR_SECRET ? 'environment' : 'generated',
    accessTokenTtlSeconds: readInteger(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86_400),
    refreshTokenTtlSeconds: readInteger(
      env,
      'REFRESH_TOKEN_TTL_SECONDS',
      2_592_000,
      60,
      31_536_000,
    ),
    signedUrlTtlSeconds: readInteger(env, 'SIGNED_URL_TTL_SECONDS', 900, 5, 604_800),
    maxUploadBytes: readInteger(env, 'MAX_UPLOAD_BYTES', 30 * 1024 * 1024, 1, 2 ** 31 - 1),
    maxImagePixels: readInteger(env, 'MAX_IMAGE_PIXELS', 100_000_000, 1, 2 ** 31 - 1),
    minPhotoShortSide: readInteger(env, 'MIN_PHOTO_SHORT_SIDE', 480, 1, 100_000),
    imageWorkers: readInteger(env, 'IMAGE_WORKERS', 1, 1, 64),
    rateLimitPerMinute: readInteger(env, 'RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000),
    maxEventLoopDelayMs: readInteger(env, 'MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 60_000),
    busPollIntervalMs: readInteger(env, 'BUS_POLL_INTERVAL_MS', 250, 5, 60_000),
    busMaxAttempts: readInteger(env, 'BUS_MAX_ATTEMPTS', 5, 1, 100),
    busRetryBaseMs: readInteger(env, 'BUS_RETRY_BASE_MS', 1000, 1, 3_600_000),
    seedDemo: readBoolean(env, 'SEED_DEMO', true),
    logLevel: readChoice(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
  };
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;

  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Invalid ${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

function readChoice<T extends string>(
  env: Env,
  name: string,
  fallback: T,
  choices: readonly T[],
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;

  throw new Error(`Invalid ${name}: expected one of ${choices.join(', ')}, got "${raw}"`);
}

function readTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);

  return raw;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;

  throw new Error(`Invalid ${name}: expected true or false, got "${raw}"`);
}

// A generated secret is kept on disk so tokens and signed links survive a restart.
function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();

  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
