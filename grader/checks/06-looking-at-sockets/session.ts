// Lesson 6: what the checks of the scenario "ports the grader opens, closes and leaves
// unanswered" share. Each run is started by one check and judged again by later ones: the
// exit codes of the open, closed, failing and mixed runs are checked last, once every run ended.
import type { GraderServer } from '../../net/tcp-server.ts';
import type { ScenarioCheck } from '../lesson.ts';
import type { OpenClaim } from './open-port.ts';
import type { Run } from './run.ts';
import type { SocketWatch } from './socket-watch.ts';
import type { Unreachable } from './unreachable.ts';

export interface Ports {
  /** Set by reports-open: the run for one open port, and the grader's server on it. */
  open?: { readonly run: Run; readonly server: GraderServer; readonly claim: OpenClaim };
  /** Set by reports-closed: the run for one port with nothing on it. */
  closed?: Run;
  /** Set by reports-closed: the run whose connect fails with another code, or null where this machine makes no such address. */
  error?: { readonly run: Run; readonly unreachable: Unreachable } | null;
  /** Set by silent-server-open: the run for a server that never says anything, and the watch on its connection. */
  silent?: { readonly run: Run; readonly server: GraderServer; readonly watch: SocketWatch };
}

/** What the checks of the scenario "twenty ports in one run" share. */
export interface TwentyPorts {
  /** Set by argument-order: its first mixed run, whose exit code exit-code-of-mix judges. */
  mixed?: Run;
}

export type PortsCheck = ScenarioCheck<Ports>;
export type TwentyPortsCheck = ScenarioCheck<TwentyPorts>;
