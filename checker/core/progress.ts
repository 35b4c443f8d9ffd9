import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Which sessions pass, remembered under .dojo/ for `npm run status`. */
export interface ProgressEntry {
  session: string;
  dir: string;
  ok: boolean;
  at: string;
  failed: string[];
}

export function progressFile(root: string): string {
  return join(root, '.dojo', 'progress.json');
}

export function readProgress(root: string): Record<string, ProgressEntry> {
  const file = progressFile(root);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, ProgressEntry>;
  } catch {
    return {};
  }
}

export function recordProgress(root: string, entry: ProgressEntry): void {
  const all = readProgress(root);
  // A solution checked by an instructor is not the learner's progress.
  if (!entry.dir.replace(/\\/g, '/').startsWith('backend')) return;
  all[entry.session] = entry;
  const file = progressFile(root);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(all, null, 2));
}
