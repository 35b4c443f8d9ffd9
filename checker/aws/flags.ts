import { minimist } from 'zx';

/**
 * The --aws options of `check` (--yes, --stage, --dry-run). The CLI hands `check` its own
 * options only, so awsCheck reads these from the command line when it was not given them.
 */
export interface AwsFlags {
  yes?: boolean;
  stage?: string;
  dryRun?: boolean;
}

export function awsFlags(argv: string[] = process.argv.slice(2)): AwsFlags {
  const parsed = minimist(argv, { boolean: ['yes', 'dry-run'], string: ['stage'] });
  return { yes: parsed.yes === true, stage: typeof parsed.stage === 'string' ? parsed.stage : undefined, dryRun: parsed['dry-run'] === true };
}
