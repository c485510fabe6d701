// Starts a learner's program as the grader wants it: its own process group, only the
// environment it needs, a capped heap and capped output, and a stop() that leaves nothing behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createCgroup, joinCommand, type Cgroup } from './cgroup.ts';
import { CappedOutput } from './output.ts';
import { formatDuration, pollUntil, scaled, settledWithin } from './deadline.ts';
import { hasProc, isLive, liveDescendants, liveGroupMembers, residentBytes, socketInodesOf } from './proc.ts';
import { boxCommand, nodeForBox, unboxExit } from './sandbox.ts';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const nodeBinary = fs.realpathSync(process.execPath);

/**
 * How long output may still arrive after a program exited. Its pipes close within milliseconds
 * on a quiet machine, but a loaded one can take far longer to read the last of them, and a
 * result taken before is a program that "printed nothing"; only an escaped grandchild holding
 * the pipes open makes this wait run out.
 */
const OUTPUT_DRAIN_MS = 3000;

/** What one program (with everything it starts) may use. */
export const PROGRAM_LIMITS = { memoryBytes: 512 * 1024 * 1024, maxProcesses: 64 } as const;
const WATCHDOG_INTERVAL_MS = 250;

/** setpriv's parent-death signal: a grader killed by SIGKILL still takes its direct children along. */
const pdeathsig = process.platform === 'linux' && fs.existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--'] : [];

export interface ProgramOptions {
  /** Absolute path of the learner's .ts file: its name labels the program, its folder is the cwd. */
  readonly file: string;
  /** The compiled JavaScript to run with plain node (run/compile.ts); without it, tsx runs `file`. */
  readonly compiled?: string;
  /** The only environment the program sees besides PATH (HOST, PORT, …). */
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  /** Written to stdin, which is then closed (a stream is piped in: stdin ends when it ends); without it stdin is closed from the start. */
  readonly stdin?: string | Buffer | Readable;
  /** Bytes of stdout and of stderr kept; more is counted and dropped. */
  readonly outputCapBytes?: number;
  readonly heapMb?: number;
  /** Safety net: the group is killed after this long whatever the checks do. */
  readonly maxLifetimeMs?: number;
  /** Run in a bubblewrap box that sees only these folders (read-only) besides the system's. */
  readonly box?: { readonly readOnly: readonly string[] };
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
  /** Set when the grader's memory cap is why it died. */
  readonly overMemoryCap?: boolean;
}

export function describeExit(exit: ExitInfo): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return exit.overMemoryCap ? `${how} after going over the ${PROGRAM_LIMITS.memoryBytes / 1024 / 1024} MiB memory cap` : how;
}

const live = new Set<RunningProgram>();

export class RunningProgram {
  readonly label: string;
  readonly stdout: CappedOutput;
  readonly stderr: CappedOutput;
  readonly exited: Promise<ExitInfo>;
  readonly startedAt = Date.now();
  readonly pid: number;
  /** How the program's processes are tracked and capped: "cgroup v1", "process group", … */
  readonly containment: string;
  exit: ExitInfo | undefined;
  private readonly lifetime: NodeJS.Timeout;
  private readonly cgroup: Cgroup | undefined;
  private readonly watchdog: NodeJS.Timeout | undefined;
  /** Every pid seen belonging to this run, so a child that left the group is still stopped. */
  private readonly seen = new Set<number>();
  /** Its stdout and stderr, socket pairs to the grader: never a socket it opened itself. */
  readonly stdioSockets: ReadonlySet<number>;
  private overMemoryCap = false;
  /** Node reaped the direct child: before that its pid is live even outside the cgroup, which it joins a moment after the spawn. */
  private reaped = false;

