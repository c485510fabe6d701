// A cgroup per program: a memory and process cap the kernel enforces, and exact membership
// (a child that calls setsid or scrubs its environment is still inside). cgroup v1 (separate
// memory and pids hierarchies) or v2 (one unified tree); where neither can be written, callers
// fall back to the process group and an RSS watchdog.
import fs from 'node:fs';
import path from 'node:path';

export interface CgroupLimits {
  readonly memoryBytes: number;
  readonly maxProcesses: number;
}

export interface Cgroup {
  /** "cgroup v1" or "cgroup v2", for reports. */
  readonly kind: string;
  /** Files a process writes its own pid into to join, before it execs the program. */
  readonly procsFiles: readonly string[];
  /** Live pids inside, whatever their session or group. */
  members(): number[];
  /** True once the kernel refused memory to the group (the OOM killer ran, or allocation failed at the cap). */
  hitMemoryCap(): boolean;
  killAll(): void;
  remove(): void;
}

const V1_ROOT = '/sys/fs/cgroup';
const PARENT = 'sockets-course';

function write(file: string, text: string): void {
  fs.writeFileSync(file, text);
}

function readPids(file: string): number[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function readNumber(file: string, key?: string): number {
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (key === undefined) return Number(text.trim());
    const line = text.split('\n').find((entry) => entry.startsWith(`${key} `));
    return line ? Number(line.split(' ')[1]) : 0;
  } catch {
    return 0;
  }
}

function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function removeDir(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // still has members for a moment, or already gone; a later run's sweep removes it
  }
}

function isV2(): boolean {
  return fs.existsSync(path.join(V1_ROOT, 'cgroup.controllers'));
}

function createV1(name: string, limits: CgroupLimits): Cgroup {
  const memory = path.join(V1_ROOT, 'memory', PARENT, name);
  const pids = path.join(V1_ROOT, 'pids', PARENT, name);
  fs.mkdirSync(memory, { recursive: true });
  fs.mkdirSync(pids, { recursive: true });
  write(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
  // Without swap accounting this file is absent; with it, swap must not extend the cap.
  if (fs.existsSync(path.join(memory, 'memory.memsw.limit_in_bytes'))) write(path.join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
  write(path.join(pids, 'pids.max'), String(limits.maxProcesses));
  const members = () => [...new Set([...readPids(path.join(memory, 'cgroup.procs')), ...readPids(path.join(pids, 'cgroup.procs'))])];
  return {
    kind: 'cgroup v1',
    procsFiles: [path.join(memory, 'cgroup.procs'), path.join(pids, 'cgroup.procs')],
    members,
    hitMemoryCap: () => readNumber(path.join(memory, 'memory.oom_control'), 'oom_kill') > 0 || readNumber(path.join(memory, 'memory.failcnt')) > 0,
    killAll: () => killPids(members()),
    remove: () => [memory, pids].forEach(removeDir),
  };
}

function createV2(name: string, limits: CgroupLimits): Cgroup {
  // Processes may not live in a v2 group that hands controllers to children, so the
  // parent only ever holds groups, never processes.
  const parent = path.join(V1_ROOT, PARENT);
  fs.mkdirSync(parent, { recursive: true });
  write(path.join(parent, 'cgroup.subtree_control'), '+memory +pids');
  const dir = path.join(parent, name);
  fs.mkdirSync(dir);
  write(path.join(dir, 'memory.max'), String(limits.memoryBytes));
  if (fs.existsSync(path.join(dir, 'memory.swap.max'))) write(path.join(dir, 'memory.swap.max'), '0');
  write(path.join(dir, 'pids.max'), String(limits.maxProcesses));
  const members = () => readPids(path.join(dir, 'cgroup.procs'));
  return {
    kind: 'cgroup v2',
    procsFiles: [path.join(dir, 'cgroup.procs')],
    members,
    hitMemoryCap: () => readNumber(path.join(dir, 'memory.events'), 'max') > 0 || readNumber(path.join(dir, 'memory.events'), 'oom_kill') > 0,
    killAll: () => {
      try {
        write(path.join(dir, 'cgroup.kill'), '1');
      } catch {
        killPids(members());
      }
    },
    remove: () => removeDir(dir),
  };
}

let counter = 0;
let swept = false;

/** Removes groups left by graders that died before their cleanup (their pid is gone). */
function sweepStale(): void {
  swept = true;
  for (const parent of [path.join(V1_ROOT, 'memory', PARENT), path.join(V1_ROOT, 'pids', PARENT), path.join(V1_ROOT, PARENT)]) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(parent).filter((name) => name.startsWith('run-'));
    } catch {
      continue;
    }
    for (const name of names) {
      const owner = Number(name.split('-')[1]);
      if (!fs.existsSync(`/proc/${owner}`)) removeDir(path.join(parent, name));
    }
  }
}

/** A fresh cgroup with these limits, or undefined where this machine lets us make none. */
export function createCgroup(limits: CgroupLimits): Cgroup | undefined {
  if (process.platform !== 'linux' || process.env.GRADER_NO_CGROUP === '1') return undefined;
  if (!swept) sweepStale();
  const name = `run-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  try {
    return isV2() ? createV2(name, limits) : createV1(name, limits);
  } catch {
    return undefined;
  }
}

/** The shell prefix that makes the started process join `cgroup` before anything of the program runs. */
export function joinCommand(cgroup: Cgroup | undefined): readonly string[] {
  if (!cgroup) return [];
  const joins = cgroup.procsFiles.map((file) => `echo $$ > ${file}`).join(' && ');
  return ['/bin/sh', '-c', `${joins} && exec "$@"`, 'sh'];
}
