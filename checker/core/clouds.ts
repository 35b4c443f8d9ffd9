/**
 * The local clouds running on this machine for this repository: each `npm start` or
 * `npm run dev` writes `.dojo/run/clouds/<pid>.json` (pid, port, endpoint, folder, data
 * folder, start time) and removes it on exit. A file whose process is dead (kill -9, a
 * crash) is ignored and cleared by the next reader.
 *
 *   const off = registerCloud(root, { port, endpoint, dir, dataDir, command: 'npm run dev' });
 *   cloudForDir(root, 'backend');       // npm run invoke uses it
 *   cloudForDataDir(root, dataDir);     // a second npm run dev is told who holds the data
 */
import { join, resolve } from 'node:path';
import { currentOwner, type Owner } from '../../emulator/index.ts';
import { liveEntries, registerEntry } from './process-registry.ts';
import { dojoDir } from './session-files.ts';

export interface CloudEntry extends Owner {
  port: number;
  endpoint: string;
  region: string;
  /** The service folder it runs, absolute. */
  dir: string;
  /** Where its DynamoDB keeps data, absolute; absent when in memory. */
  dataDir?: string;
}

function registryDir(root: string): string {
  return join(dojoDir(root), 'run', 'clouds');
}

/** Records a running cloud; the returned function (also run when the process exits) removes it. */
export function registerCloud(
  root: string,
  cloud: { port: number; endpoint: string; region: string; dir: string; dataDir?: string; command: string },
): () => void {
  const entry: CloudEntry = {
    ...currentOwner(cloud.command),
    port: cloud.port,
    endpoint: cloud.endpoint,
    region: cloud.region,
    dir: resolve(cloud.dir),
    ...(cloud.dataDir ? { dataDir: resolve(cloud.dataDir) } : {}),
  };
  return registerEntry(registryDir(root), `${process.pid}-${cloud.port}.json`, entry);
}

/** The clouds that still run; entries of dead processes are deleted on the way. */
export function runningClouds(root: string): CloudEntry[] {
  return liveEntries<CloudEntry>(registryDir(root));
}

export function cloudForDir(root: string, dir: string): CloudEntry | undefined {
  const wanted = resolve(dir);
  return runningClouds(root).find((c) => c.dir === wanted);
}

export function cloudForDataDir(root: string, dataDir: string): CloudEntry | undefined {
  const wanted = resolve(dataDir);
  return runningClouds(root).find((c) => c.dataDir === wanted);
}
