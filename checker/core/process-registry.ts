/**
 * A folder of `<name>.json` files, one per running process of ours (a local cloud, a guide),
 * each holding its owner (pid, host, start time, command) and what others need to reach it.
 * A process writes its entry when it is ready and removes it on exit; a reader skips entries
 * being written and deletes those whose process is dead (kill -9, a crash). clouds.ts and
 * guides.ts are its two registries.
 *
 *   const off = registerEntry(folder, `${process.pid}.json`, { ...currentOwner('npm start'), url });
 *   liveEntries<GuideEntry>(folder, (e) => typeof e.url === 'string');
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownerState, type Owner } from '../../emulator/index.ts';

/** Writes the entry; the returned function (also run when the process exits) removes it. */
export function registerEntry(folder: string, fileName: string, entry: Owner): () => void {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, fileName);
  writeFileSync(file, `${JSON.stringify(entry, null, 2)}\n`);
  const remove = () => {
    process.off('exit', remove);
    rmSync(file, { force: true });
  };
  process.on('exit', remove);
  return remove;
}

/** The entries whose process still runs, in file-name order; dead ones are deleted on the way. */
export function liveEntries<T extends Owner>(folder: string, valid: (entry: T) => boolean = () => true): T[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const alive: T[] = [];
  for (const name of names.sort()) {
    let entry: T;
    try {
      entry = JSON.parse(readFileSync(join(folder, name), 'utf8')) as T;
    } catch {
      continue; // being written, or hand-edited: not an entry anyone can use
    }
    if (!valid(entry)) continue;
    if (ownerState(entry) === 'dead') rmSync(join(folder, name), { force: true });
    else alive.push(entry);
  }
  return alive;
}
