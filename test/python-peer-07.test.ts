// Lesson 7's reference client against a peer no one on the team wrote for the grader: a
// selectors-based echo server of the guide's shape, in Python's standard library, on loopback.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot, solutionsRoot } from '../grader/paths.ts';
import { withDeadline } from '../grader/run/deadline.ts';
import { startProgram, type RunningProgram } from '../grader/run/program.ts';

const PEER = path.join(repoRoot, 'test', 'peers', 'multiconn_echo_server.py');
const CLIENT = path.join(solutionsRoot, '07-many-connections', 'client.ts');

it('the lesson 7 solution talks to a Python selectors echo server, nine connections (one of 100 kB)', async () => {
  let client: RunningProgram | undefined;
  const peer = spawn('python3', [PEER, '127.0.0.1', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const port = await withDeadline(
      new Promise<number>((resolve, reject) => {
        let out = '';
        peer.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on [\d.]+:(\d+)/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        peer.once('exit', (code) => reject(new Error(`the Python peer exited with code ${code}`)));
      }),
      10_000,
      'the Python peer to listen',
    );
    const messages = ['hello', 'Grüße, Welt', 'x'.repeat(100_000), 'zwölf', '€ and ö', 'six', 'seven', 'eight', 'nine'];
    client = startProgram({ file: CLIENT, env: { HOST: '127.0.0.1', PORT: String(port) }, args: messages });
    const exit = await withDeadline(client.exited, 20_000, 'the client to exit');
    const expected = [...messages.map((message, i) => `#${i + 1} ok: ${JSON.stringify(message)}`), `${messages.length} of ${messages.length} connections succeeded`, ''];
    expect(client.stdout.text).toBe(expected.join('\n'));
    expect(exit.code).toBe(0);
  } finally {
    await client?.stop();
    peer.stdin.end();
    peer.kill();
  }
});
