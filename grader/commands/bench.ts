import os from 'node:os';
import { course, findLesson } from '../../lessons/course.ts';
import { measureClass, type ClassFigures } from '../bench/class-throughput.ts';
import { measureProxies, type ProxyFigure } from '../bench/proxy.ts';
import { measureLargeFrame, type LargeFrameFigures } from '../bench/large-frame.ts';
import { measureManyConnections, type LoadFigures } from '../bench/many-connections.ts';
import { measureLesson, measureStarts, type LessonFigure } from '../bench/measure.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeLines } from '../io.ts';
import { defineCommand } from './define.ts';

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function frameLines(frame: LargeFrameFigures): string[] {
  const memory = frame.growthWhileNotReadMiB === undefined ? 'memory not measurable here' : `its memory grew ${frame.growthWhileNotReadMiB} MiB (from ${frame.idleMiB} MiB)`;
  return [
    `Lesson 3 reference: a ${frame.frameMiB} MiB frame answered in ${formatMs(frame.roundTripMs)}`,
    `  a client that sent ${frame.sentWhileNotReadMiB} MiB of frames and read nothing: ${memory}`,
  ];
}

function loadLines(load: LoadFigures): string[] {
  const memory = load.kibPerConnection === undefined ? 'memory not measurable here' : `${load.kibPerConnection} KiB of server memory per connection`;
  return [
    `Lesson 5 reference under load: ${load.answered} of ${load.connections} connections open at once and answered${load.limit ? ` (stopped at ${load.opened}: ${load.limit})` : ''}`,
    `  round trip p50 ${load.roundTripMs.p50} ms, p99 ${load.roundTripMs.p99} ms; ${memory}`,
    `  one connection: ${load.throughputMiBs} MiB/s, ${load.ratioToPipe} × a bare socket.pipe(socket) echo (${load.pipeMiBs} MiB/s)`,
  ];
}

function proxyLines(figures: readonly ProxyFigure[]): string[] {
  const rate = (kib: number) => (kib >= 1024 ? `${(kib / 1024).toFixed(1)} MiB/s` : `${kib.toFixed(1)} KiB/s`);
  return ['The fragmenting proxy against the same echo reached directly (round trip of 100 bytes; throughput of one connection):', ...figures.map((figure) => `  ${figure.via}: ${figure.roundTripMs} ms, ${rate(figure.throughputKiBs)}`)];
}

function classLines(figures: ClassFigures): string[] {
  const how = `${figures.jobs} students at once, ${figures.sandbox ? 'sandboxed' : 'without the sandbox (no bubblewrap here)'}`;
  return [
    `Class grading: ${figures.students} copies of the solutions × ${figures.lessons} lessons (${figures.gradings} gradings, ${how}) in ${formatMs(figures.ms)}`,
    `  ${figures.passed} of ${figures.gradings} passed; ${formatMs(figures.ms / Math.max(1, figures.gradings))} per grading`,
  ];
}

/** `npm run bench`: grading speed as ratios to a program start, never asserted anywhere. */
export const benchCommand = defineCommand({
  invocation: 'npm run bench --',
  summary: "Measures program starts and each lesson's grading of its reference solution, as multiples of one tsx start measured in the same run.",
  positionals: { usage: '[lesson-N ...]', min: 0, max: Infinity },
  options: {
    runs: { type: 'string', value: 'N', description: 'starts measured per way of starting (default 5); lessons are graded once' },
    json: { type: 'boolean', description: 'print the figures as JSON' },
    seed: { type: 'string', value: 'N', description: 'the seed of every grading (default 1)' },
    connections: { type: 'string', value: 'N', description: "with lesson 5: connections the reference server holds at once (default 10000; 0 skips the load figures)" },
    class: { type: 'string', value: 'N', description: 'also grade N copies of the solutions with grade:class (the lessons benched) and time it (default 0: skipped)' },
    jobs: { type: 'string', value: 'N', description: 'with --class: students graded at once (default 2)' },
    proxies: { type: 'boolean', description: "also measure the fragmenting proxy's added round trip and its throughput, per cutting plan" },
  },
  footer: 'The machine is shared and noisy: compare ratios within one run, not seconds across runs.',
  run: async ({ values, positionals }, io) => {
    const runs = values.runs === undefined ? 5 : Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs ${values.runs}: expected a whole number of at least 1`);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed ${values.seed}: expected a whole number`);
    const lessons = positionals.length ? positionals.map((name) => findLesson(name)) : [...course];
    const starts = measureStarts(runs);
    const connections = values.connections === undefined ? 10_000 : Number(values.connections);
    if (!Number.isInteger(connections) || connections < 0) throw new UsageError(`--connections ${values.connections}: expected a whole number`);
    const students = values.class === undefined ? 0 : Number(values.class);
    if (!Number.isInteger(students) || students < 0) throw new UsageError(`--class ${values.class}: expected a whole number`);
    const jobs = values.jobs === undefined ? 2 : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs ${values.jobs}: expected a whole number of at least 1`);
    const figures: LessonFigure[] = [];
    for (const lesson of lessons) figures.push(await measureLesson(lesson, starts.tsxCli, seed));
    const frame = lessons.some((lesson) => lesson.slug === '03-framing') ? await measureLargeFrame() : undefined;
    const load = connections > 0 && lessons.some((lesson) => lesson.slug === '05-multiplexing') ? await measureManyConnections(connections) : undefined;
    const proxies = values.proxies ? await measureProxies() : undefined;
    const classFigures = students > 0 ? await measureClass(students, jobs, seed, lessons) : undefined;
    const machine = { node: process.version, cpus: os.availableParallelism(), platform: `${os.platform()} ${os.release()}` };
    const floors = figures.filter((figure) => figure.floorWhy).map((figure) => `Lesson ${figure.lesson} waits ${formatMs(figure.floorMs!)} by design: ${figure.floorWhy}.`);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ version: 1, machine, starts, lessons: figures, lesson3Frame: frame, lesson5Load: load, proxies, classGrading: classFigures }, null, 2)}\n`);
    } else {
      writeLines(io.stdout, [
        `Node ${machine.node}, ${machine.cpus} cores, ${machine.platform}`,
        `Program start (median of ${runs}): plain node ${formatMs(starts.plainNode)}, node --import tsx ${formatMs(starts.nodeImportTsx)}, tsx ${formatMs(starts.tsxCli)}`,
        '',
        '| lesson | solution graded | = tsx starts | waited by design | beyond it, in tsx starts | slowest checks |',
        '|---|---|---|---|---|---|',
        ...figures.map(
          (figure) =>
            `| ${figure.lesson} | ${formatMs(figure.ms)}${figure.status === 'pass' ? '' : ` (${figure.status})`} | ${figure.tsxStarts} | ${figure.floorMs === undefined ? '' : formatMs(figure.floorMs)} | ${figure.aboveFloorTsxStarts ?? ''} | ${figure.slowest.map((check) => `${check.id} ${formatMs(check.ms)}`).join(', ')} |`,
        ),
        ...(floors.length ? ['', ...floors] : []),
        ...(frame ? ['', ...frameLines(frame)] : []),
        ...(load ? ['', ...loadLines(load)] : []),
        ...(proxies ? ['', ...proxyLines(proxies)] : []),
        ...(classFigures ? ['', ...classLines(classFigures)] : []),
      ]);
    }
    const classPassed = !classFigures || classFigures.passed === classFigures.gradings;
    return figures.every((figure) => figure.status === 'pass') && classPassed ? EXIT.pass : EXIT.fail;
  },
});
