// The box an untrusted program runs in (Linux, Debian's bubblewrap): its own PID namespace, an
// unprivileged uid, a read-only view of only what it needs (the system's libraries, node and its
// own staged, compiled lesson folder), a private /tmp, and a file-size cap.
// Killing the box's first process kills everything inside it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The uid and gid a boxed program runs as when the grader is root: nobody owns nothing. */
export const BOXED_UID = 65534;
const TMP_BYTES = 64 * 1024 * 1024;
export const FILE_SIZE_CAP_BYTES = 16 * 1024 * 1024;

export type SandboxSupport = { readonly ok: true; readonly description: string } | { readonly ok: false; readonly reason: string };

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const candidate = path.join(dir || '.', command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const isRoot = () => process.getuid?.() === 0;

export interface BoxOptions {
  /** Folders the program may read (its staged, compiled lesson), bound read-only at the same path. */
  readonly readOnly: readonly string[];
  /** The program's working folder (inside one of `readOnly`). */
  readonly cwd: string;
}

/** System folders bound read-only; on merged-/usr systems /bin and friends are symlinks and stay so. */
function systemBinds(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(top);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(top), top);
    else if (stat.isDirectory()) args.push('--ro-bind', top, top);
  }
  // Name lookup of "localhost" and the linker's cache; nothing else of /etc.
  for (const file of ['/etc/hosts', '/etc/nsswitch.conf', '/etc/ld.so.cache', '/etc/localtime', '/etc/passwd', '/etc/group']) {
    args.push('--ro-bind-try', file, file);
  }
  return args;
}

/** Every folder on the way to `file` lets others pass (the box's uid is nobody's). */
function reachableByOthers(file: string): boolean {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return false;
    if (dir === path.dirname(dir)) return true;
  }
}

let boxNode: string | undefined;

/**
 * The node binary the box runs. node may live outside /usr (nvm, the registry's node
 * package), under a folder only its owner may enter (mktemp's 0700): then a copy in a
 * world-readable folder of its own, made once per version.
 */
export function nodeForBox(): string {
  if (boxNode) return boxNode;
  const real = fs.realpathSync(process.execPath);
  if (reachableByOthers(real) && (fs.statSync(real).mode & 0o005) === 0o005) return (boxNode = real);
  const dir = path.join(os.tmpdir(), `sockets-course-node-${process.version}`);
  const copy = path.join(dir, 'node');
  if (!fs.existsSync(copy)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    const partial = `${copy}.${process.pid}`;
    fs.copyFileSync(real, partial);
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, copy);
  }
  return (boxNode = copy);
}

function nodeBinds(): string[] {
  const node = nodeForBox();
  if (node.startsWith('/usr/')) return [];
  const dir = path.dirname(node);
  return ['--ro-bind', dir, dir];
}

/**
 * The command prefix that runs `node …` in a box. Root drops to an unprivileged uid first
 * (setpriv), so the kernel's per-user limits apply and nothing the program touches is root's.
 */
export function boxCommand(options: BoxOptions): string[] {
  const drop = isRoot() ? ['setpriv', `--reuid=${BOXED_UID}`, `--regid=${BOXED_UID}`, '--clear-groups', '--inh-caps=-all', '--'] : [];
  const limits = ['prlimit', `--fsize=${FILE_SIZE_CAP_BYTES}`, '--core=0', '--'];
  return [
    ...limits,
    ...drop,
    'bwrap',
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    ...systemBinds(),
    '--proc', '/proc',
    '--dev', '/dev',
    '--size', String(TMP_BYTES), '--tmpfs', '/tmp',
    ...nodeBinds(),
    ...options.readOnly.flatMap((dir) => ['--ro-bind', dir, dir]),
    // Everything bwrap made to hold the mounts above is read-only too; only /tmp is writable.
    '--remount-ro', '/',
    '--chdir', options.cwd,
    '--',
  ];
}

let probed: SandboxSupport | undefined;

/** Whether programs can be boxed here, tried once for real (a bwrap that starts and exits). */
export function sandboxSupport(): SandboxSupport {
  if (probed) return probed;
  probed = probe();
  return probed;
}

function probe(): SandboxSupport {
  if (process.platform !== 'linux') return { ok: false, reason: `the sandbox needs Linux (this is ${process.platform})` };
  for (const tool of ['bwrap', 'prlimit', ...(isRoot() ? ['setpriv'] : [])]) {
    if (!onPath(tool)) return { ok: false, reason: `${tool} is not installed (Debian: apt-get install bubblewrap util-linux)` };
  }
  const [command, ...args] = [...boxCommand({ readOnly: [], cwd: '/' }), nodeForBox(), '-e', ''];
  const run = spawnSync(command!, args, { timeout: 10_000, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  if (run.status !== 0) {
    const why = (run.stderr || run.error?.message || `exit ${run.status ?? run.signal}`).trim().split('\n')[0];
    return { ok: false, reason: `bubblewrap cannot start a box here: ${why}` };
  }
  return { ok: true, description: isRoot() ? `bubblewrap, uid ${BOXED_UID}` : 'bubblewrap' };
}

/** A program in a box exits through bwrap, which reports a death by signal N as exit 128+N. */
export function unboxExit(code: number | null, signal: string | null): { code: number | null; signal: string | null } {
  if (signal || code === null || code <= 128 || code > 128 + 64) return { code, signal };
  const name = Object.entries(os.constants.signals).find(([, number]) => number === code - 128)?.[0];
  return name ? { code: null, signal: name } : { code, signal };
}
