/**
 * A copy of a service under .dojo/tmp (git-ignored), with edits applied: a mistake fixture.
 * The copy shares the package cache: packageService keys it by a hash of the configuration
 * files, not the folder, so a copy whose edits touch only handler code skips osls, and one
 * whose edits touch the configuration packages afresh.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Edit } from './mistake.ts';

export function copyWithEdits(from: string, edits: Edit[]): { dir: string; remove(): void } {
  const dir = resolve('.dojo', 'tmp', `copy-${randomBytes(4).toString('hex')}`);
  cpSync(from, dir, {
    recursive: true,
    filter: (src) => !/(^|\/)(\.esbuild|node_modules)(\/|$)/.test(src.slice(from.length)),
  });
  for (const e of edits) {
    const file = join(dir, e.file);
    const text = readFileSync(file, 'utf8');
    // A fixture whose anchor text is gone would test nothing: fail loudly instead.
    if (!text.includes(e.find))
      throw new Error(`Fixture edit does not apply: ${e.file} has no ${JSON.stringify(e.find)}.`);
    writeFileSync(file, text.replace(e.find, e.replace));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
