import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { GUIDE_URL } from './defaults.ts';
import { guideUrl, registerGuide, runningGuides } from './guides.ts';
import { formatReport } from './print.ts';
import { awsGuideUrl } from '../aws/context.ts';
import { fail, type CheckReport } from './result.ts';

const roots: string[] = [];
function scratchRoot(): string {
  const root = resolve('.dojo', 'tmp', `guides-${randomBytes(4).toString('hex')}`);
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const failing: CheckReport = {
  session: 'session-1',
  dir: 'backend',
  target: 'local',
  seed: 1,
  minutes: 1,
  ok: false,
  results: [fail('s1.static.table', 'A DynamoDB table', { docs: 'sessions/session-1#todo-1' })],
  timings: {},
};

describe("the guide's address, as the checker links to it", () => {
  it('is the default one while no guide runs', () => {
    expect(guideUrl(scratchRoot())).toBe(GUIDE_URL);
  });

  it("is the running guide's, on its own port, and the default again once it stops", () => {
    const root = scratchRoot();
    const unregister = registerGuide(root, 'http://localhost:5199/');
    expect(guideUrl(root)).toBe('http://localhost:5199');
    const text = formatReport(failing, guideUrl(root));
    expect(text).toContain('http://localhost:5199/sessions/session-1#todo-1');
    expect(text).not.toContain(':5173');
    unregister();
    expect(guideUrl(root)).toBe(GUIDE_URL);
  });

  it("gives the --aws commands' page on the running guide's port", () => {
    const root = scratchRoot();
    expect(awsGuideUrl(root)).toBe(`${GUIDE_URL}/aws`);
    const unregister = registerGuide(root, 'http://localhost:5199/');
    expect(awsGuideUrl(root)).toBe('http://localhost:5199/aws');
    unregister();
  });

  it('forgets the guide of a process that is gone (kill -9), and clears its entry', () => {
    const root = scratchRoot();
    const folder = join(root, '.dojo', 'run', 'guides');
    mkdirSync(folder, { recursive: true });
    const gone = { pid: 2 ** 22 + 17, host: 'x', startedAt: 1, url: 'http://localhost:5300' };
    // Same host as this machine, a pid no process has: dead.
    writeFileSync(join(folder, 'gone.json'), JSON.stringify({ ...gone, host: hostname() }));
    expect(runningGuides(root)).toEqual([]);
    expect(guideUrl(root)).toBe(GUIDE_URL);
    expect(readdirSync(folder)).toEqual([]);
  });
});
