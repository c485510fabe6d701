// `npm run observe` answered the way a learner would: each question read from its output, the
// answer found with ss or lsof from here, typed on its stdin. Right answers pass and are recorded;
// a realistic wrong answer to each question is marked wrong; stdin closed or Ctrl-C ends the run
// with nothing left listening and its processes gone.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../grader/main.ts';
import { planObservation } from '../grader/observe/plan.ts';
import { missingKernelView, parseTcpTable, tcpTable } from '../grader/observe/tcp-table.ts';
import { repoRoot } from '../grader/paths.ts';
import { pollUntil } from '../grader/run/deadline.ts';
import { hasProc, isLive, liveDescendants } from '../grader/run/proc.ts';
import { recordingIo } from './helpers/io.ts';

const linux = process.platform === 'linux' && hasProc;

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'observe-'));
});
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Asked {
  readonly id: string;
  readonly text: string;
}

class Session {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private asked = 0;
  readonly exited: Promise<number | null>;

  constructor(seed: number, progressFile: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'grader', 'cli.ts'), 'observe', '--seed', String(seed)], {
      cwd: repoRoot,
      env: { ...process.env, SOCKETS_COURSE_PROGRESS: progressFile, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + os.constants.signals[signal] : null))));
  }

  get host(): string {
    return /Observing sockets on (\S+) /.exec(this.stdout)![1]!;
  }

  /** The next question, once its prompt "> " is printed. */
  async next(): Promise<Asked> {
    this.asked++;
    const marker = `Question ${this.asked} of 5 (`;
    let gone = false;
    void this.exited.then(() => (gone = true));
    // The output as it is when the wait ends, not when it began: what a failure needs to show.
    const output = () => `stdout: ${JSON.stringify(this.stdout.slice(-2000))}; stderr: ${JSON.stringify(this.stderr.slice(-2000))}`;
    const asked = await pollUntil(
      () => {
        const start = this.stdout.indexOf(marker);
        if (start < 0) return gone ? ('exited' as const) : undefined;
        const rest = this.stdout.slice(start);
        const end = rest.indexOf('\n> ');
        if (end < 0) return gone ? ('exited' as const) : undefined;
        return { id: /\(([\w-]+)\)/.exec(rest)![1]!, text: rest.slice(0, end) };
      },
      60_000,
      `question ${this.asked} from npm run observe`,
    ).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; ${output()}`);
    });
    if (asked === 'exited') throw new Error(`npm run observe exited before question ${this.asked}; ${output()}`);
    return asked;
  }

  answer(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** The verdict printed after the latest answer. */
  async verdict(): Promise<string> {
    const asked = this.asked;
    return pollUntil(() => {
      const after = this.stdout.split(`Question ${asked} of 5 (`)[1] ?? '';
      const line = after.split('\n').find((l) => /^(> )?[✓✗] /.test(l));
      return line?.replace(/^> /, '');
    }, 30_000, `the verdict on answer ${asked}`);
  }
}

function sh(command: string): string {
  return execFileSync('sh', ['-c', command], { encoding: 'utf8' });
}

/** ss -H rows split into columns, the State column dropped when ss prints one. */
function ssRows(command: string): string[][] {
  return sh(command)
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => line.trim().split(/\s+/))
    .map((fields) => (/^\d+$/.test(fields[0]!) ? fields : fields.slice(1)));
}

const portOf = (endpoint: string) => Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
const filterOf = (text: string) => {
  const [, host, port] = /(?:src|dst) ([\d.]+):(\d+)/.exec(text)!;
  return { host: host!, port: Number(port) };
};

/** What a learner finds with the tools for each question; `wrong` is a realistic mistake. */
function answerFor(asked: Asked, wrong: boolean): string {
  const { host, port } = filterOf(asked.text);
  switch (asked.id) {
    case 'listener-pid': {
      const pids = sh(`lsof -nP -t -iTCP:${port} -sTCP:LISTEN`).trim().split('\n');
      expect(pids).toHaveLength(1);
      return wrong ? String(process.pid) : pids[0]!; // a PID of some other node process
    }
    case 'client-port': {
      const rows = ssRows(`ss -Htn state established '( dst ${host}:${port} )'`);
      expect(rows).toHaveLength(1);
      return wrong ? String(portOf(rows[0]![3]!)) : String(portOf(rows[0]![2]!)); // wrong: the server's port, from the Peer column
    }
    case 'time-wait': {
      const rows = ssRows(`ss -Htan state time-wait '( src ${host}:${port} or dst ${host}:${port} )'`);
      expect(rows).toHaveLength(1);
      const [local, peer] = [portOf(rows[0]![2]!), portOf(rows[0]![3]!)];
      return String(wrong ? peer : local); // wrong: the other end
    }
    case 'accept-queue': {
      const rows = ssRows(`ss -Hltn 'src ${host}:${port}'`);
      expect(rows).toHaveLength(1);
      return wrong ? rows[0]![1]! : rows[0]![0]!; // wrong: Send-Q, the backlog
    }
    case 'send-queue': {
      const rows = ssRows(`ss -Htn '( src ${host}:${port} or dst ${host}:${port} )'`);
      expect(rows).toHaveLength(2);
      const writer = rows.reduce((a, b) => (Number(b[1]) > Number(a[1]) ? b : a));
      const reader = rows.find((row) => row !== writer)!;
      return wrong ? reader[0]! : writer[1]!; // wrong: the reader's Recv-Q
    }
    default:
      throw new Error(`unknown question ${asked.id}`);
  }
}

/** A seed whose plan has these sides, so both are covered. */
function seedWith(closesFirst: 'client' | 'server', writer: 'client' | 'server'): number {
  // Far from the small seeds other tests grade with: a seed picks the HOST, and these tests
  // check that nothing is left listening on theirs while other files grade side by side.
  for (let seed = 9001; ; seed++) {
    const plan = planObservation(seed);
    if (plan.closesFirst === closesFirst && plan.writer === writer) return seed;
  }
}

/** Ports whose claim file (grader/run/ports.ts) names this process: released ones have none. */
function portsClaimedBy(pid: number): string[] {
  const claims = path.join(os.tmpdir(), 'sockets-course-ports');
  if (!fs.existsSync(claims)) return [];
  return fs.readdirSync(claims).filter((port) => {
    try {
      return fs.readFileSync(path.join(claims, port), 'utf8').trim() === String(pid);
    } catch {
      return false;
    }
  });
}

function listenersOn(host: string): string[] {
  return tcpTable().filter((row) => row.state === 'LISTEN' && row.local.address === host).map((row) => `${row.local.address}:${row.local.port}`);
}

describe.runIf(linux)('npm run observe', () => {
  it.each([
    ['client', 'server'],
    ['server', 'client'],
  ] as const)('passes when every answer comes from ss and lsof, and records it (the %s closes first, the %s writes)', { timeout: 120_000 }, async (closesFirst, writer) => {
    const progress = path.join(scratch, 'progress.json');
    const seed = seedWith(closesFirst, writer);
    const session = new Session(seed, progress);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const asked = await session.next();
      ids.push(asked.id);
      session.answer(answerFor(asked, false));
      expect(await session.verdict(), session.stdout).toMatch(/^✓ right/);
    }
    expect(await session.exited, session.stderr).toBe(0);
    expect(ids).toEqual(['listener-pid', 'client-port', 'time-wait', 'accept-queue', 'send-queue']);
    expect(session.stdout).toContain(`seed ${seed}`);
    expect(JSON.parse(fs.readFileSync(progress, 'utf8')).observe).toMatchObject({ status: 'pass', seed });
    process.env.SOCKETS_COURSE_PROGRESS = progress;
    try {
      const table = recordingIo();
      expect(await main(['grade'], table.io)).toBe(0);
      expect(table.stdout()).toMatch(/observe .*Observing sockets with ss, netstat and lsof .*✓ passed/);
    } finally {
      delete process.env.SOCKETS_COURSE_PROGRESS;
    }
    expect(listenersOn(session.host)).toEqual([]);
    expect(portsClaimedBy(session.child.pid!)).toEqual([]);
  });

  it('marks a realistic wrong answer to each question wrong, shows the kernel and the command, and records nothing', { timeout: 120_000 }, async () => {
    const progress = path.join(scratch, 'progress.json');
    const session = new Session(seedWith('client', 'client'), progress);
    for (let i = 0; i < 5; i++) {
      const asked = await session.next();
      session.answer(answerFor(asked, true));
      expect(await session.verdict(), session.stdout).toMatch(/^✗ wrong/);
    }
    expect(await session.exited).toBe(1);
    expect(session.stdout).toContain('0 of 5 right');
    expect(session.stdout).toContain('The kernel shows (/proc/net/tcp):');
    expect(session.stdout).toContain("Seen with: ss -Hltn 'src ");
    expect(fs.existsSync(progress)).toBe(false);
    expect(listenersOn(session.host)).toEqual([]);
  });

  it.each(['stdin closed', 'Ctrl-C', 'SIGKILL'] as const)('ends cleanly on %s, with nothing left listening and its processes gone', { timeout: 120_000 }, async (how) => {
    const session = new Session(seedWith('server', 'server'), path.join(scratch, 'progress.json'));
    const first = await session.next();
    const listener = Number(sh(`lsof -nP -t -iTCP:${filterOf(first.text).port} -sTCP:LISTEN`).trim());
    session.answer(answerFor(first, false));
    await session.verdict();
    await session.next();
    const started = liveDescendants(session.child.pid!);
    expect(started).toContain(listener);
    expect(listenersOn(session.host).length).toBeGreaterThan(0);
    if (how === 'stdin closed') session.child.stdin!.end();
    else session.child.kill(how === 'Ctrl-C' ? 'SIGINT' : 'SIGKILL');
    const code = await session.exited;
    if (how === 'stdin closed') {
      expect(code).toBe(2);
      expect(session.stderr).toMatch(/stdin ended before the answer to question 2: stopping; nothing recorded/);
    } else if (how === 'Ctrl-C') {
      expect(code).toBe(130);
      expect(session.stderr).toMatch(/interrupted/);
    }
    // Killed outright, the grader cleans nothing up: its children notice it is gone and end.
    await pollUntil(() => (started.some(isLive) ? undefined : true), 10_000, `the observation's processes ${started.join(', ')} to end`);
    // Once, under full-suite load, a listener was still in the kernel's table just after every
    // process was gone (cause not found): it gets 5 s to go before it counts as left behind.
    await pollUntil(() => (listenersOn(session.host).length ? undefined : true), 5_000, `nothing to be left listening on ${session.host}`).catch(() => {});
    expect(listenersOn(session.host)).toEqual([]);
    if (how !== 'SIGKILL') expect(portsClaimedBy(session.child.pid!)).toEqual([]);
  });
});

