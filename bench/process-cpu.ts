import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The pids of the local servers that `tools/infra/infra.mjs` started (external ones have none). */
export function infraPids(root: string): Record<string, number> {
  let text = '';
  try {
    text = execFileSync(process.execPath, [resolve(root, 'tools/infra/infra.mjs'), 'status'], { encoding: 'utf8' });
  } catch (error) {
    // `status` exits 1 when a server is down; its rows are still printed.
    text = (error as { stdout?: string }).stdout ?? '';
  }
  const pids: Record<string, number> = {};
  for (const match of text.matchAll(/^(\S+)\s.*\bpid (\d+)$/gm)) {
    if (match[1] && match[2]) pids[match[1]] = Number(match[2]);
  }
  return pids;
}

/** CPU seconds (user + system) a process has used so far; NaN once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size in MB; NaN once the process is gone. */
function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface CpuShare {
  name: string;
  /** Share of one core over the window (1 = a whole core). */
  cores: number;
  rssMb: number;
}

/**
 * Measures how much of a core each named process used between `start()` and `stop()`, so a
 * benchmark can say where the machine's time went, not only how long things took.
 */
export class ProcessCpu {
  private startedAt = 0;
  private readonly before = new Map<string, number>();

  constructor(private readonly processes: Readonly<Record<string, number>>) {}

  start(): void {
    this.startedAt = performance.now();
    for (const [name, pid] of Object.entries(this.processes)) this.before.set(name, cpuSeconds(pid));
  }

  stop(): CpuShare[] {
    const seconds = (performance.now() - this.startedAt) / 1000;
    return Object.entries(this.processes).map(([name, pid]) => ({ name, cores: (cpuSeconds(pid) - (this.before.get(name) ?? Number.NaN)) / seconds, rssMb: rssMb(pid) }));
  }
}

export function formatCpu(shares: readonly CpuShare[]): string {
  const total = shares.reduce((sum, share) => sum + (Number.isFinite(share.cores) ? share.cores : 0), 0);
  const rows = shares.map((share) => `${share.name} ${(share.cores * 100).toFixed(0)} % (RSS ${share.rssMb.toFixed(0)} MB)`);
  return `CPU per process (100 % = one core): ${rows.join(', ')}; total ${(total * 100).toFixed(0)} %`;
}
