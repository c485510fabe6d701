// One declaration per command: its arguments and options, from which come the parsing, the
// check of how many arguments it got, its usage text and its --help. Every command therefore
// answers --help with exit 0 and an unknown option with one line and exit 2.
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../errors.ts';
import { writeLines, type Io } from '../io.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** What the value stands for in the usage text: "PATH", "N". */
  readonly value?: string;
  readonly description: string;
}

type Values<O extends Record<string, OptionSpec>> = { readonly [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean };

export interface CommandSpec<O extends Record<string, OptionSpec>, X = undefined> {
  /** How a person types it: "npm run grade". */
  readonly invocation: string;
  /** What it does, one line. */
  readonly summary: string;
  /** The positional arguments as the usage line shows them: "[lesson-N]", "DIR". */
  readonly positionals?: { readonly usage: string; readonly min: number; readonly max: number; readonly help?: readonly (readonly [string, string])[] };
  readonly options: O;
  /** Printed after the options: exit codes, examples. */
  readonly footer?: string;
  /** `extra` is what an in-process caller (a test) hands the command besides its arguments. */
  run(input: { readonly values: Values<O>; readonly positionals: readonly string[] }, io: Io, extra?: X): Promise<number> | number;
}

export interface Command<X = undefined> {
  (argv: readonly string[], io: Io, extra?: X): Promise<number>;
  readonly invocation: string;
  readonly summary: string;
  readonly usage: string;
}

function optionLabel(name: string, spec: OptionSpec): string {
  return `--${name}${spec.value ? ` ${spec.value}` : ''}`;
}

export function usageText<O extends Record<string, OptionSpec>, X>(spec: CommandSpec<O, X>): string {
  const options = Object.entries(spec.options);
  const args = spec.positionals?.usage ? ` ${spec.positionals.usage}` : '';
  const rows: Array<readonly [string, string]> = [
    ...(spec.positionals?.help ?? []),
    ...options.map(([name, option]) => [optionLabel(name, option), option.description] as const),
    ['--help', 'this text'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `Usage: ${spec.invocation}${args}${options.length ? (spec.invocation.endsWith('--') ? ' [OPTIONS]' : ' [-- OPTIONS]') : ''}`,
    '',
    spec.summary,
    '',
    ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`),
  ];
  return [...lines, ...(spec.footer ? ['', spec.footer] : [])].join('\n');
}

export function defineCommand<O extends Record<string, OptionSpec>, X = undefined>(spec: CommandSpec<O, X>): Command<X> {
  const usage = usageText(spec);
  const parseOptions = Object.fromEntries(
    Object.entries(spec.options).map(([name, option]) => [name, option.short ? { type: option.type, short: option.short } : { type: option.type }]),
  );
  const command = async (argv: readonly string[], io: Io, extra?: X): Promise<number> => {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { ...parseOptions, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      writeLines(io.stdout, [usage]);
      return EXIT.pass;
    }
    const { min = 0, max = 0 } = spec.positionals ?? {};
    if (positionals.length < min || positionals.length > max) {
      const wanted = spec.positionals?.usage ?? 'no arguments';
      throw new UsageError(positionals.length > max ? `too many arguments (${positionals.join(' ')}): expected ${wanted}` : `expected ${wanted}`);
    }
    return spec.run({ values: values as Values<O>, positionals }, io, extra);
  };
  return Object.assign(command, { invocation: spec.invocation, summary: spec.summary, usage });
}
