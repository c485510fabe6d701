// Lesson 6's contract in numbers: how long a port is given, how soon the program must close and
// exit, and how long the grader waits for it.

/** The contract's "no answer in 2 s". */
export const CONNECT_TIMEOUT_MS = 2000;
/**
 * A 2 s timer does not fire (much) early, so "timeout" sooner than this after the connect began
 * is a shorter timeout. Not scaled: a slow machine only makes the answer later.
 */
export const TIMEOUT_SOONEST_MS = CONNECT_TIMEOUT_MS - 200;
/** How much later than 2 s "timeout" may come, before scaling: a loaded machine's timers and pipes lag. */
export const TIMEOUT_SLACK_MS = 2000;
/**
 * The longest the kernel may show the program's connect to the unanswered port still trying.
 * Not scaled: a socket the kernel showed at two looks existed at least that long, whatever the
 * load, and a 2 s timer is late by far less than a second even on a busy machine.
 */
export const CONNECT_GIVEN_UP_MS = 3000;
/** The longest the kernel may show the program's connection to an open port established: "closes as soon as it knows". Not scaled, for the same reason. */
export const HOLD_MS = 1000;
/** The contract's "exits after its last answer", before scaling. */
export const EXIT_MS = 1000;
/** How long the grader waits for its server to accept the connection behind an "open", before scaling. */
export const ACCEPT_MS = 2000;
/** Long enough for node + tsx to start on a loaded machine and for one or two 2 s timeouts. */
export const RUN_MS = 15_000;
/** How many ports the mixed runs check. */
export const MIX_SIZE = 20;

export type PortState = 'open' | 'closed' | 'timeout';
