import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** Every child this benchmark started; killed on the way out whatever happens. */
const children = new Set<ChildProcess>();
let hooked = false;

function killAllNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAllNow();
      process.exit(130);
    });
  }
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** stdout and stderr of the child go to `<logDir>/<name>.log`. */
  logDir: string;
  ipc?: boolean;
}

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(options: SpawnOptions): Child {
  hookExit();
  const logFile = join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${options.name} (${options.command})`);
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => children.delete(child));
  return {
    name: options.name,
    pid: child.pid,
    process: child,
    logFile,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function stopAll(): Promise<void> {
  const running = [...children];
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
        }),
    ),
  );
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The last lines of a child's log, for error messages. */
export function logTail(logFile: string, lines = 5): string {
  try {
    return readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join(' | ').slice(0, 1_000);
  } catch {
    return `(no log at ${logFile})`;
  }
}

/** Polls `url` until it answers with any HTTP status, at most `attempts` times. */
export async function waitForHttp(url: string, child: Child, attempts = 200): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited with code ${child.process.exitCode}: ${logTail(child.logFile)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${child.name} did not answer on ${url} after ${attempts} attempts; see ${child.logFile}`);
}

let clockTicks: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux builds). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcessSample {
  rssBytes: number;
  /** Peak resident set size since the process started (VmHWM). */
  peakRssBytes: number;
  /** User plus system CPU time since the process started. */
  cpuSeconds: number;
  /** The system (kernel) part of cpuSeconds: syscalls, and on loopback much of the TCP work of both ends. */
  systemCpuSeconds: number;
}

function sampleOne(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssBytes: kilobytes('VmRSS') * 1024, peakRssBytes: kilobytes('VmHWM') * 1024, cpuSeconds: ticks / ticksPerSecond(), systemCpuSeconds: Number(fields[12]) / ticksPerSecond() };
}

/** The processes whose parent is `pid` (the workers of `switchyard start --workers N`). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // The process ended while the folder was read.
    }
  }
  return children;
}

/**
 * Reads resident memory and CPU time of a process and its child processes from /proc (summed, so a clustered
 * gateway counts all its workers); undefined where /proc is not available.
 */
export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    const total = sampleOne(pid);
    for (const child of childrenOf(pid)) {
      try {
        const sample = sampleOne(child);
        total.rssBytes += sample.rssBytes;
        total.peakRssBytes += sample.peakRssBytes;
        total.cpuSeconds += sample.cpuSeconds;
        total.systemCpuSeconds += sample.systemCpuSeconds;
      } catch {
        // The child ended between the listing and the read.
      }
    }
    return total;
  } catch {
    return undefined;
  }
}

/** Samples a process every `intervalMs` until stopped; keeps the highest RSS seen. */
export function watchProcess(pid: number, intervalMs = 100) {
  let peakRssBytes = 0;
  let samples = 0;
  const take = () => {
    const sample = sampleProcess(pid);
    if (sample) {
      peakRssBytes = Math.max(peakRssBytes, sample.rssBytes);
      samples += 1;
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakRssBytes, samples };
    },
  };
}

/**
 * CPU seconds the whole machine (all cores) has spent since boot, from the `cpu` line of /proc/stat: busy running
 * something (user, nice, system, irq, softirq) and stolen by the hypervisor (steal: time this virtual machine was
 * ready to run but the host ran something else).
 */
function machineCpuSeconds(): { busy: number; steal: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return { busy: (user + nice + system + irq + softirq) / ticksPerSecond(), steal: steal / ticksPerSecond() };
  } catch {
    return undefined;
  }
}

function totalTicks(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0);
}

/** CPU seconds of this process, of the children it has reaped, and of its live children and theirs (utime, stime, cutime, cstime). */
function ownTreeSeconds(): number | undefined {
  try {
    let ticks = totalTicks('/proc/self/stat');
    for (const child of children) {
      // A child's own children count too: the workers of `switchyard start --workers N`.
      if (child.pid === undefined) continue;
      for (const pid of [child.pid, ...childrenOf(child.pid)]) {
        try {
          ticks += totalTicks(`/proc/${pid}/stat`);
        } catch {
          // exited between the listing and the read; its time is in cutime once reaped
        }
      }
    }
    return ticks / ticksPerSecond();
  } catch {
    return undefined;
  }
}

export interface MachineUse {
  /** CPU seconds processes outside the benchmark used (steal not included). */
  otherCpuSeconds: number;
  /** The same as a share of the machine (all cores) over the window. */
  shareOfMachine: number;
  /** CPU seconds the hypervisor gave to something else while this machine was ready to run (steal). */
  stealCpuSeconds: number;
  /** The same as a share of the machine over the window. */
  stealShare: number;
}

/**
 * Measures how much CPU other processes on the machine took while the benchmark ran, and how much the hypervisor
 * stole: both compete for the same cores and skew every figure. Our own time is this process and every child it
 * started, live or reaped.
 */
export function watchMachine() {
  const started = performance.now();
  const before = machineCpuSeconds();
  const ownBefore = ownTreeSeconds();
  return {
    stop(): MachineUse | undefined {
      const after = machineCpuSeconds();
      const ownAfter = ownTreeSeconds();
      if (before === undefined || ownBefore === undefined || after === undefined || ownAfter === undefined) return undefined;
      const otherCpuSeconds = Math.max(0, after.busy - before.busy - (ownAfter - ownBefore));
      const stealCpuSeconds = Math.max(0, after.steal - before.steal);
      const capacity = ((performance.now() - started) / 1_000) * cpus().length;
      return {
        otherCpuSeconds: Number(otherCpuSeconds.toFixed(2)),
        shareOfMachine: Number((otherCpuSeconds / capacity).toFixed(3)),
        stealCpuSeconds: Number(stealCpuSeconds.toFixed(2)),
        stealShare: Number((stealCpuSeconds / capacity).toFixed(3)),
      };
    },
  };
}
