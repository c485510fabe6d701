// Lesson 6: the kernel's TCP table, looked at on a thread of its own. The main thread runs other
// checks and other gradings; on a loaded machine it is scheduled out for hundreds of
// milliseconds, and looks taken on its timers would miss what happened meanwhile (a socket held
// half-closed for 2 s seen for 1). A thread that does nothing but look every LOOK_MS is woken on
// time, and stamps each look when it read the table. One thread serves every watch of a process.
import { Worker } from 'node:worker_threads';
import { withDeadline } from '../../run/deadline.ts';

// Each look makes the kernel walk its whole TCP table (milliseconds of CPU, whatever the socket
// count); 40 ms apart still times a 2 s timeout to within 2%.
const LOOK_MS = 40;
/** How long the thread may take to answer a look asked for (it starts in tens of milliseconds). */
const ANSWER_MS = 5000;

/** What a watch looks for: rows whose peer is `remote` ("0100007F:1F90"), in one of `states`. */
export interface TableQuery {
  readonly ipv6: boolean;
  readonly remote: string;
  /** /proc/net/tcp state codes ("01" established, …). */
  readonly states: readonly string[];
  /** States among those that mean half-closed by this end. */
  readonly halfClosed: readonly string[];
  /** Only sockets a process still holds (inode not 0). */
  readonly heldOnly: boolean;
}

/** One look for one watch: when the table was read, and the local end of each row found. */
export interface TableLook {
  /** Date.now() on the thread when it read the table; undefined `found` if it could not. */
  readonly at: number;
  readonly found?: ReadonlyArray<readonly [local: string, halfClosed: boolean]>;
}

// Plain JavaScript, evaluated by the worker: it must not depend on the grader's TypeScript loader.
const THREAD = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const queries = new Map();
let timer;
function read(ipv6) {
  try { return readFileSync(ipv6 ? '/proc/net/tcp6' : '/proc/net/tcp', 'latin1'); } catch { return undefined; }
}
function find(text, query) {
  if (text === undefined) return undefined;
  const found = [];
  for (const line of text.split('\\n')) {
    if (!line.includes(query.remote)) continue;
    const fields = line.trim().split(/\\s+/);
    if (fields[2] !== query.remote || !query.states.includes(fields[3])) continue;
    if (query.heldOnly && fields[9] === '0') continue;
    found.push([fields[1], query.halfClosed.includes(fields[3])]);
  }
  return found;
}
function look(ids) {
  const texts = new Map();
  const at = Date.now();
  const looks = [];
  for (const id of ids) {
    const query = queries.get(id);
    if (!query) continue;
    if (!texts.has(query.ipv6)) texts.set(query.ipv6, read(query.ipv6));
    looks.push({ id, at, found: find(texts.get(query.ipv6), query) });
  }
  return looks;
}
parentPort.on('message', (order) => {
  if (order.kind === 'watch') {
    queries.set(order.id, order.query);
    timer ??= setInterval(() => parentPort.postMessage({ kind: 'looks', looks: look([...queries.keys()]) }), order.lookMs);
  } else if (order.kind === 'unwatch') {
    queries.delete(order.id);
    if (!queries.size) { clearInterval(timer); timer = undefined; }
    return;
  }
  parentPort.postMessage({ kind: 'answer', token: order.token, looks: look([order.id]) });
});
`;

interface ThreadLook extends TableLook {
  readonly id: number;
}
type FromThread = { readonly kind: 'looks'; readonly looks: ThreadLook[] } | { readonly kind: 'answer'; readonly token: number; readonly looks: ThreadLook[] };

interface Watcher {
  readonly onLook: (look: TableLook) => void;
}

let thread: Worker | undefined;
let failure: string | undefined;
let nextId = 1;
const watchers = new Map<number, Watcher>();
const waiting = new Map<number, (looks: ThreadLook[]) => void>();

function deliver(looks: readonly ThreadLook[]): void {
  for (const look of looks) watchers.get(look.id)?.onLook(look);
}

function theThread(): Worker {
  if (thread) return thread;
  const worker = new Worker(THREAD, { eval: true });
  worker.on('message', (message: FromThread) => {
    deliver(message.looks);
    if (message.kind === 'answer') waiting.get(message.token)?.(message.looks);
  });
  // A thread that failed proves nothing: every watch reads as unreadable from then on.
  worker.on('error', (error) => (failure = error.message));
  worker.on('exit', () => {
    thread = undefined;
    failure ??= 'the socket table thread ended';
    for (const resolve of waiting.values()) resolve([]);
    waiting.clear();
  });
  worker.unref();
  thread = worker;
  return worker;
}

function ask(order: { readonly kind: 'watch' | 'look'; readonly id: number; readonly query?: TableQuery; readonly lookMs?: number }, what: string): Promise<TableLook> {
  const token = nextId++;
  const answered = new Promise<TableLook>((resolve) => {
    waiting.set(token, (looks) => resolve(looks[0] ?? { at: Date.now() }));
  });
  const worker = theThread();
  // Held while a watch waits on it; between watches the thread must not keep the process alive.
  worker.ref();
  worker.postMessage({ ...order, token });
  return withDeadline(answered, ANSWER_MS, what).finally(() => {
    waiting.delete(token);
    if (!watchers.size) thread?.unref();
  });
}

/** A watch of the table, looked at every LOOK_MS on the thread until stopped. */
export class TableWatch {
  private constructor(
    private readonly id: number,
    private stopped = false,
  ) {}

  /** Starts watching: the first look (taken now) is returned, the later ones go to `onLook` as they come. */
  static async start(query: TableQuery, onLook: (look: TableLook) => void): Promise<{ readonly watch: TableWatch; readonly first: TableLook }> {
    const id = nextId++;
    watchers.set(id, { onLook: () => {} });
    let first: TableLook;
    try {
      first = failure ? { at: Date.now() } : await ask({ kind: 'watch', id, query, lookMs: LOOK_MS }, 'the socket table thread to take its first look');
    } catch (error) {
      // Not left registered: a watcher keeps the thread, and so the process, alive.
      watchers.delete(id);
      if (!watchers.size) thread?.unref();
      throw error;
    }
    watchers.set(id, { onLook });
    return { watch: new TableWatch(id), first };
  }

  /** Looks once more now; every look before it has been delivered when this resolves. */
  async lookNow(): Promise<void> {
    if (this.stopped || failure) return;
    await ask({ kind: 'look', id: this.id }, 'the socket table thread to look');
  }

  /** A last look, then no more. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.lookNow().catch(() => {});
    this.stopped = true;
    watchers.delete(this.id);
    thread?.postMessage({ kind: 'unwatch', id: this.id });
    if (!watchers.size) thread?.unref();
  }
}
