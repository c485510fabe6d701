// What a failure says of a program: for a crash, the error's own line, whatever Node put between
// its name and its message; for a path it printed, the learner's file, not the copy the grader ran.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { crashReport } from '../grader/checks/shared/exit.ts';
import { solutionsRoot } from '../grader/paths.ts';
import { gradeRoot } from './helpers/grade.ts';

it('names the error line of an uncaught error, its code included', () => {
  const stderr = [
    '/home/me/03-framing/framing.ts:23',
    '    const length = this.buffered.readUInt32BE(0);',
    '                                 ^',
    '',
    'RangeError [ERR_BUFFER_OUT_OF_BOUNDS]: Attempt to access memory outside buffer bounds',
    '    at boundsError (node:internal/buffer:88:9)',
  ].join('\n');
  expect(crashReport(stderr)).toBe('RangeError [ERR_BUFFER_OUT_OF_BOUNDS]: Attempt to access memory outside buffer bounds');
  expect(crashReport('Error: listen EADDRINUSE: address already in use 127.0.0.1:65432\n    at Server.setupListenHandle')).toMatch(/^Error: listen EADDRINUSE/);
  expect(crashReport('connection error: ECONNRESET\n')).toBeUndefined();
});

it("writes the learner's own path in a failure, not the staged copy's", { timeout: 60_000 }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-path-'));
  try {
    const lessonDir = path.join(root, '01-echo-server');
    fs.cpSync(path.join(solutionsRoot, '01-echo-server'), lessonDir, { recursive: true });
    // It prints its own path where the peer's address should be: the grader ran a compiled copy.
    const server = path.join(lessonDir, 'server.ts');
    const source = fs.readFileSync(server, 'utf8');
    const peer = 'console.log(`Connected by ${conn.remoteAddress}:${conn.remotePort}`);';
    expect(source).toContain(peer);
    fs.writeFileSync(server, source.replace(peer, 'console.log(`Connected by ${new URL(import.meta.url).pathname}`);'));
    const result = await gradeRoot('01-echo-server', root);
    const failed = result.checks.find((check) => check.status === 'fail');
    expect(failed?.id).toBe('prints-peer');
    expect(failed?.failure?.actual).toContain(server);
    expect(JSON.stringify(result.checks)).not.toMatch(/sockets-course-[A-Za-z0-9]{6}/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