  constructor(readonly options: ProgramOptions) {
    this.label = path.basename(options.file);
    const cap = options.outputCapBytes ?? 256 * 1024;
    this.stdout = new CappedOutput(cap);
    this.stderr = new CappedOutput(cap);
    this.cgroup = createCgroup(PROGRAM_LIMITS);
    const cwd = path.dirname(options.file);
    const wrapper = options.box ? boxCommand({ readOnly: options.box.readOnly, cwd }) : pdeathsig;
    const heap = `--max-old-space-size=${options.heapMb ?? 256}`;
    const run = options.compiled ? ['--enable-source-maps', options.compiled] : ['--import', tsxLoader, options.file];
    const nodeArgs = [heap, ...run, ...(options.args ?? [])];
    const [command, ...args] = [...joinCommand(this.cgroup), ...wrapper, options.box ? nodeForBox() : nodeBinary, ...nodeArgs];
    // node:child_process, not execa: loading execa cost the grader about 300 ms at every start,
    // and nothing here needs more than pipes and a process group.
    const subprocess = spawn(command!, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    subprocess.once('error', () => {}); // a spawn failure leaves pid undefined, handled below
    if (subprocess.pid === undefined) throw new Error(`could not start node for ${options.file}`);
    this.pid = subprocess.pid;
    this.seen.add(this.pid);
    // Read at the spawn, before the program can close and reuse these descriptors.
    this.stdioSockets = hasProc ? socketInodesOf(this.pid, [0, 1, 2]) : new Set();
    live.add(this);
    this.containment = [options.box ? 'bubblewrap' : undefined, this.cgroup?.kind ?? (hasProc ? 'process group, RSS watchdog' : 'process group')]
      .filter(Boolean)
      .join(', ');
    subprocess.stdout?.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    subprocess.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    if (options.stdin !== undefined) {
      subprocess.stdin?.on('error', () => {}); // the program may exit without reading it all
      if (options.stdin instanceof Readable) {
        if (subprocess.stdin) options.stdin.pipe(subprocess.stdin);
      } else subprocess.stdin?.end(options.stdin);
    }
    // 'exit' fires when the process itself ends, possibly before the last of its output has
    // been read; wait for its pipes to close too, but not for long: an escaped grandchild
    // may hold them open.
    const drained = Promise.all(
      [subprocess.stdout, subprocess.stderr].map((stream) => (stream ? new Promise((done) => stream.once('close', done)) : undefined)),
    );
    this.exited = new Promise((resolve) => {
      subprocess.once('exit', (rawCode, rawSignal) => {
        this.reaped = true;
        const finish = () => {
          const { code, signal } = options.box ? unboxExit(rawCode, rawSignal) : { code: rawCode, signal: rawSignal };
          const overMemoryCap = this.overMemoryCap || this.cgroup?.hitMemoryCap() === true;
          this.exit = overMemoryCap && signal === 'SIGKILL' ? { code, signal, overMemoryCap } : { code, signal };
          resolve(this.exit);
        };
        const timer = setTimeout(finish, scaled(OUTPUT_DRAIN_MS));
        void drained.then(() => (clearTimeout(timer), finish()));
      });
    });
    this.lifetime = setTimeout(() => void this.stop(), options.maxLifetimeMs ?? scaled(120_000));
    this.lifetime.unref();
    // Without a memory cgroup the cap is kept by looking: RSS of everything the program started.
    if (!this.cgroup && hasProc) {
      this.watchdog = setInterval(() => this.watch(), WATCHDOG_INTERVAL_MS);
      this.watchdog.unref();
    }
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  private watch(): void {
    const pids = this.leftovers();
    const rss = pids.reduce((sum, pid) => sum + residentBytes(pid), 0);
    if (rss > PROGRAM_LIMITS.memoryBytes) {
      this.overMemoryCap = true;
      this.signal('SIGKILL', pids);
    }
  }

  /** Every pid this run was seen to have (for tests that prove none is left). */
  get pidsSeen(): readonly number[] {
    return [...this.seen];
  }

  /** Every live process of this run: its cgroup, else its group, its descendants and any seen before. */
  leftovers(): number[] {
    if (this.cgroup) {
      const members = this.cgroup.members();
      for (const pid of members) this.seen.add(pid);
      // Stopped right after the spawn, the shell may not have joined yet: it is still ours.
      return this.reaped || members.includes(this.pid) ? members : [this.pid, ...members];
    }
    if (!hasProc) {
      try {
        process.kill(-this.pid, 0);
        return [this.pid];
      } catch {
        return [];
      }
    }
    const found = [...liveGroupMembers(this.pid), ...(isLive(this.pid) ? [this.pid, ...liveDescendants(this.pid)] : [])];
    for (const pid of found) this.seen.add(pid);
    return [...this.seen].filter(isLive);
  }

  /** Synchronous last resort, for the grader's own exit. */
  killEverything(): void {
    this.cgroup?.killAll();
    this.cgroup?.remove();
  }

  private signal(signal: NodeJS.Signals, pids: readonly number[]): void {
    for (const target of [-this.pid, ...pids]) {
      try {
        process.kill(target, signal);
      } catch {
        // already gone
      }
    }
  }

  /** TERM to the whole group, KILL after `graceMs`, and wait until nothing of the run is left. */
  async stop(graceMs = scaled(500)): Promise<void> {
    clearTimeout(this.lifetime);
    clearInterval(this.watchdog);
    const isGone = () => (this.leftovers().length === 0 ? true : undefined);
    try {
      if (!isGone()) {
        this.signal('SIGTERM', this.leftovers());
        try {
          await pollUntil(isGone, graceMs, `${this.label} to stop after SIGTERM`);
        } catch {
          this.signal('SIGKILL', this.leftovers());
          this.cgroup?.killAll();
          const killWait = scaled(5000);
          await pollUntil(() => (this.cgroup?.killAll(), isGone()), killWait, `${this.label} to die after SIGKILL`).catch(() => {
            throw new Error(`${this.label} (pid ${this.pid}) still had processes ${formatDuration(killWait)} after SIGKILL`);
          });
        }
      }
    } finally {
      this.cgroup?.remove();
      live.delete(this);
    }
    // Nothing of it is left, so its pipes close at once: its exit is known when stop returns.
    await settledWithin(this.exited, scaled(OUTPUT_DRAIN_MS));
  }
}

export function startProgram(options: ProgramOptions): RunningProgram {
  return new RunningProgram(options);
}

/** Stops every program still running; the grader calls it at the end of a lesson and on Ctrl-C. */
export async function stopAllPrograms(): Promise<void> {
  await Promise.all([...live].map((program) => program.stop()));
}

export function livePrograms(): readonly RunningProgram[] {
  return [...live];
}

// Last resort if the grader itself dies: no learner process outlives it.
process.on('exit', () => {
  for (const program of live) {
    try {
      process.kill(-program.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    program.killEverything();
  }
});
