/** The behaviour checks of session 3: each turns the observation into a ✔ or a ✖. */
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip } from '../../core/result.ts';
import { show } from '../../core/template.ts';
import { explainFailure } from '../session-1/errors.ts';
import type { Observation } from './observe.ts';

export function judge(o: Observation): CheckResult[] {
  return [scheduledEvent(o), everyMinute(o), requestIds(o), api(o)];
}

const at = (todo: number) => ({ todo });
const IDEMPOTENT =
  'Lambda keeps the request id when it retries a failed asynchronous invocation, so a virus keyed by it is written once, however many times the function runs.';

function scheduledEvent(o: Observation): CheckResult {
  const id = 's3.scheduled-event';
  const title = 'createVirus accepts the event EventBridge sends (detail-type "Scheduled Event")';
  if (!o.fn || !o.direct)
    return fail(id, title, {
      observed: 'no createVirus function was deployed',
      hint: 'Keep functions.createVirus in serverless.ts.',
      ...at(2),
    });
  const d = o.direct;
  if (d.error) {
    const e = explainFailure('createVirus', d.error, {});
    return fail(id, title, {
      observed: `invoked with a Scheduled Event: ${e.observed}`,
      expected: 'the virus it wrote',
      hint: e.hint,
      ...at(e.todo ?? 2),
    });
  }
  const virus = d.payload as { id?: unknown; createdAt?: unknown } | undefined;
  if (!virus || typeof virus.id !== 'string' || typeof virus.createdAt !== 'string') {
    return fail(id, title, {
      observed: `invoked with a Scheduled Event, createVirus returned ${show(d.payload)}`,
      expected: 'the virus it wrote: { id, createdAt }',
      hint: 'End main with return virus;.',
      ...at(2),
    });
  }
  if (!o.directItem)
    return fail(id, title, {
      observed: `createVirus returned ${show(virus)}, which is not in the table`,
      expected: 'the virus written before it is returned',
      hint: 'Await the PutCommand before returning the virus.',
      ...at(2),
    });
  return pass(id, title);
}

function everyMinute(o: Observation): CheckResult {
  const id = 's3.every-minute';
  const title = `Over ${o.minutes} minutes, one virus a minute, 60 s apart`;
  if (!o.hasSchedule) return skip(id, title, 'createVirus has no schedule yet (TODO 1).');
  const failed = o.runs?.filter((r) => !r.ok) ?? [];
  if (failed.length) {
    const e = explainFailure('createVirus', failed[0].error ?? {}, {});
    return fail(id, title, {
      observed: `${failed.length} of ${o.runs!.length} scheduled runs failed. ${e.observed}`,
      hint: e.hint,
      ...at(e.todo ?? 2),
    });
  }
  const n = o.viruses.length;
  if (n < o.minutes - 1 || n > o.minutes + 1) {
    return fail(id, title, {
      observed:
        n === 0
          ? `no virus appeared in ${o.minutes} minutes`
          : `${n} viruses appeared in ${o.minutes} minutes`,
      expected: `${o.minutes}, one a minute`,
      hint:
        n > o.minutes
          ? 'Is there more than one schedule invoking createVirus, or a function writing more than one virus a run?'
          : "createVirus should run on events: [{ schedule: 'rate(1 minute)' }].",
      ...at(1),
    });
  }
  // The local clock is exact; on AWS, EventBridge promises a schedule to the minute, not to the second.
  const tolerance = o.onAws ? 20_000 : 1000;
  const times = o.viruses.map((v) => Date.parse(v.createdAt));
  const gap = times.findIndex((t, i) => i > 0 && Math.abs(t - times[i - 1] - 60_000) > tolerance);
  if (gap > 0) {
    return fail(id, title, {
      observed: `two viruses ${((times[gap] - times[gap - 1]) / 1000).toFixed(1)} s apart (${o.viruses[gap - 1].createdAt} → ${o.viruses[gap].createdAt})`,
      expected: `60 s apart (± ${tolerance / 1000} s)`,
      hint: 'createdAt should be the time of the run: new Date().toISOString() when the virus is made.',
      ...at(1),
    });
  }
  return pass(id, `${title} (${n} viruses)`);
}

function requestIds(o: Observation): CheckResult {
  const id = 's3.request-id';
  const title = 'Each virus id is the request id of the invocation that wrote it';
  const hint = `Use newVirus(context.awsRequestId). ${IDEMPOTENT}`;
  const runs = o.runs?.filter((r) => r.ok && r.wrote.length) ?? [];
  const wrong = runs.flatMap((r) =>
    r.wrote.filter((w) => w !== r.requestId).map((w) => ({ w, r: r.requestId })),
  );
  if (wrong.length) {
    return fail(id, title, {
      observed: `the scheduled invocation ${wrong[0].r} wrote the virus ${wrong[0].w} (${wrong.length} of ${runs.length} runs like this)`,
      expected: `the virus ${wrong[0].r}`,
      hint,
      ...at(2),
    });
  }
  // The direct invocation: its request id comes back in the Invoke answer, on AWS as locally.
  const d = o.direct;
  const virusId = (d?.payload as { id?: unknown } | undefined)?.id;
  if (d && !d.error && d.requestId && virusId !== undefined && virusId !== d.requestId) {
    return fail(id, title, {
      observed: `the invocation ${d.requestId} returned the virus ${show(virusId)}`,
      expected: `the virus ${d.requestId}`,
      hint,
      ...at(2),
    });
  }
  if (runs.length) return pass(id, `${title} (${runs.length} scheduled runs)`);
  if (d && !d.error && d.requestId)
    return pass(
      id,
      `${title} (${o.onAws ? 'a direct invocation: on AWS the checker cannot see which scheduled run wrote which virus' : 'a direct invocation'})`,
    );
  return skip(id, title, 'no invocation of createVirus succeeded (see above).');
}

function api(o: Observation): CheckResult {
  const id = 's3.api';
  const title = "GET /viruses still lists the viruses (session 2's API)";
  if (!o.list) return skip(id, title, 'the service has no HTTP API');
  const viruses = (o.list.body as { viruses?: Array<{ id?: unknown }> } | undefined)?.viruses;
  if (o.list.status !== 200 || !Array.isArray(viruses)) {
    return fail(id, title, {
      observed: `GET /viruses answered ${o.list.status} ${show(o.list.body)}`,
      expected: '200 { "viruses": [...] }, as at the end of session 2',
      hint: 'This worked in session 2: compare listViruses and lib/http.ts with solutions/session-2.',
      docs: 'sessions/session-2#todo-6',
    });
  }
  const missing = o.viruses.filter((v) => !viruses.some((x) => x.id === v.id));
  if (missing.length)
    return fail(id, title, {
      observed: `${missing.length} of the ${o.viruses.length} scheduled viruses are not listed`,
      expected: 'every virus in the table',
      hint: 'listViruses should answer every item of its Scan.',
      docs: 'sessions/session-2#todo-6',
    });
  return pass(id, title);
}
