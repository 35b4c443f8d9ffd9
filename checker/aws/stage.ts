/**
 * The learner's stage on AWS: a name of their own that goes into every resource name, so
 * that learners sharing an account never overwrite each other.
 *
 * Short on purpose: osls names the Lambda role `<service>-<stage>-<region>-lambdaRole`, and
 * IAM role names stop at 64 characters (`dojo-serverless-` + stage + `-ap-southeast-2-lambdaRole`
 * leaves 22); 16 also leaves room for long function names in later sessions.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { UsageError } from '../core/repo.ts';

export const MAX_STAGE_LENGTH = 16;

export interface GitIdentity {
  email?: string;
  name?: string;
}

export function validateStage(stage: string): string {
  if (stage === 'local')
    throw new UsageError(
      'The stage "local" belongs to the local cloud: choose another with --stage NAME, or leave --stage out to get one made from your git identity.',
    );
  if (!/^[a-z][a-z0-9-]*$/.test(stage) || stage.endsWith('-') || stage.includes('--')) {
    throw new UsageError(
      `"${stage}" cannot be a stage: use lowercase letters, digits and single hyphens, starting with a letter (e.g. --stage jane).`,
    );
  }
  if (stage.length > MAX_STAGE_LENGTH)
    throw new UsageError(
      `The stage "${stage}" is ${stage.length} characters long: keep it to ${MAX_STAGE_LENGTH} (AWS limits resource names).`,
    );
  return stage;
}

/**
 * A stage from a git identity: the slug of the email's local part (or of the name) and four
 * hex digits of a hash of the whole identity, so two Janes at different companies differ.
 * The same identity always gives the same stage.
 */
export function stageFromIdentity(identity: GitIdentity): string | undefined {
  const email = identity.email?.trim().toLowerCase();
  const name = identity.name?.trim();
  const source = email ? email.split('@')[0] : name;
  if (!email && !name) return undefined;
  const hash = createHash('sha256')
    .update(email || name || '')
    .digest('hex')
    .slice(0, 4);
  let slug = slugify(source ?? '');
  if (!/^[a-z]/.test(slug)) slug = `u${slug}`;
  slug = slug.slice(0, MAX_STAGE_LENGTH - hash.length - 1).replace(/-+$/, '');
  return `${slug}-${hash}`;
}

/** "José.Müller+dojo" → "jose-muller-dojo". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function readGitIdentity(cwd: string): GitIdentity {
  const read = (key: string) => {
    try {
      return (
        execFileSync('git', ['config', key], {
          cwd,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim() || undefined
      );
    } catch {
      // Not set (git exits 1) or no git at all: either way there is nothing to read.
      return undefined;
    }
  };
  return { email: read('user.email'), name: read('user.name') };
}

/** The stage from --stage, else from the git identity; a UsageError saying how to set one otherwise. */
export function resolveStage(given: string | undefined, identity: () => GitIdentity): string {
  if (given !== undefined) return validateStage(String(given).trim());
  const derived = stageFromIdentity(identity());
  if (!derived) {
    throw new UsageError(
      'Your AWS stage comes from your git identity, and git has none: run git config --global user.email you@example.com, or choose a stage with --stage NAME.',
    );
  }
  return validateStage(derived);
}
