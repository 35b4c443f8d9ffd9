#!/usr/bin/env -S npx tsx
import { minimist } from 'zx';
import pc from 'picocolors';
import { UsageError } from '../core/repo.ts';

/**
 * The `dojo` CLI behind the npm scripts: npm run <command> -- [options].
 */
const USAGE = `Usage: npm run <command> [-- options]

  start                     the guide, the local cloud on backend/ and the live board
  dev                       the local cloud on backend/, reloading on save
  begin session-N           save backend/ and start session N from its starter
  check session-N           check your backend/ (--dir, --minutes, --seed, --json, --watch, --aws)
  hint session-N [k]        the next hint (or hint k)
  diff session-N            your backend/ against the solution (--stat for a summary, --exact with comments and formatting)
  invoke <function>         invoke a function of backend/ locally (--data '{"a":1}')
  status                    which sessions pass
  doctor                    is this machine ready? (--aws to check AWS too)
  deploy / teardown         with --aws: deploy backend/ to or remove it from real AWS
                            (--stage, --yes, --dry-run; teardown: --all, --everyone)
`;

async function main(): Promise<number> {
  const argv = minimist(process.argv.slice(2), {
    boolean: ['json', 'watch', 'aws', 'stat', 'exact', 'yes', 'all', 'everyone', 'dry-run', 'help', 'no-iam', 'open'],
    string: ['dir', 'seed', 'minutes', 'data', 'port', 'speed', 'stage', 'docs-port'],
    alias: { h: 'help' },
  });
  const [command, ...rest] = argv._.map(String);
  if (!command || argv.help) {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const num = (v: unknown) => (v === undefined ? undefined : Number(v));
  switch (command) {
    case 'start': {
      const speed = argv.speed === undefined ? undefined : argv.speed === 'max' || argv.speed === 'paused' ? argv.speed : Number(argv.speed);
      return (await import('../commands/start.ts')).start({ dir: argv.dir, port: num(argv.port), docsPort: num(argv['docs-port']), speed, log: argv.log === true });
    }
    case 'dev': {
      const speed = argv.speed === undefined ? undefined : argv.speed === 'max' || argv.speed === 'paused' ? argv.speed : Number(argv.speed);
      return (await import('../commands/dev.ts')).dev({ dir: argv.dir, port: num(argv.port), speed });
    }
    case 'check':
      return (await import('../commands/check.ts')).check({ session: rest[0], dir: argv.dir, minutes: num(argv.minutes), seed: num(argv.seed), json: argv.json, watch: argv.watch, aws: argv.aws, yes: argv.yes, stage: argv.stage, dryRun: argv['dry-run'] });
    case 'begin':
      return (await import('../commands/begin.ts')).begin({ session: rest[0] });
    case 'diff':
      return (await import('../commands/diff.ts')).diff({ session: rest[0], dir: argv.dir, stat: argv.stat, exact: argv.exact });
    case 'hint':
      return (await import('../commands/hint.ts')).hint({ session: rest[0], todo: rest[1], dir: argv.dir });
    case 'doctor':
      return (await import('../commands/doctor.ts')).doctor({ aws: argv.aws });
    case 'deploy':
      return (await import('../commands/deploy.ts')).deploy({ aws: argv.aws, dir: argv.dir, stage: argv.stage, yes: argv.yes, dryRun: argv['dry-run'] });
    case 'teardown':
      return (await import('../commands/teardown.ts')).teardown({ aws: argv.aws, dir: argv.dir, stage: argv.stage, all: argv.all, everyone: argv.everyone, yes: argv.yes });
    case 'status':
      return (await import('../commands/status.ts')).status();
    case 'invoke':
      return (await import('../commands/invoke.ts')).invoke({ fn: rest[0], data: argv.data, dir: argv.dir });
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    if (err instanceof UsageError || err.name === 'UsageError') console.error(pc.red(err.message));
    else console.error(pc.red(`Something went wrong: ${err.message}`), pc.dim(`\n${err.stack ?? ''}\nIf this persists, run npm run doctor.`));
    process.exit(2);
  },
);
