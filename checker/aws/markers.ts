/**
 * `.dojo/aws-deployed.json`: the stacks a dojo command is deploying, or deployed and has not
 * removed yet. Written before osls deploy starts, cleared once osls remove succeeded (or,
 * for `npm run deploy`, once the deploy the learner asked for succeeded). SIGKILL cannot be
 * caught: the next --aws command finds the entry of a process that is gone and removes the
 * stack first.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StackRef } from './snapshot.ts';

export interface Marker extends StackRef {
  accountId?: string;
  /** The process deploying it: an entry whose process is alive is another command at work. */
  pid: number;
  startedAt: string;
  command: 'check' | 'deploy';
}

interface MarkerFile {
  deployments: Marker[];
}

export function markerPath(stateDir: string): string {
  return join(stateDir, 'aws-deployed.json');
}

export function readMarkers(stateDir: string): Marker[] {
  const file = markerPath(stateDir);
  if (!existsSync(file)) return [];
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as MarkerFile;
    return Array.isArray(value?.deployments) ? value.deployments : [];
  } catch {
    // A half-written file (the process died mid-write) is rare; losing it must not crash --aws.
    return [];
  }
}

export function addMarker(stateDir: string, marker: Marker): void {
  write(stateDir, [...readMarkers(stateDir).filter((m) => !same(m, marker)), marker]);
}

export function removeMarker(stateDir: string, stack: Pick<StackRef, 'stackName' | 'region'>): void {
  const rest = readMarkers(stateDir).filter((m) => !same(m, stack));
  write(stateDir, rest);
}

/** Entries left by a process that no longer runs: stacks nobody is going to remove. */
export function leftovers(stateDir: string, isAlive: (pid: number) => boolean = processAlive): Marker[] {
  return readMarkers(stateDir).filter((m) => m.pid !== process.pid && !isAlive(m.pid));
}

/** An entry for the same stack held by another live process (two terminals, one stage). */
export function busyWith(
  stateDir: string,
  stack: Pick<StackRef, 'stackName' | 'region'>,
  isAlive: (pid: number) => boolean = processAlive,
): Marker | undefined {
  return readMarkers(stateDir).find((m) => same(m, stack) && m.pid !== process.pid && isAlive(m.pid));
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function same(a: Pick<StackRef, 'stackName' | 'region'>, b: Pick<StackRef, 'stackName' | 'region'>): boolean {
  return a.stackName === b.stackName && a.region === b.region;
}

function write(stateDir: string, deployments: Marker[]): void {
  const file = markerPath(stateDir);
  mkdirSync(dirname(file), { recursive: true });
  if (deployments.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  // Write then rename: a kill in the middle leaves the old file, never half a new one.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ deployments }, null, 2)}\n`);
  renameSync(tmp, file);
}
