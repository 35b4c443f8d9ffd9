/**
 * CloudFormation's stack records on disk, for `npm run dev` (`.dojo/dev-data/cloudformation.json`):
 * so that after a restart DescribeStacks, ListStacks and `sls info` still know the stacks, their
 * events and outputs, and `sls remove` can still remove them. One JSON file, rewritten whole
 * (through a temporary file, so a crash mid-write leaves the last good one).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChangeSet, StackRecord, StackResourceRecord } from './records.ts';

/** JSON has no Map: a record's resources and change sets are kept as [key, value] pairs. */
type StoredRecord = Omit<StackRecord, 'resources' | 'changeSets'> & {
  resources: Array<[string, StackResourceRecord]>;
  changeSets: Array<[string, ChangeSet]>;
};

interface Stored {
  live: StoredRecord[];
  deleted: StoredRecord[];
}

export function saveStacks(file: string, stacks: { live: StackRecord[]; deleted: StackRecord[] }): void {
  const stored: Stored = { live: stacks.live.map(toStored), deleted: stacks.deleted.map(toStored) };
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(stored));
  renameSync(tmp, file);
}

export function loadStacks(file: string): { live: StackRecord[]; deleted: StackRecord[] } {
  if (!existsSync(file)) return { live: [], deleted: [] };
  let stored: Stored;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
  } catch (err) {
    throw new Error(
      `${file} is not the stack records the local cloud wrote (${(err as Error).message}): move it away to start with no stacks.`,
    );
  }
  return { live: stored.live.map(fromStored), deleted: stored.deleted.map(fromStored) };
}

function toStored(r: StackRecord): StoredRecord {
  return { ...r, resources: [...r.resources], changeSets: [...r.changeSets] };
}

function fromStored(r: StoredRecord): StackRecord {
  return { ...r, resources: new Map(r.resources), changeSets: new Map(r.changeSets) };
}
