/**
 * The room's throughput: check reports per second from many learners at once, over real
 * HTTP, next to the same requests answered by a bare Node server (the ceiling on this
 * machine). The room's rate limits are raised here: they would measure themselves.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRoom } from '../checker/room/server.ts';
import { postReport } from '../checker/room/report.ts';
import { toRoomReport } from '../checker/room/payload.ts';
import type { Membership } from '../checker/room/membership.ts';
import type { CheckReport } from '../checker/core/result.ts';

const UNLIMITED = { burst: 1e9, perSecond: 1e9 };

export interface RoomBench {
  learners: number;
  reports: number;
  roomPerSecond: number;
  barePerSecond: number;
}

export async function benchRoom(learners = 50, reportsEach = 40, concurrency = 16): Promise<RoomBench> {
  const body = JSON.stringify(toRoomReport(sampleReport()));
  const room = await startRoom({
    port: 0,
    limits: { perAddress: UNLIMITED, joins: UNLIMITED, reports: UNLIMITED, refusals: UNLIMITED },
  });
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
  try {
    const members: Membership[] = Array.from({ length: learners }, (_, i) => {
      const { learner, secret } = room.store.join(`Learner ${i}`);
      return { room: room.url, name: `Learner ${i}`, learner, secret, joinedAt: '' };
    });
    const total = learners * reportsEach;
    const run = async (target: (m: Membership) => Membership) => {
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            const m = target(members[next++ % learners]);
            const outcome = await postReport(m, body, 5000);
            if (!outcome.sent) throw new Error(`a report was not taken: ${outcome.why}`);
          }
        }),
      );
      return (total / (performance.now() - t0)) * 1000;
    };
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    const barePerSecond = await run((m) => ({ ...m, room: bareUrl }));
    const roomPerSecond = await run((m) => m);
    return { learners, reports: total, roomPerSecond, barePerSecond };
  } finally {
    await room.close();
    bare.closeAllConnections();
    await new Promise((r) => bare.close(r));
  }
}

function sampleReport(): CheckReport {
  const results = Array.from({ length: 12 }, (_, i) => ({
    id: `s4.check-${i}`,
    title: `Check ${i} of session 4`,
    status: i % 4 === 0 ? ('fail' as const) : ('pass' as const),
    todo: (i % 8) + 1,
    hint: i % 4 === 0 ? 'Put 3 entries in the Entries array of one PutEventsCommand.' : undefined,
  }));
  return {
    session: 'session-4',
    dir: 'backend',
    target: 'local',
    seed: 1,
    minutes: 20,
    ok: false,
    results,
    timings: { package: 900, static: 3, deploy: 400, observe: 2100, teardown: 40 },
  };
}
