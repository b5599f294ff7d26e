import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.ts';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'avior-lock-'));
}

describe('lockDataDir', () => {
  it('writes this process id and removes it on release', () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, 'avior.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(() => readFileSync(join(dir, 'avior.lock'))).toThrow();
  });

  it('refuses a folder held by a running process', async () => {
    const dir = freshDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      writeFileSync(join(dir, 'avior.lock'), String(holder.pid));
      expect(() => lockDataDir(dir)).toThrow(`in use by process ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that ended', async () => {
    const dir = freshDir();
    const ended = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => ended.once('exit', resolve));
    writeFileSync(join(dir, 'avior.lock'), String(ended.pid));
    lockDataDir(dir);
    expect(readFileSync(join(dir, 'avior.lock'), 'utf8')).toBe(String(process.pid));
  });
});