describe('the kernel view of npm run observe', () => {
  it('refuses in one line without Linux or without /proc', () => {
    expect(missingKernelView('darwin', false)).toMatch(/^npm run observe needs Linux: .*\/proc\/net\/tcp.* darwin does not have$/);
    expect(missingKernelView('linux', false)).toMatch(/^npm run observe needs \/proc/);
    expect(missingKernelView('linux', true)).toBeUndefined();
  });

  it('reads both queues, both ends and the inode from a /proc/net/tcp row', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   1: 63584D7F:A05D 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 11001 4 0 100 0 0 10 0',
      '  12: 63584D7F:8EC3 63584D7F:A05D 01 0039DA86:00000000 00:00000000 00000000     0        0 10102 1 0 20 0 0 10 -1',
    ].join('\n');
    expect(parseTcpTable(text)).toEqual([
      { local: { address: '127.77.88.99', port: 41053 }, remote: { address: '0.0.0.0', port: 0 }, state: 'LISTEN', sendQ: 0, recvQ: 3, inode: 11001 },
      { local: { address: '127.77.88.99', port: 36547 }, remote: { address: '127.77.88.99', port: 41053 }, state: 'ESTAB', sendQ: 3791494, recvQ: 0, inode: 10102 },
    ]);
  });
});

describe('judging an answer', () => {
  it('judges by the last view seen while waiting once the kernel no longer shows the socket, and says so', async () => {
    const { ask } = await import('../grader/observe/ask.ts');
    const { AnswerReader } = await import('../grader/observe/answers.ts');
    const { PassThrough } = await import('node:stream');
    let present = true;
    const question = {
      id: 'gone',
      prompt: () => ['Which port?'],
      command: 'ss -tan state time-wait',
      view: () => (present ? { shows: ['TIME-WAIT 127.0.0.1:5000'], accepts: (answer: string) => answer === '5000' } : undefined),
    };
    const input = new PassThrough();
    const reader = new AnswerReader(input);
    const { io, stdout } = recordingIo();
    const asked = ask(question, 0, 1, reader, io, 30_000, 10);
    await pollUntil(() => (stdout().includes('> ') ? true : undefined), 5000, 'the prompt');
    present = false; // the socket is gone before the answer comes
    input.write('5000\n');
    expect(await asked).toBe('right');
    expect(stdout()).toMatch(/The kernel no longer shows it; at \d\d:\d\d:\d\d UTC it showed/);
    reader.close();
  });
});
