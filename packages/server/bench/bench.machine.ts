import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';

export interface MachineDescription {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  /** One-minute load average when the bench started and when it ended, from os.loadavg(). */
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
}

/** Returns the one-minute load average, to record how busy the machine was. */
export function readLoadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

/** Describes the machine the figures were measured on. */
export async function describeMachine(loadAtStart: number): Promise<MachineDescription> {
  return {
    cpus: availableParallelism(),
    cpuModel: await readCpuModel(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { atStart: loadAtStart, atEnd: readLoadAverage() },
  };
}

// Only Linux has /proc/cpuinfo, so on other systems the model is reported as unknown.
async function readCpuModel(): Promise<string> {
  try {
    const cpuinfo = await readFile('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
