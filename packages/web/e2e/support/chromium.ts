import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
} from 'playwright-core';

/** Where a system Chromium usually lives; CHROMIUM_PATH, when set, is tried first. */
const CANDIDATE_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Flags for a headless Chromium on a CI machine: no sandbox because CI runs as root, no GPU, and
 * no background traffic to outside hosts, so every request in a test comes from the app.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A phone in portrait, the size inspectors use in the field. Devices run in UTC, so a capture
 * time that the app reads as device-local time is the same instant on every test machine.
 */
export const PHONE: BrowserContextOptions = {
  timezoneId: 'UTC',
  locale: 'en-GB',
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
};

/** A laptop screen, the size managers use in the office. */
export const DESKTOP: BrowserContextOptions = {
  timezoneId: 'UTC',
  locale: 'en-GB',
  viewport: { width: 1280, height: 860 },
  deviceScaleFactor: 1,
};

/**
 * Returns the path of a Chromium binary. On a Debian machine where none is installed and the
 * process runs as root, installs the distribution's `chromium` package first.
 */
export function findChromium(): string {
  const found = findExecutable();
  if (found) return found;

  if (canInstallWithApt()) {
    installWithApt();
    const installed = findExecutable();
    if (installed) return installed;
  }
  throw new Error(
    `Chromium was not found (tried CHROMIUM_PATH=${process.env.CHROMIUM_PATH ?? '(unset)'} and ` +
      `${CANDIDATE_PATHS.join(', ')}). Install it with \`apt-get install chromium\` on Debian ` +
      'or `apt-get install chromium-browser` on Ubuntu, or set CHROMIUM_PATH to a Chromium or ' +
      'Chrome binary.',
  );
}

function findExecutable(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  const candidates = fromEnv ? [fromEnv, ...CANDIDATE_PATHS] : CANDIDATE_PATHS;
  return candidates.find((path) => isExecutable(path));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function canInstallWithApt(): boolean {
  return (
    process.getuid?.() === 0 &&
    existsSync('/etc/debian_version') &&
    isExecutable('/usr/bin/apt-get')
  );
}

function installWithApt(): void {
  console.warn('Chromium is missing: installing the Debian package `chromium` with apt-get');
  const options = {
    stdio: 'inherit' as const,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  };
  execFileSync('apt-get', ['update'], options);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], options);
}

/** Launches a headless Chromium; each test file uses one and closes it in afterAll. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
}

/**
 * Opens a new browser context, which is one device: its own cookies, IndexedDB, caches and
 * service worker registration.
 */
export async function openDevice(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = PHONE,
): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options, baseURL, serviceWorkers: 'allow' });
  context.setDefaultTimeout(15_000);
  return context;
}
