import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'avior.lock';

// Folders this process holds, since a lock file naming this process cannot tell a second
// opening in the same process from a stale lock of an earlier run with a reused id.
const heldHere = new Set<string>();

/**
 * Claims an embedded database folder for this process. PGlite keeps the database in memory and
 * writes it back to the folder, so two processes on one folder would each overwrite the other's
 * work without an error. The second process is rejected instead. A lock left by a process that
 * no longer runs is taken over. Returns the function that releases the lock.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  if (heldHere.has(file)) {
    throw new Error(
      `The embedded database in ${dir} is in use by process ${process.pid} (this one).`,
    );
  }

  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;

    const holder = Number(readFileSync(file, 'utf8'));
    if (holder !== process.pid && isRunning(holder)) {
      throw new Error(
        `The embedded database in ${dir} is in use by process ${holder}. Stop that process, or set AVIOR_DATA_DIR (or PGLITE_DATA_DIR) to another folder.`,
      );
    }
    writeFileSync(file, String(process.pid));
  }

  heldHere.add(file);
  return () => {
    heldHere.delete(file);
    rmSync(file, { force: true });
  };
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;

  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
