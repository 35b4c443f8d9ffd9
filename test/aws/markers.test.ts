import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import {
  addMarker,
  busyWith,
  leftovers,
  markerPath,
  readMarkers,
  removeMarker,
  type Marker,
} from '../../checker/aws/markers.ts';
import { tempDir } from './support.ts';

const marker = (over: Partial<Marker> = {}): Marker => ({
  stackName: 'dojo-serverless-jane',
  service: 'dojo-serverless',
  stage: 'jane',
  region: 'eu-west-1',
  pid: process.pid,
  startedAt: new Date().toISOString(),
  command: 'check',
  ...over,
});

describe('the deployed-stacks marker (.dojo/aws-deployed.json)', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => cleanup.splice(0).forEach((f) => f()));

  it('is written per stack and goes away once the last stack is removed', () => {
    const { dir, remove } = tempDir('markers');
    cleanup.push(remove);
    addMarker(dir, marker());
    addMarker(dir, marker({ stackName: 'dojo-serverless-bob', stage: 'bob' }));
    addMarker(dir, marker());
    expect(readMarkers(dir).map((m) => m.stackName)).toEqual(['dojo-serverless-bob', 'dojo-serverless-jane']);
    removeMarker(dir, { stackName: 'dojo-serverless-jane', region: 'eu-west-1' });
    removeMarker(dir, { stackName: 'dojo-serverless-bob', region: 'eu-west-1' });
    expect(existsSync(markerPath(dir))).toBe(false);
  });

  it("tells a leftover (its process is gone) from another command's work in progress", () => {
    const { dir, remove } = tempDir('markers');
    cleanup.push(remove);
    addMarker(dir, marker({ pid: 11, stackName: 'dead' }));
    addMarker(dir, marker({ pid: 22, stackName: 'alive' }));
    addMarker(dir, marker({ stackName: 'mine' }));
    const alive = (pid: number) => pid === 22;
    expect(leftovers(dir, alive).map((m) => m.stackName)).toEqual(['dead']);
    expect(busyWith(dir, { stackName: 'alive', region: 'eu-west-1' }, alive)?.pid).toBe(22);
    expect(busyWith(dir, { stackName: 'mine', region: 'eu-west-1' }, alive)).toBeUndefined();
  });
});
