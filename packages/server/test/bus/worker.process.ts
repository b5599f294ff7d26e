import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SERVER_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/bus-worker.ts', import.meta.url));

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** stderr so far, shown when the process misbehaves. */
  stderr(): string;
  /** Resolves with the first stdout line, past or future, that `matches` accepts. */
  waitForLine(matches: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** Resolves with the exit code, or null when a signal ended the process. */
  exit(): Promise<number | null>;
}

/** Starts test/bus/fixtures/bus-worker.ts in its own Node process on the given database. */
export function spawnWorker(
  mode: 'hang' | 'record',
  workerId: string,
  databaseUrl: string,
): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode, workerId], {
    cwd: SERVER_ROOT,
    env: { ...process.env, BUS_FIXTURE_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  let stderr = '';

  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      for (const waiter of waiters) waiter(line);
    });
  }
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  return {
    child,
    stderr: () => stderr,
    exit: () => exited,
    waitForLine: (matches, timeoutMs) => {
      const seen = lines.find(matches);
      if (seen !== undefined) return Promise.resolve(seen);

      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`Worker ${workerId} printed no matching line in ${timeoutMs} ms:\n${stderr}`),
          );
        }, timeoutMs);
        const waiter = (line: string) => {
          if (!matches(line)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(line);
        };
        waiters.add(waiter);
      });
    },
  };
}
