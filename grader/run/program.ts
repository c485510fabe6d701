// Starts a learner's program as the grader wants it: its own process group, only the
// environment it needs, a capped heap and capped output, and a stop() that leaves nothing behind.
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CappedOutput } from './output.ts';
import { formatDuration, pollUntil, scaled } from './deadline.ts';
import { hasProc, liveGroupMembers, processesWithEnv } from './proc.ts';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** How long output may still arrive after a program exited. */
const OUTPUT_DRAIN_MS = 300;

/** Name of the variable every started program carries, so escaped grandchildren can be found. */
export const RUN_ID_VARIABLE = 'SOCKETS_COURSE_RUN_ID';

export interface ProgramOptions {
  /** Absolute path of the .ts file to run. */
  readonly file: string;
  /** The only environment the program sees besides PATH and the run id (HOST, PORT, …). */
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  /** Written to stdin, which is then closed; without it stdin is closed from the start. */
  readonly stdin?: string | Buffer;
  /** Bytes of stdout and of stderr kept; more is counted and dropped. */
  readonly outputCapBytes?: number;
  readonly heapMb?: number;
  /** Safety net: the group is killed after this long whatever the checks do. */
  readonly maxLifetimeMs?: number;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
}

export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

const live = new Set<RunningProgram>();

export class RunningProgram {
  readonly label: string;
  readonly runId = randomUUID();
  readonly stdout: CappedOutput;
  readonly stderr: CappedOutput;
  readonly exited: Promise<ExitInfo>;
  readonly startedAt = Date.now();
  readonly pid: number;
  exit: ExitInfo | undefined;
  private readonly lifetime: NodeJS.Timeout;

  constructor(readonly options: ProgramOptions) {
    this.label = path.basename(options.file);
    const cap = options.outputCapBytes ?? 256 * 1024;
    this.stdout = new CappedOutput(cap);
    this.stderr = new CappedOutput(cap);
    const nodeArgs = [`--max-old-space-size=${options.heapMb ?? 256}`, '--import', tsxLoader, options.file];
    const subprocess = execa(process.execPath, [...nodeArgs, ...(options.args ?? [])], {
      cwd: path.dirname(options.file),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', [RUN_ID_VARIABLE]: this.runId, ...options.env },
      extendEnv: false,
      detached: true,
      buffer: false,
      reject: false,
      stdin: options.stdin === undefined ? 'ignore' : 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
    });
    if (subprocess.pid === undefined) throw new Error(`could not start node for ${options.file}`);
    this.pid = subprocess.pid;
    live.add(this);
    subprocess.stdout?.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    subprocess.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    if (options.stdin !== undefined) {
      subprocess.stdin?.on('error', () => {}); // the program may exit without reading it all
      subprocess.stdin?.end(options.stdin);
    }
    // 'exit' fires when the process itself ends, possibly before the last of its output has
    // been read; wait for its pipes to close too, but not for long: an escaped grandchild
    // may hold them open.
    const drained = Promise.all(
      [subprocess.stdout, subprocess.stderr].map((stream) => (stream ? new Promise((done) => stream.once('close', done)) : undefined)),
    );
    this.exited = new Promise((resolve) => {
      subprocess.once('exit', (code, signal) => {
        const finish = () => {
          this.exit = { code, signal };
          resolve(this.exit);
        };
        const timer = setTimeout(finish, OUTPUT_DRAIN_MS);
        void drained.then(() => (clearTimeout(timer), finish()));
      });
    });
    subprocess.catch(() => {});
    this.lifetime = setTimeout(() => void this.stop(), options.maxLifetimeMs ?? scaled(120_000));
    this.lifetime.unref();
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Every process this run left: the group, and on Linux anything that carries its run id. */
  leftovers(): number[] {
    if (hasProc) {
      return [...new Set([...liveGroupMembers(this.pid), ...processesWithEnv(RUN_ID_VARIABLE, this.runId)])];
    }
    try {
      process.kill(-this.pid, 0);
      return [this.pid];
    } catch {
      return [];
    }
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
    const isGone = () => (this.leftovers().length === 0 ? true : undefined);
    if (!isGone()) {
      this.signal('SIGTERM', this.leftovers());
      try {
        await pollUntil(isGone, graceMs, `${this.label} to stop after SIGTERM`);
      } catch {
        this.signal('SIGKILL', this.leftovers());
        const killWait = scaled(5000);
        await pollUntil(isGone, killWait, `${this.label} to die after SIGKILL`).catch(() => {
          throw new Error(`${this.label} (pid ${this.pid}) still had processes ${formatDuration(killWait)} after SIGKILL`);
        });
      }
    }
    live.delete(this);
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
  }
});
