#!/usr/bin/env -S npx tsx
/**
 * The `dojo` CLI behind the npm scripts (`npm run <command> [arguments] -- [options]`, which
 * run it built, through dojo.mjs): every command, its arguments, options, defaults and help,
 * declared here in one list. Adding a
 * command is one entry (and its npm script in package.json); checker/cli/program.ts turns
 * the list into the parser and the help, checker/cli/reference.ts into the guide's page.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import {
  integer,
  port,
  positiveNumber,
  runProgram,
  speed,
  type CommandSpec,
  type OptionSpec,
} from '../cli/program.ts';
import { CLOUD_PORT, DEV_SPEED, GUIDE_PORT, ROOM_PORT, START_SPEED } from '../core/defaults.ts';
import { DEFAULT_STUCK_MINUTES } from '../room/protocol.ts';
import { UsageError } from '../core/repo.ts';

// npm runs every script from the repository root; INIT_CWD is where the learner typed it, so
// `--dir .` inside backend/ means backend/.
const fromWhereTyped = (folder: string) => resolve(process.env.INIT_CWD ?? process.cwd(), folder);
const dir = (what = 'backend/'): OptionSpec => ({
  flags: '--dir <folder>',
  help: `the service folder to use instead of ${what} (e.g. solutions/session-4)`,
  parse: fromWhereTyped,
});
const aws: OptionSpec = {
  flags: '--aws',
  help: 'on real AWS instead of the local cloud (read the guide\'s "Running on real AWS" first)',
};
const stage: OptionSpec = {
  flags: '--stage <name>',
  help: 'with --aws: the stage to use (default: one of your own, from your git identity)',
};
const yes: OptionSpec = {
  flags: '--yes',
  help: 'with --aws: do not ask before using an account for the first time (instructors, CI)',
};
const dryRun: OptionSpec = {
  flags: '--dry-run',
  help: 'with --aws: package and estimate the cost, deploy nothing',
};
const cloudPort: OptionSpec = {
  flags: '--port <port>',
  help: "the local cloud's port",
  default: CLOUD_PORT,
  parse: port,
};

export const COMMANDS: CommandSpec[] = [
  {
    name: 'start',
    summary: 'the guide, the local cloud on backend/ and the live board, in one terminal',
    details:
      "Prints the guide's, the board's and the local cloud's addresses; leave it running. Ctrl-C stops it all.",
    options: [
      dir(),
      cloudPort,
      { flags: '--docs-port <port>', help: "the guide's port", default: GUIDE_PORT, parse: port },
      {
        flags: '--speed <speed>',
        help: 'the virtual clock: a factor (1, 60), max or paused',
        default: START_SPEED,
        parse: speed,
      },
      { flags: '--log', help: "also print the local cloud's live log here (the board shows it anyway)" },
      {
        flags: '--aws',
        help: 'the guide and the board on your backend deployed to AWS (npm run deploy -- --aws first), no local cloud',
      },
    ],
    run: async (_, o) =>
      (await import('../commands/start.ts')).start({
        dir: o.dir,
        port: o.port,
        docsPort: o.docsPort,
        speed: o.speed,
        log: o.log === true,
        aws: o.aws === true,
      }),
  },
  {
    name: 'dev',
    summary: 'the local cloud alone on backend/, redeploying when you save',
    details:
      'Its data stays on disk (.dojo/dev-data) between restarts. Use it to poke at your backend with npm run invoke, the AWS CLI or the board, without the guide.',
    options: [
      dir(),
      cloudPort,
      {
        flags: '--speed <speed>',
        help: 'the virtual clock: a factor (1, 60), max or paused',
        default: DEV_SPEED,
        parse: speed,
      },
    ],
    run: async (_, o) =>
      (await import('../commands/dev.ts')).dev({ dir: o.dir, port: o.port, speed: o.speed }),
  },
  {
    name: 'begin',
    args: '<session>',
    summary: 'save backend/ under .dojo/saves/ and start a session from its starter',
    details:
      'Over work that differs from the starter it asks first (or needs --force); npm run restore brings a save back.',
    options: [{ flags: '--force', help: 'replace changed work without asking (it is still saved first)' }],
    run: async ([session], o) =>
      (await import('../commands/begin.ts')).begin({ session, force: o.force === true }),
  },
  {
    name: 'restore',
    args: '[save]',
    summary: 'list the saves in .dojo/saves/, or bring one back into backend/',
    details:
      'Without a save: the saves, newest first. With one (its number in that list or its folder name): saves the current backend/ first, then puts the save in its place.',
    run: async ([save]) => (await import('../commands/restore.ts')).restore({ save }),
  },
  {
    name: 'check',
    args: '[session]',
    summary: 'check your backend/: package, deploy on a fresh local cloud, observe, judge',
    details:
      'Without a session: the one npm run begin started. Sessions are written session-4, 4 or s4. Exit code 0 when everything passes, 1 when a check fails.',
    options: [
      dir(),
      {
        flags: '--minutes <n>',
        help: 'how many minutes to observe (virtual ones locally; each session has its own default)',
        parse: positiveNumber,
      },
      {
        flags: '--seed <n>',
        help: "the seed of the check's random parts; each report prints the one it used, to repeat a run",
        parse: integer,
      },
      { flags: '--json', help: 'print the report as JSON, for scripts' },
      { flags: '--watch', help: 'check again every time you save a file' },
      aws,
      yes,
      stage,
      dryRun,
    ],
    run: async ([session], o) =>
      (await import('../commands/check.ts')).check({
        session,
        dir: o.dir,
        minutes: o.minutes,
        seed: o.seed,
        json: o.json,
        watch: o.watch,
        aws: o.aws,
        yes: o.yes,
        stage: o.stage,
        dryRun: o.dryRun,
      }),
  },
  {
    name: 'hint',
    args: '[session] [todo]',
    summary: 'the next hint of the first open TODO (or of TODO k)',
    details: 'Without a session: the one npm run begin started. Each call shows one more hint, gentle first.',
    options: [dir()],
    run: async ([session, todo], o) =>
      (await import('../commands/hint.ts')).hint({ session, todo, dir: o.dir }),
  },
  {
    name: 'diff',
    args: '[session]',
    summary: 'your backend/ against the reference solution',
    details:
      'Without a session: the one npm run begin started. "-" lines are yours, "+" lines the solution\'s.',
    options: [
      dir(),
      { flags: '--stat', help: 'only a summary: which files differ, by how many lines' },
      {
        flags: '--exact',
        help: 'compare the files as written, comments and formatting included (by default both sides are compared by what the code says)',
      },
    ],
    run: async ([session], o) =>
      (await import('../commands/diff.ts')).diff({
        session,
        dir: o.dir,
        stat: o.stat,
        exact: o.exact === true,
      }),
  },
  {
    name: 'invoke',
    args: '[function]',
    summary: 'invoke one function of backend/ on the local cloud and print its result and logs',
    details: 'The function is named as in serverless.ts (e.g. createVirus); without one, the list.',
    options: [{ flags: '--data <json>', help: 'the event, as JSON', default: '{}' }, dir()],
    run: async ([fn], o) => (await import('../commands/invoke.ts')).invoke({ fn, data: o.data, dir: o.dir }),
  },
  {
    name: 'demo',
    args: '<session>',
    summary: "instructors: run a session's demo, printing each AWS CLI command as it runs it",
    details:
      'Against the running local cloud (npm start -- --dir solutions/session-N) or, with --aws, your stage on AWS. The steps: checker/sessions/session-N/demo.ts.',
    options: [aws, stage],
    run: async ([session], o) =>
      (await import('../commands/demo.ts')).demo({ session, aws: o.aws, stage: o.stage }),
  },
  {
    name: 'status',
    summary: 'which sessions pass, from your last checks',
    run: async () => (await import('../commands/status.ts')).status(),
  },
  {
    name: 'doctor',
    summary: 'is this machine ready? Node.js, packages, osls, ports, .dojo/',
    options: [
      { flags: '--aws', help: 'also check your AWS credentials and region, and what the dojo left deployed' },
    ],
    run: async (_, o) => (await import('../commands/doctor.ts')).doctor({ aws: o.aws }),
  },
  {
    name: 'deploy',
    summary:
      'osls deploy of backend/ to the running local cloud; with --aws: to your own stage on real AWS, left running',
    options: [aws, dir(), stage, yes, dryRun],
    run: async (_, o) =>
      (await import('../commands/deploy.ts')).deploy({
        aws: o.aws,
        dir: o.dir,
        stage: o.stage,
        yes: o.yes,
        dryRun: o.dryRun,
      }),
  },
  {
    name: 'teardown',
    summary: 'with --aws: remove what you deployed to real AWS',
    options: [
      aws,
      dir(),
      stage,
      { flags: '--all', help: "every dojo stack of your stage, not only backend/'s" },
      { flags: '--everyone', help: 'instructors: every dojo stack in the account and region' },
      yes,
    ],
    run: async (_, o) =>
      (await import('../commands/teardown.ts')).teardown({
        aws: o.aws,
        dir: o.dir,
        stage: o.stage,
        all: o.all,
        everyone: o.everyone,
        yes: o.yes,
      }),
  },
  {
    name: 'room',
    summary: "instructors: the room's server — every learner's checks, live, on the guide's room page",
    details:
      "Prints the instructor's address (with its token) and the line learners type to join. The room is kept in .dojo/room/ across restarts.",
    options: [
      {
        flags: '--host <address>',
        help: 'the interface to listen on, e.g. your LAN address (default: 127.0.0.1, this machine only)',
      },
      { flags: '--port <port>', help: "the room's port", default: ROOM_PORT, parse: port },
      {
        flags: '--stuck-minutes <n>',
        help: 'a learner whose first ✖ stays the same this long is shown as stuck',
        default: DEFAULT_STUCK_MINUTES,
        parse: positiveNumber,
      },
      {
        flags: '--guide <url>',
        help: `the guide's address, for the room page (default: the one npm start runs, else the one on port ${GUIDE_PORT})`,
      },
      { flags: '--new', help: 'start an empty room (new code and token) instead of the saved one' },
    ],
    run: async (_, o) =>
      (await import('../commands/room.ts')).room({
        host: o.host,
        port: o.port,
        stuckMinutes: o.stuckMinutes,
        guide: o.guide,
        fresh: o.new === true,
      }),
  },
  {
    name: 'join',
    args: '[url]',
    summary: "report your checks to the instructor's room",
    details:
      'Once, with the address your instructor shows. Each check then sends its result (never your code, paths or credentials). Without a url: the room you are in.',
    options: [
      { flags: '--name <name>', help: 'your name, as the room shows it' },
      { flags: '--leave', help: 'stop reporting to the room' },
    ],
    run: async ([url], o) =>
      (await import('../commands/join.ts')).join({ url, name: o.name, leave: o.leave === true }),
  },
];

/** Runs the command line `argv` (the words after `dojo`) and exits with its code. */
export function main(argv: string[]): Promise<never> {
  return runProgram(COMMANDS, argv).then(
    (code) => process.exit(code),
    (err: Error) => {
      if (err instanceof UsageError || err.name === 'UsageError') console.error(pc.red(err.message));
      else
        console.error(
          pc.red(`Something went wrong: ${err.message}`),
          pc.dim(`\n${err.stack ?? ''}\nIf this persists, run npm run doctor.`),
        );
      process.exit(2);
    },
  );
}

function isMain(): boolean {
  return Boolean(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
}

// Run directly (`node --import tsx checker/bin/dojo.ts`); the npm scripts go through dojo.mjs.
if (isMain()) void main(process.argv.slice(2));
