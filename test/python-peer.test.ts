// Lesson 8's reference programs against an independent peer: a short Python client and server
// of the guide's shape (test/peers/, stdlib only), written from the protocol's description.
// Loopback only; every wait has a deadline; every process started here is stopped here.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, solutionsRoot } from '../grader/paths.ts';
import { freePort } from '../grader/run/ports.ts';

const HOST = '127.0.0.1';
const LESSON = path.join(solutionsRoot, '08-application-protocol');
const PEERS = path.join(repoRoot, 'test', 'peers');
const hasPython = spawnSync('python3', ['--version']).status === 0;
const tsx = ['--import', 'tsx'];

/** Starts a server and resolves once it prints that it listens (within 10 s). */
function startServer(command: string, args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not print "listening" within 10 s`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('listening')) return;
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with code ${code} before it listened`));
    });
  });
}

interface Ran {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}, stdin?: Buffer): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'buffer', timeout: 10_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr: stderr.toString() });
    });
    child.stdin?.end(stdin ?? Buffer.alloc(0));
  });
}

const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) child.kill('SIGKILL');
});

describe.skipIf(!hasPython)('lesson 8 with an independent Python peer', () => {
  let referencePort = 0;
  let pythonPort = 0;

  beforeAll(async () => {
    referencePort = await freePort(HOST);
    started.push(await startServer(process.execPath, [...tsx, path.join(LESSON, 'server.ts')], { HOST, PORT: String(referencePort) }));
    pythonPort = await freePort(HOST);
    started.push(await startServer('python3', [path.join(PEERS, 'app_server.py'), HOST, String(pythonPort)], {}));
  }, 30_000);

  const client = (...args: string[]) => run('python3', [path.join(PEERS, 'app_client.py'), HOST, String(referencePort), ...args]);

  it('the Python client searches the reference server, multibyte UTF-8 both ways', async () => {
    expect(await client('search', '🐶')).toMatchObject({ code: 0, stdout: Buffer.from('🐾 Playing ball! 🏐\n') });
    expect(await client('search', 'grüße')).toMatchObject({ code: 0, stdout: Buffer.from('Grüße aus Köln, 3 € der Kaffee ☕\n') });
    expect(await client('search', 'café ☕')).toMatchObject({ code: 0, stdout: Buffer.from('No match for "café ☕".\n') });
  });

  it('the Python client sends every byte value and gets it back reversed', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const ran = await client('binary', bytes.toString('hex'));
    expect(ran.code).toBe(0);
    expect(ran.stdout.toString().trim()).toBe(Buffer.from(bytes).reverse().toString('hex'));
  });

  it('the Python client gets the unknown-action error reply', async () => {
    const ran = await client('delete', 'ring');
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('unknown-action');
  });

  const referenceClient = (args: string[], stdin?: Buffer) => run(process.execPath, [...tsx, path.join(LESSON, 'client.ts'), ...args], { HOST, PORT: String(pythonPort) }, stdin);

  it('the reference client searches the Python server', async () => {
    expect(await referenceClient(['search', 'morpheus'])).toMatchObject({ code: 0, stdout: Buffer.from('Follow the white rabbit. 🐰\n') });
    expect(await referenceClient(['search', '🐶'])).toMatchObject({ code: 0, stdout: Buffer.from('🐾 Playing ball! 🏐\n') });
  }, 20_000);

  it('the reference client sends binary stdin to the Python server and writes the reply byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) & 0xff));
    const ran = await referenceClient(['binary'], bytes);
    expect(ran.code).toBe(0);
    expect(ran.stdout.equals(Buffer.from(bytes).reverse())).toBe(true);
  }, 20_000);

  it('the reference client exits 1 on the Python server\'s error reply', async () => {
    const ran = await referenceClient(['lookup', 'ring']);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('unknown-action');
  }, 20_000);
});
