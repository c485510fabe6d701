// The last check must never kill a process of another grading: a UDP client anywhere on the
// machine binds the wildcard address on an ephemeral port, which may be one of this run's.
import { describe, expect, it } from 'vitest';
import { socketsLeftBehind } from '../grader/run/leftovers.ts';
import { hasProc } from '../grader/run/proc.ts';

describe('socketsLeftBehind', () => {
  it.skipIf(!hasProc)('names a wildcard socket on a run port only when a process of the run holds it', async () => {
    // Held by a child so the grader's own pid (always excluded) is not the holder.
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', "const s=require('node:dgram').createSocket('udp4');s.bind(0,()=>{console.log(s.address().port)});setTimeout(()=>{},60000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const port = await new Promise<number>((resolve) => child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim()))));
      expect(socketsLeftBehind('127.9.8.7', [port])).toEqual([]);
      expect(socketsLeftBehind('127.9.8.7', [port], new Set([child.pid!])).map((left) => left.pid)).toEqual([child.pid]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it.skipIf(!hasProc)('names any holder of the run\'s own seeded host and port', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', "const s=require('node:dgram').createSocket('udp4');s.bind(0,'127.9.8.7',()=>{console.log(s.address().port)});setTimeout(()=>{},60000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const port = await new Promise<number>((resolve) => child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim()))));
      expect(socketsLeftBehind('127.9.8.7', [port]).map((left) => left.pid)).toEqual([child.pid]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
