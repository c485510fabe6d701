// Lesson 3's client scenario with a reply of megabytes between two small ones.
import { escapeText } from '../../net/escape.ts';
import { fail } from '../check.ts';
import { scenario } from '../lesson.ts';
import { formatDuration, QUIET_MS } from '../../run/deadline.ts';
import { CLIENT, MiB, printedLines } from './client-output.ts';
import { startClientAgainstFrameServer } from './connections.ts';
import { reversed } from './frames.ts';

const CLIENT_LARGE_BYTES = 2 * MiB;

export const largeReply = scenario(`a run of client.ts answered with a ${CLIENT_LARGE_BYTES / MiB} MiB reply`, () => ({}), [
  {
    id: 'client-large-reply',
    title: `client: prints a ${CLIENT_LARGE_BYTES / MiB} MiB reply whole`,
    hint: 'A reply can be megabytes, far more than one read or any fixed buffer: keep appending chunks until 4 + length bytes are there.',
    async run(context) {
      const random = context.random('client large');
      const lines = [random.word(1, 10), 'x'.repeat(CLIENT_LARGE_BYTES - 64) + random.word(64, 64), random.word(1, 10)];
      const run = await startClientAgainstFrameServer(context, CLIENT, lines, { profile: 'bulk', outputCapBytes: 8 * MiB });
      const expected = lines.map((line) => reversed(Buffer.from(line)).toString('utf8'));
      const stallMs = context.ms(QUIET_MS);
      const { lines: printed, stalled } = await printedLines(run.client, expected, {
        deadlineMs: context.ms(30_000),
        stallMs,
        progress: () => run.proxy.bytesPassed,
      });
      const wrongAt = expected.findIndex((line, i) => printed[i] !== line);
      if (wrongAt === -1 && printed.length === expected.length) return;
      const at = wrongAt === -1 ? expected.length : wrongAt;
      const quiet = stalled ? `; it printed nothing more for ${formatDuration(stallMs)} after the last reply byte reached it` : '';
      fail(`${CLIENT} did not print reply ${at + 1} of ${expected.length} (${expected[at]?.length ?? 0} bytes) as one line${quiet}`, {
        expected: `line ${at + 1}: ${expected[at] === undefined ? '(none)' : `${expected[at]!.length} bytes ${escapeText(expected[at]!, 24)}`}`,
        actual: printed[at] === undefined ? `${printed.length} lines, then nothing` : `line ${at + 1}: ${printed[at]!.length} bytes ${escapeText(printed[at]!, 24)}`,
      });
    },
  },
]);
