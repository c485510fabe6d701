// Connections for lesson 3's checks: through the fragmenting proxy or straight to the
// learner's server, and the grader-played framing server for the client checks.
import { Readable } from 'node:stream';
import { FragmentingProxy, type Profile } from '../../net/fragmenting-proxy.ts';
import { GraderServer } from '../../net/tcp-server.ts';
import type { TcpPeer } from '../../net/tcp-peer.ts';
import type { RunningProgram } from '../../run/program.ts';
import { escapeText } from '../../net/escape.ts';
import { fail, type CheckContext } from '../check.ts';
import { hostPort } from '../shared/listening.ts';
import { diagnoses } from './diagnoses.ts';
import { serveFrames, type FrameScript, type FrameServerConnection } from './frame-server.ts';

type Profiles = Profile | { readonly up: Profile; readonly down: Profile };

/** A proxy on a fresh port in front of host:targetPort, closed when the lesson's grading ends. */
export async function startProxy(context: CheckContext, targetPort: number, profile: Profiles, purpose: string): Promise<FragmentingProxy> {
  const proxy = new FragmentingProxy({
    host: context.host,
    port: await context.freePort(),
    targetHost: context.host,
    targetPort,
    seed: context.random(`proxy ${purpose}`).seed,
    profile,
    transcript: context.transcript,
  });
  context.onCleanup(() => proxy.close());
  await proxy.listen();
  return proxy;
}

/** A new grader connection to the learner's server through a fresh proxy. */
export async function connectThroughProxy(
  context: CheckContext,
  server: RunningProgram,
  serverPort: number,
  name: string,
  profile: Profiles,
): Promise<{ proxy: FragmentingProxy; peer: TcpPeer }> {
  const proxy = await startProxy(context, serverPort, profile, name);
  const peer = await context.connect(proxy.port, { name, program: server, deadlineMs: context.ms(5000) });
  return { proxy, peer };
}

export interface ClientRun {
  readonly client: RunningProgram;
  readonly proxy: FragmentingProxy;
  readonly connection: FrameServerConnection;
}

export interface ClientRunOptions {
  readonly profile: Profiles;
  readonly outputCapBytes?: number;
  /** How the grader's server answers; plain reversed replies without it. */
  readonly script?: FrameScript;
  /** Names the proxy's plan when stdin is a stream. */
  readonly purpose?: string;
  /** stdin ends right after the last line, with no newline (as `printf 'a\nb'` does): it is a line all the same. */
  readonly lastLineUnterminated?: boolean;
}

export interface LaunchedClient {
  readonly client: RunningProgram;
  readonly proxy: FragmentingProxy;
  readonly server: GraderServer;
  /** The first connection the grader's server accepted, once there is one. */
  connection(): FrameServerConnection | undefined;
}

function stdinOf(lines: readonly string[], lastLineUnterminated: boolean): string {
  const text = lines.map((line) => `${line}\n`).join('');
  return lastLineUnterminated && lines.at(-1) ? text.slice(0, -1) : text;
}

/** Starts the grader's server, the proxy and client.ts, without waiting for it to connect. */
export async function launchClientAgainstFrameServer(
  context: CheckContext,
  file: string,
  input: readonly string[] | Readable,
  options: ClientRunOptions,
): Promise<LaunchedClient> {
  const serverPort = await context.freePort();
  let connection: FrameServerConnection | undefined;
  const server = await GraderServer.listen(context.host, serverPort, context.transcript, (peer) => {
    connection ??= serveFrames(peer, options.script);
  });
  context.onCleanup(() => server.close());
  const lines = input instanceof Readable ? undefined : input;
  const proxy = await startProxy(context, serverPort, options.profile, options.purpose ?? `client ${lines?.length ?? 0}`);
  const stdin = lines ? stdinOf(lines, options.lastLineUnterminated ?? false) : (input as Readable);
  if (lines && options.lastLineUnterminated) context.transcript.note('grader', `stdin of ${file}: ${lines.length} lines, the last with no newline after it`);
  const client = context.start(file, { port: proxy.port, stdin, outputCapBytes: options.outputCapBytes });
  return { client, proxy, server, connection: () => connection };
}

/** Fails unless the launched client connected within 8 s. */
export async function connectedClient(context: CheckContext, file: string, launched: LaunchedClient): Promise<ClientRun> {
  const { client, proxy, server } = launched;
  // Stop waiting as soon as the client exits: it will not connect any more.
  await server.accepted(1, context.ms(8000), client.exited);
  const connection = launched.connection();
  if (!connection) {
    const exit = client.exit;
    fail(`${file} never connected to ${hostPort(context.host, proxy.port)}${exit ? ` (it exited with code ${exit.code})` : ''}`, {
      expected: `a connection to ${hostPort(context.host, proxy.port)}`,
      actual: exit ? `exited; stderr: ${escapeText(client.stderr.text.trim() || '(empty)')}` : 'no connection',
      diagnosis: diagnoses['client-never-connects'],
    });
  }
  return { client, proxy, connection };
}

/**
 * Starts client.ts with `lines` on stdin (or a stream the check ends when it chooses), against
 * the grader's framing server behind a proxy, and waits for it to connect.
 */
export async function startClientAgainstFrameServer(
  context: CheckContext,
  file: string,
  input: readonly string[] | Readable,
  options: ClientRunOptions,
): Promise<ClientRun> {
  return connectedClient(context, file, await launchClientAgainstFrameServer(context, file, input, options));
}
