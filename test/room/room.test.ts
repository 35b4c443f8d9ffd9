import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { startRoom, type RunningRoom } from '../../checker/room/server.ts';
import { reportToRoom } from '../../checker/room/report.ts';
import { membershipFile } from '../../checker/room/membership.ts';
import type { RoomView } from '../../checker/room/protocol.ts';
import { checkReport, joinedLearner, type Learner } from './support.ts';

/**
 * One room, 30 learners checking at once over real HTTP, and everything an instructor and
 * a hostile client can do to it.
 */
const LEARNERS = 30;

describe('the room with 30 learners', () => {
  let room: RunningRoom;
  const learners: Learner[] = [];
  const progress = async (token = room.store.token): Promise<RoomView> => {
    const res = await fetch(`${room.url}/api/progress`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as RoomView;
  };
  const secretOf = (l: Learner) =>
    (JSON.parse(readFileSync(membershipFile(l.root), 'utf8')) as { secret: string }).secret;

  beforeAll(async () => {
    room = await startRoom({ port: 0 });
    for (let i = 0; i < LEARNERS; i++)
      learners.push(await joinedLearner(room.joinUrl, `Learner ${String(i + 1).padStart(2, '0')}`));
  });
  afterAll(async () => {
    await room?.close();
    for (const l of learners) l.remove();
  });

  it('takes 30 learners checking concurrently, and shows each one with the right cells', async () => {
    // Learner i: session-1 passes; session-2 fails TODO (i % 4) + 1, except every fifth who passes it.
    const t0 = performance.now();
    const outcomes = await Promise.all(
      learners.flatMap((l, i) => [
        reportToRoom(checkReport('session-1', []), { root: l.root }),
        reportToRoom(checkReport('session-2', i % 5 === 0 ? [] : [(i % 4) + 1]), { root: l.root }),
      ]),
    );
    const ms = performance.now() - t0;
    expect(outcomes.every((o) => o?.sent)).toBe(true);
    expect(ms, '60 reports at once').toBeLessThan(5000);

    const view = await progress();
    expect(view.learners).toHaveLength(LEARNERS);
    view.learners.forEach((l, i) => {
      expect(l.name).toBe(`Learner ${String(i + 1).padStart(2, '0')}`);
      expect(l.cells['session-1']).toMatchObject({
        ok: true,
        passed: 4,
        total: 4,
        failing: [],
        kit: '0.1.0',
        target: 'local',
        durationMs: 2542,
      });
      const failing = i % 5 === 0 ? [] : [(i % 4) + 1];
      expect(l.cells['session-2'].ok).toBe(failing.length === 0);
      expect(l.cells['session-2'].failing.map((f) => f.todo)).toEqual(failing);
      expect(l.current).toBe('session-2');
    });
    // The learner's paths never reach the room: the hint is scrubbed, what was observed not sent.
    expect(JSON.stringify(view)).not.toContain('/home/ana');
    const [top] = view.failingMost;
    expect(top.session).toBe('session-2');
    expect(top.count).toBe(
      view.learners.filter((l) => l.cells['session-2'].failing[0]?.todo === top.todo).length,
    );
    expect(top.hint).toMatch(/^Write TODO \d: see …$/);
  });

  it('answers 401 to the progress and the export without the instructor token', async () => {
    for (const init of [
      {},
      { headers: { authorization: 'Bearer wrong' } },
      { headers: { authorization: `Bearer ${secretOf(learners[0])}` } },
    ]) {
      expect((await fetch(`${room.url}/api/progress`, init)).status).toBe(401);
      expect((await fetch(`${room.url}/api/progress.csv`, init)).status).toBe(401);
    }
    expect((await fetch(`${room.url}/api/progress?token=${room.store.token}`)).status).toBe(200);
  });

  it('exports CSV: a row per learner and session checked', async () => {
    const res = await fetch(`${room.url}/api/progress.csv?token=${room.store.token}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'learner,session,result,checked_at,passed,checks,failing,target,kit,checks_run,stuck_on',
    );
    expect(lines).toHaveLength(1 + LEARNERS * 2);
    expect(lines[2]).toMatch(/^Learner 01,session-2,pass,/);
    expect(lines[4]).toMatch(
      /^Learner 02,session-2,fail,.*,3,4,TODO 2: TODO 2 of session-2 works,local,0\.1\.0,1,$/,
    );
  });

  it('lets a learner write their own row only: the secret decides, not anything in the body', async () => {
    const [a, b] = learners;
    const aId = (await progress()).learners[0].id;
    const res = await fetch(`${room.url}/api/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secretOf(b)}` },
      body: JSON.stringify({ ...checkReportBody('session-3'), learner: aId, name: a.name }),
    });
    expect(res.status).toBe(204);
    const view = await progress();
    expect(view.learners[0].cells['session-3']).toBeUndefined();
    expect(view.learners[1].cells['session-3']?.ok).toBe(true);
    const forged = await fetch(`${room.url}/api/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-secret' },
      body: JSON.stringify(checkReportBody('session-3')),
    });
    expect(forged.status).toBe(401);
  });

  it('refuses bodies that are too large or malformed, saying what is wrong', async () => {
    const post = (body: string, secret = secretOf(learners[2])) =>
      fetch(`${room.url}/api/report`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body,
      });
    expect((await post('x'.repeat(64 * 1024))).status).toBe(413);
    const bad = await post(JSON.stringify({ ...checkReportBody('session-9') }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(
      /^session: "session-9" is not one of session-1/,
    );
    const long = await post(
      JSON.stringify({
        ...checkReportBody('session-1'),
        checks: [{ id: 'x', title: 'y'.repeat(500), status: 'pass' }],
      }),
    );
    expect(((await long.json()) as { message: string }).message).toBe(
      'checks[0].title: at most 200 characters (got 500).',
    );
    const joinBad = await fetch(`${room.url}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'WRONG', name: 'Eve' }),
    });
    expect(joinBad.status).toBe(403);
  });

  it('rate-limits a learner who floods it, and keeps taking the others', async () => {
    const flooder = learners[3];
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        reportToRoom(checkReport('session-1', []), { root: flooder.root, note: () => undefined }),
      ),
    );
    expect(results.filter((r) => r?.sent).length).toBeLessThanOrEqual(11);
    expect(results.some((r) => r && !r.sent && /busy/.test(r.why))).toBe(true);
    expect((await reportToRoom(checkReport('session-1', []), { root: learners[4].root }))?.sent).toBe(true);
  });

  it('listens on the chosen interface only', async () => {
    expect(room.host).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of others) {
      const error = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port: room.port }, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
      expect(error, `connecting on ${address}`).toBe('ECONNREFUSED');
    }
  });

  it('keeps the room across a restart: same code, same token, same learners', async () => {
    const stateFile = joinPath(learners[0].root, 'room-state.json');
    const first = await startRoom({ port: 0, stateFile });
    const l = await joinedLearner(first.joinUrl, 'Stays');
    await first.close();
    const second = await startRoom({ port: first.port, stateFile });
    try {
      expect(second.store.code).toBe(first.store.code);
      expect(second.instructorUrl).toBe(first.instructorUrl);
      expect((await reportToRoom(checkReport('session-1', [2]), { root: l.root }))?.sent).toBe(true);
      expect(second.store.view().learners.map((x) => [x.name, x.cells['session-1']?.ok])).toEqual([
        ['Stays', false],
      ]);
    } finally {
      await second.close();
      l.remove();
    }
  });
});

function checkReportBody(session: string) {
  return {
    session,
    ok: true,
    target: 'local',
    kit: '0.1.0',
    durations: { package: 10 },
    checks: [{ id: 'a', title: 'A', status: 'pass' }],
  };
}
