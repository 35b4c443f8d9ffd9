/**
 * Sends a finished check to the room, if the learner joined one. A room that is gone, slow
 * or hostile must cost the check nothing: the call never throws, settles within a small
 * bound whatever the room does (the request is then dropped, so nothing keeps the process
 * alive), and says at most one dim line, on stderr, so the check's output stays the same.
 */
import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import { REPO_ROOT } from '../core/repo.ts';
import type { CheckReport } from '../core/result.ts';
import { readMembership, type Membership } from './membership.ts';
import { toRoomReport } from './payload.ts';
import { realClearTimeout, realSetTimeout } from '../../emulator/index.ts';

/** The most a check waits for the room before it ends: a LAN answers in milliseconds. */
export const REPORT_BOUND_MS = 800;

export type SendOutcome = { sent: true } | { sent: false; why: string };

export interface ReportOptions {
  root?: string;
  boundMs?: number;
  /** Where the one dim line goes (default stderr). */
  note?: (line: string) => void;
}

/** The hook in `check`: sends the report when the learner is in a room; resolves within the bound. */
export async function reportToRoom(
  report: CheckReport,
  options: ReportOptions = {},
): Promise<SendOutcome | undefined> {
  let membership: Membership | undefined;
  let outcome: SendOutcome;
  try {
    const root = options.root ?? REPO_ROOT;
    membership = readMembership(root);
    // A reference solution checked to compare is not the learner's progress.
    if (!membership || isSolution(root, report.dir)) return undefined;
    outcome = await postReport(
      membership,
      JSON.stringify(toRoomReport(report)),
      options.boundMs ?? REPORT_BOUND_MS,
    );
  } catch (err) {
    outcome = { sent: false, why: (err as Error).message };
  }
  if (!outcome.sent)
    (options.note ?? ((line) => process.stderr.write(`${line}\n`)))(
      pc.dim(
        `room: this result did not reach ${membership?.room ?? 'the room'} (${outcome.why}); your check is not affected.`,
      ),
    );
  return outcome;
}

function isSolution(root: string, dir: string): boolean {
  return /^solutions([\\/]|$)/.test(relative(root, resolve(dir)));
}

/** One POST, settled by its answer, its failure or the bound, whichever comes first. */
export function postReport(m: Membership, body: string, boundMs: number): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: SendOutcome) => {
      if (done) return;
      done = true;
      realClearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    // Real time: a check may have installed the local cloud's virtual clock over the timers.
    // The timer keeps the process alive until the bound, no longer: left unreferenced, a
    // silent room would let the event loop drain and the check exit before its exit code.
    const timer = realSetTimeout(
      () => finish({ sent: false, why: `no answer within ${boundMs} ms` }),
      boundMs,
    );
    const url = new URL('/api/report', m.room);
    const req = (url.protocol === 'https:' ? requestTls : request)(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${m.secret}`,
      },
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({
        sent: false,
        why: err.code === 'ECONNREFUSED' ? 'the room is closed' : (err.code ?? err.message),
      }),
    );
    req.on('response', (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) finish({ sent: true });
      else if (status === 401)
        finish({
          sent: false,
          why: 'the room no longer knows you: npm run join <url> -- --name "Your name" again',
        });
      else if (status === 429) finish({ sent: false, why: 'the room is busy' });
      else finish({ sent: false, why: `the room answered ${status}` });
    });
    req.end(body);
  });
}
