// The resources one lesson's grading hands its checks, and their cleanup: every program,
// port, connection and helper is registered here the moment it is created.
import path from 'node:path';
import type { CheckContext } from './checks/check.ts';
import { connectWhenListening } from './net/connect.ts';
import { Random } from './net/random.ts';
import { Transcript } from './net/transcript.ts';
import { scaled } from './run/deadline.ts';
import { freePort } from './run/ports.ts';
import { hasProc } from './run/proc.ts';
import { startProgram, type RunningProgram } from './run/program.ts';

/** On Linux any 127.x.y.z answers, so HOST varies with the seed and a hard-coded address fails. */
export function pickLoopbackHost(random: Random): string {
  if (!hasProc) return '127.0.0.1';
  return `127.${random.int(1, 254)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

function quoteArg(arg: string): string {
  return /^[\w.,:/=@-]+$/.test(arg) ? arg : JSON.stringify(arg);
}

/** One scenario's view of the run: its own transcript and the programs it started. */
export interface ScenarioRun {
  readonly context: CheckContext;
  readonly programs: readonly RunningProgram[];
  /**
   * An earlier scenario failed and made this one moot: its programs are stopped, so their waits
   * end now, and it starts no more (a check still setting up would otherwise run one in full).
   */
  cancel(): void;
}

/** What a cancelled scenario's check gets for starting a program; its result is not reported. */
export class ScenarioCancelled extends Error {
  constructor(file: string) {
    super(`not starting ${file}: an earlier scenario failed`);
    this.name = 'ScenarioCancelled';
  }
}

export interface GradingRun {
  readonly host: string;
  /** A context of its own for one scenario; host, seed, ports and cleanup are the run's. */
  scenario(): ScenarioRun;
  /** Every program any scenario started. */
  readonly programs: readonly RunningProgram[];
  readonly ports: readonly number[];
  /** Runs every cleanup and stops every program; returns what went wrong, if anything. */
  cleanUp(): Promise<string | undefined>;
  /** The most any one scenario waited on the program's own timers (scenarios run side by side). */
  programWaitMs(): number;
}

export interface RunOptions {
  /** The compiled JavaScript of each program, by its file name ("server.ts"). */
  readonly compiled?: ReadonlyMap<string, string>;
  /** Grade over IPv6: HOST=::1, and the grader's own peers and proxies on ::1 too. */
  readonly ipv6?: boolean;
  /** Box every program (see run/sandbox.ts), letting it read only these folders. */
  readonly box?: { readonly readOnly: readonly string[] };
}

export function createGradingRun(lessonDir: string, seed: number, runOptions: RunOptions = {}): GradingRun {
  const seeded = new Random(seed);
  // The host is drawn either way, so the rest of the seeded plan is the same over IPv6.
  const drawn = pickLoopbackHost(seeded.fork('host'));
  const host = runOptions.ipv6 ? '::1' : drawn;
  const run = {};
  const startedAt = performance.now();
  const programs: RunningProgram[] = [];
  const cleanups: Array<() => unknown> = [];
  const ports: number[] = [];
  const waits: number[] = [];

  function scenario(): ScenarioRun {
    const transcript = new Transcript({ run, startedAt });
    const own: RunningProgram[] = [];
    let cancelled = false;
    const wait = waits.push(0) - 1;
    const context: CheckContext = {
      lessonDir,
      seed,
      host,
      transcript,
      random: (purpose) => seeded.fork(purpose),
      ms: scaled,
      freePort: async (type = 'tcp') => {
        const port = await freePort(host, type);
        ports.push(port);
        return port;
      },
      start(file, options = {}) {
        if (cancelled) throw new ScenarioCancelled(file);
        const env: Record<string, string> = { HOST: host, ...options.env };
        if (options.port !== undefined) env.PORT = String(options.port);
        const program = startProgram({
          file: path.join(lessonDir, file),
          compiled: runOptions.compiled?.get(file),
          env,
          args: options.args,
          stdin: options.stdin,
          outputCapBytes: options.outputCapBytes,
          box: runOptions.box,
        });
        programs.push(program);
        own.push(program);
        const args = options.args?.length ? ` ${options.args.map(quoteArg).join(' ')}` : '';
        transcript.note('grader', `started ${file}${args} with HOST=${host}${options.port !== undefined ? ` PORT=${options.port}` : ''}`);
        return program;
      },
      connect(port, options) {
        return connectWhenListening({
          host: options.host ?? host,
          port,
          name: options.name,
          transcript,
          program: options.program,
          giveUp: options.giveUp,
          localAddress: options.localAddress,
          deadlineMs: options.deadlineMs ?? scaled(5000),
        }).then((peer) => {
          cleanups.push(() => peer.destroy());
          return peer;
        });
      },
      onCleanup: (cleanup) => void cleanups.push(cleanup),
      waitedOnProgram: (ms) => void (waits[wait]! += Math.max(0, ms)),
    };
    const cancel = () => {
      cancelled = true;
      for (const program of own) void program.stop();
    };
    return { context, programs: own, cancel };
  }

  async function cleanUp(): Promise<string | undefined> {
    const problems: string[] = [];
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        problems.push(String(error));
      }
    }
    const stops = await Promise.allSettled(programs.map((program) => program.stop()));
    for (const stop of stops) if (stop.status === 'rejected') problems.push(String(stop.reason));
    return problems.length ? problems.join('; ') : undefined;
  }

  return { host, scenario, programs, ports, cleanUp, programWaitMs: () => Math.max(0, ...waits) };
}
