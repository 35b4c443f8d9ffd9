/**
 * Where the guide runs: `npm start` (and `npm start -- --aws`) writes
 * `.dojo/run/guides/<pid>.json` (its owner and address) once the guide answers, and removes it
 * when it stops. The checker's "read:" links and other pointers into the guide read it here, so
 * they name the port the guide really has (`--docs-port 5174`), not the default.
 *
 *   const off = registerGuide(root, 'http://localhost:5174/');
 *   guideUrl(root);   // 'http://localhost:5174', or GUIDE_URL when no guide runs
 */
import { join } from 'node:path';
import { currentOwner, type Owner } from '../../emulator/index.ts';
import { liveEntries, registerEntry } from './process-registry.ts';
import { GUIDE_URL } from './defaults.ts';
import { REPO_ROOT } from './repo.ts';
import { dojoDir } from './session-files.ts';

export interface GuideEntry extends Owner {
  /** The guide's base address, without a trailing slash. */
  url: string;
}

function registryDir(root: string): string {
  return join(dojoDir(root), 'run', 'guides');
}

/** Records a running guide; the returned function (also run when the process exits) removes it. */
export function registerGuide(root: string, url: string, command = 'npm start'): () => void {
  const entry: GuideEntry = { ...currentOwner(command), url: url.replace(/\/+$/, '') };
  return registerEntry(registryDir(root), `${process.pid}.json`, entry);
}

/** The guides that still run, newest first; entries of dead processes are deleted on the way. */
export function runningGuides(root: string): GuideEntry[] {
  return liveEntries<GuideEntry>(registryDir(root), (e) => typeof e.url === 'string').sort(
    (a, b) => b.startedAt - a.startedAt,
  );
}

/** The address of the guide that runs (the newest, when several do), else the default one. */
export function guideUrl(root = REPO_ROOT): string {
  return runningGuides(root)[0]?.url ?? GUIDE_URL;
}
