/**
 * The machinery behind `checker/bin/dojo.ts`: a command is declared as data (its name,
 * arguments, options with their defaults and help), and this module turns the list into a
 * commander program with per-command `--help`, unknown options refused with a did-you-mean,
 * and values checked before any command runs. The same declarations render the guide's
 * Commands reference (checker/cli/reference.ts), so help and guide cannot drift apart.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import type { Speed } from '../../emulator/index.ts';

export interface OptionSpec {
  /** As commander writes them: `--dir <folder>`, `--json`, `-h, --help`. */
  flags: string;
  help: string;
  default?: string | number | boolean;
  /** Turns the text into the value, or throws InvalidArgumentError saying what is expected. */
  parse?: (value: string) => unknown;
}

export interface CommandSpec {
  name: string;
  /** Positional arguments, as commander writes them: `[session]`, `<save>`, `[session] [todo]`. */
  args?: string;
  /** One line, for the list of commands. */
  summary: string;
  /** More, for the command's own --help and the guide (optional). */
  details?: string;
  options?: OptionSpec[];
  /** Runs the command; returns the exit code. `args` are the positional arguments in order. */
  run(args: Array<string | undefined>, options: Record<string, any>): Promise<number>;
}

/** How a command is typed: `npm start` is npm's own shortcut, every other one is `npm run <name>`. */
export function npmCommand(name: string): string {
  return name === 'start' ? 'npm start' : `npm run ${name}`;
}

/** The command line as a learner types it: positional arguments, then options after `--`. */
export function usageLine(spec: CommandSpec): string {
  return [npmCommand(spec.name), spec.args, spec.options?.length ? '-- [options]' : undefined]
    .filter(Boolean)
    .join(' ');
}

export function buildProgram(commands: CommandSpec[], done: (code: number) => void): Command {
  const program = new Command('dojo')
    .usage('<command> [arguments] [-- options]')
    .description(
      'The Serverless Dojo: npm run <command> [-- options]. npm run <command> -- --help says more about one command.',
    )
    .helpCommand(false)
    .configureOutput({ outputError: (text, write) => write(pc.red(text)) })
    .exitOverride();
  // Set before the commands are added: commander copies it into each one.
  program.configureHelp({
    commandUsage: (c) =>
      c === program
        ? 'npm run <command> [arguments] [-- options]'
        : `${npmCommand(c.name())} ${c.usage()}`.trimEnd(),
    subcommandTerm: (c) =>
      [c.name(), commands.find((s) => s.name === c.name())?.args].filter(Boolean).join(' '),
  });
  program.helpOption('-h, --help', 'show this help');
  for (const spec of commands) {
    const cmd = program
      .command(spec.name)
      .summary(spec.summary)
      .description(spec.details ? `${spec.summary}\n\n${spec.details}` : spec.summary)
      .usage([spec.args, spec.options?.length ? '-- [options]' : undefined].filter(Boolean).join(' '))
      .showHelpAfterError(pc.dim(`(${npmCommand(spec.name)} -- --help lists what it takes)`))
      .configureOutput({ outputError: (text, write) => write(pc.red(text)) })
      .helpOption('-h, --help', 'show this help')
      .exitOverride();
    for (const a of spec.args?.match(/[[<][^\]>]+[\]>]/g) ?? []) cmd.argument(a);
    for (const o of spec.options ?? []) {
      const option = new Option(o.flags, o.help);
      if (o.default !== undefined) option.default(o.default);
      if (o.parse) option.argParser(o.parse);
      cmd.addOption(option);
    }
    cmd.action(async (...received: unknown[]) => {
      // commander passes the positional arguments, then the options, then the command.
      const positional = received.slice(0, -2) as Array<string | undefined>;
      const options = received.at(-2) as Record<string, unknown>;
      done(await spec.run(positional, options));
    });
  }
  return program;
}

/**
 * Runs the CLI on `argv` (without node and the script); resolves with the exit code:
 * the command's own, 0 after --help, 2 for a usage error (the message is already printed).
 */
export async function runProgram(commands: CommandSpec[], argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram(commands, (c) => (code = c));
  if (argv.length === 0) {
    program.outputHelp();
    return 1;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
}

// Value parsers: each says what it expects, in the option's words.

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number, got "${value}".`);
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()))
    throw new InvalidArgumentError(`expected a whole number, got "${value}".`);
  return n;
}

export function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535)
    throw new InvalidArgumentError(
      `expected a port number (0 to 65535; 0 picks a free one), got "${value}".`,
    );
  return n;
}

export function speed(value: string): Speed {
  if (value === 'max' || value === 'paused') return value;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(
      `expected a positive number (60 runs a virtual minute every second), max or paused; got "${value}".`,
    );
  return n;
}
