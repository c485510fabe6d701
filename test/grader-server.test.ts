// GraderServer.accepted: a wait for a client's connection that ends when the client can no longer connect.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GraderServer } from '../grader/net/tcp-server.ts';
import { Transcript } from '../grader/net/transcript.ts';
import { freePort, releasePorts } from '../grader/run/ports.ts';

const HOST = '127.0.0.1';
let server: GraderServer | undefined;
afterEach(async () => {
  await server?.close();
  if (server) releasePorts([server.port]);
  server = undefined;
});

async function listening(): Promise<GraderServer> {
  server = await GraderServer.listen(HOST, await freePort(HOST), new Transcript(), () => undefined);
  return server;
}

describe('GraderServer.accepted', () => {
  // The minute-long deadline would outlast the test's own timeout: only the hopeless promise can end it in time.
  it('gives up soon after the hopeless promise settles, long before its deadline', { timeout: 10_000 }, async () => {
    const grader = await listening();
    expect(await grader.accepted(1, 60_000, Promise.resolve())).toBeUndefined();
  });

  it('still returns a connection that is accepted just after the news that the client is gone', { timeout: 10_000 }, async () => {
    const grader = await listening();
    const client = net.connect(grader.port, HOST);
    try {
      const peer = await grader.accepted(1, 60_000, new Promise((resolve) => client.once('connect', resolve)));
      expect(peer).toBeDefined();
    } finally {
      client.destroy();
    }
  });

  it('returns at once a connection already accepted', { timeout: 10_000 }, async () => {
    const grader = await listening();
    const client = net.connect(grader.port, HOST);
    try {
      expect(await grader.accepted(1, 60_000)).toBeDefined();
    } finally {
      client.destroy();
    }
  });
});
