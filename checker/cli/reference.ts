/**
 * The guide's Commands page (docs/reference/cli.md) from the command declarations: each
 * command's usage line and options table sit between `<!-- cli:NAME -->` and
 * `<!-- /cli:NAME -->` markers, the prose around them is written by hand. `npm run docs:cli`
 * rewrites the blocks; a test fails when the page and the declarations disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../bin/dojo.ts';
import { REPO_ROOT } from '../core/repo.ts';
import { usageLine, type CommandSpec } from './program.ts';

export const REFERENCE_PAGE = join(REPO_ROOT, 'docs', 'reference', 'cli.md');

/** The generated part of one command: its usage line, and its options with their defaults. */
export function commandBlock(spec: CommandSpec): string {
  const lines = ['```sh', usageLine(spec), '```'];
  if (spec.options?.length) {
    lines.push('', '| option | what it does | default |', '|---|---|---|');
    for (const o of spec.options)
      lines.push(
        `| \`${o.flags}\` | ${o.help.replace(/\|/g, '\\|')} | ${o.default === undefined ? '' : `\`${String(o.default)}\``} |`,
      );
  }
  return lines.join('\n');
}

/** The page with every command's block brought up to date; throws when a command has no markers. */
export function renderReference(page: string, commands: CommandSpec[] = COMMANDS): string {
  let out = page;
  for (const spec of commands) {
    const block = new RegExp(`(<!-- cli:${spec.name} -->\\n)[\\s\\S]*?(\\n<!-- /cli:${spec.name} -->)`);
    if (!block.test(out))
      throw new Error(
        `docs/reference/cli.md has no <!-- cli:${spec.name} --> … <!-- /cli:${spec.name} --> block: add one under the command's heading, then run npm run docs:cli.`,
      );
    out = out.replace(block, (_m, open: string, close: string) => `${open}${commandBlock(spec)}${close}`);
  }
  const stale = [...out.matchAll(/<!-- cli:([\w-]+) -->/g)]
    .map((m) => m[1])
    .filter((name) => !commands.some((c) => c.name === name));
  if (stale.length)
    throw new Error(`docs/reference/cli.md documents commands the CLI does not have: ${stale.join(', ')}.`);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(REFERENCE_PAGE, renderReference(readFileSync(REFERENCE_PAGE, 'utf8')));
  console.log('docs/reference/cli.md is up to date with checker/bin/dojo.ts.');
}
