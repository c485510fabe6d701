import type { Readable } from 'node:stream';
import type { TcpPeer } from '../net/tcp-peer.ts';
import type { Random } from '../net/random.ts';
import type { Transcript } from '../net/transcript.ts';
import type { RunningProgram } from '../run/program.ts';

/** A mistake a check recognised from what it observed: a stable id and the hint aimed at it. */
export interface Diagnosis {
  /** Stable across versions: reports, class counts and the catalogue use it. "little-endian-length". */
  readonly id: string;
  readonly hint: string;
}

/** A lesson's diagnoses, declared in one place: each key is the id, each value the hint. */
export function defineDiagnoses<const T extends Record<string, string>>(hints: T): { readonly [K in keyof T]: Diagnosis } {
  return Object.fromEntries(Object.entries(hints).map(([id, hint]) => [id, { id, hint }])) as { readonly [K in keyof T]: Diagnosis };
}

/** The diagnosis with a fact of this run put before its hint: "It stopped after 13 bytes." */
export function withFact(diagnosis: Diagnosis, fact: string): Diagnosis {
  return { id: diagnosis.id, hint: `${fact} ${diagnosis.hint}` };
}

/** What a failed check observed. The reporter alone turns these facts into text. */
export interface FailureFacts {
  /** One line: what the program did wrong. */
  readonly summary: string;
  readonly expected?: string;
  readonly actual?: string;
  /** The mistake recognised; without one, the check's general hint is given. */
  readonly diagnosis?: Diagnosis;
}

/** The learner's program behaved wrongly: a failed check, not a grader error. */
export class CheckFailure extends Error {
  constructor(readonly facts: FailureFacts) {
    super(facts.summary);
    this.name = 'CheckFailure';
  }
}

export function fail(summary: string, more: Omit<FailureFacts, 'summary'> = {}): never {
  throw new CheckFailure({ summary, ...more });
}

/** The check cannot run on this machine; it is reported as skipped with the reason, never as passed. */
export class CheckSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CheckSkipped';
  }
}

export function skip(reason: string): never {
  throw new CheckSkipped(reason);
}

export interface StartOptions {
  /** Sets PORT; omit for programs that take no port. */
  readonly port?: number;
  readonly args?: readonly string[];
  /** A stream is piped in, so a check can end stdin when it chooses. */
  readonly stdin?: string | Buffer | Readable;
  readonly env?: Readonly<Record<string, string>>;
  readonly outputCapBytes?: number;
}

export interface ConnectOptions {
  readonly name: string;
  /** Stop waiting as soon as this program exits. */
  readonly program?: RunningProgram;
  readonly deadlineMs?: number;
  readonly host?: string;
  /** Checked between attempts: stop waiting early when this says it is hopeless. */
  readonly giveUp?: () => boolean;
  /** Connect from this loopback address instead of the kernel's choice (127.0.0.1 for every 127.x host). */
  readonly localAddress?: string;
}

/** Everything a check may use; every resource it hands out is cleaned up after the lesson. */
export interface CheckContext {
  /** Folder holding the learner's files for this lesson. */
  readonly lessonDir: string;
  readonly seed: number;
  /** The loopback address this run gives programs as HOST. */
  readonly host: string;
  readonly transcript: Transcript;
  /** A seeded random stream for one purpose. */
  random(purpose: string): Random;
  /** A deadline in ms, scaled by GRADER_TIME_SCALE. */
  ms(milliseconds: number): number;
  freePort(type?: 'tcp' | 'udp'): Promise<number>;
  /** Starts a learner program from the lesson folder with HOST (and PORT) set. */
  start(file: string, options?: StartOptions): RunningProgram;
  /** Connects to HOST:port, polling until something listens. */
  connect(port: number, options: ConnectOptions): Promise<TcpPeer>;
  /** Registers cleanup to run when the lesson's grading ends, in reverse order. */
  onCleanup(cleanup: () => unknown): void;
  /**
   * Counts time this scenario waited on a timer the contract lets the program choose (lesson 4's
   * retry timer): no grader can be faster, so the bench takes it as the lesson's floor.
   */
  waitedOnProgram(ms: number): void;
}
