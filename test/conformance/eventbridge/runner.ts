/**
 * Runs the EventBridge conformance cases against a local cloud through the real
 * @aws-sdk/client-eventbridge: npm test runs each as a test (conformance.test.ts), `npm run
 * bench` prints how many pass.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { LocalCloud } from '../../../emulator/cloud.ts';
import { CASES, type Call, type ConformanceCase, type Refusal, type Step } from './cases.ts';

export interface CaseResult {
  name: string;
  pass: boolean;
  /** What differed, when it failed. */
  detail?: string;
}

/** The local cloud the cases run on (the clock set where the recordings do not care). */
export const startCloud = () => LocalCloud.start({ start: Date.UTC(2026, 10, 21, 10, 0, 0) });

/** Runs a case's steps in order; the first step that differs fails the case. */
export async function runCase(
  c: ConformanceCase,
  eb: EventBridgeClient,
  cloud: LocalCloud,
): Promise<CaseResult> {
  for (const [i, step] of c.steps.entries()) {
    const differs = await runStep(step, eb, cloud);
    if (differs) {
      const where = c.steps.length > 1 ? `step ${i + 1}${step.label ? ` (${step.label})` : ''}: ` : '';
      return { name: c.name, pass: false, detail: where + differs };
    }
  }
  return { name: c.name, pass: true };
}

/** What differed in one step, or undefined when the local cloud answered as AWS does. */
async function runStep(step: Step, eb: EventBridgeClient, cloud: LocalCloud): Promise<string | undefined> {
  let answer: Record<string, unknown>;
  try {
    answer = (await send(step, eb)) as Record<string, unknown>;
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const got = { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
    if (!('refused' in step.expect)) return `expected an answer, got ${got.name}: ${got.message}`;
    return refusalDiffers(step.expect.refused, got);
  }
  if ('refused' in step.expect)
    return `AWS refuses this request with ${JSON.stringify(step.expect.refused, replacer)}; the local cloud answered ${JSON.stringify(answer)}`;
  const want = step.expect.answer;
  const diffs = Object.keys(want).filter((k) => !matches(answer[k], want[k]));
  if (diffs.length > 0)
    return diffs
      .map((k) => `${k}: expected ${JSON.stringify(want[k], replacer)}, got ${JSON.stringify(answer[k])}`)
      .join('; ');
  if (step.traced) return tracedDiffers(step.traced, answer, cloud);
  return undefined;
}

function send(call: Call, eb: EventBridgeClient): Promise<unknown> {
  if ('testEventPattern' in call) {
    const { event, pattern } = call.testEventPattern;
    const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    return eb.send(new TestEventPatternCommand({ Event: text(event), EventPattern: text(pattern) }));
  }
  if ('putRule' in call) return eb.send(new PutRuleCommand(call.putRule));
  if ('deleteRule' in call) return eb.send(new DeleteRuleCommand(call.deleteRule));
  return eb.send(new PutEventsCommand({ Entries: call.putEvents }));
}

function refusalDiffers(
  want: Refusal,
  got: { name?: string; message?: string; status?: number },
): string | undefined {
  const diffs: string[] = [];
  if (want.name !== undefined && got.name !== want.name)
    diffs.push(`name: expected ${want.name}, got ${got.name}`);
  if (want.message !== undefined && got.message !== want.message)
    diffs.push(`message: expected ${JSON.stringify(want.message)}, got ${JSON.stringify(got.message)}`);
  for (const pattern of want.messageMatches ?? [])
    if (!pattern.test(got.message ?? ''))
      diffs.push(`message: expected to match ${pattern}, got ${JSON.stringify(got.message)}`);
  if (want.status !== undefined && got.status !== want.status)
    diffs.push(`status: expected ${want.status}, got ${got.status}`);
  return diffs.length > 0 ? diffs.join('; ') : undefined;
}

function tracedDiffers(
  traced: NonNullable<Step['traced']>,
  answer: Record<string, unknown>,
  cloud: LocalCloud,
): string | undefined {
  const eventId = (answer.Entries as Array<{ EventId?: string }> | undefined)?.[traced.entry]?.EventId;
  const entry = cloud.trace.find('events.put', (e) => e.eventId === eventId)[0] as
    Record<string, unknown> | undefined;
  if (!entry) return `no events.put in the trace for entry ${traced.entry} (EventId ${eventId})`;
  const diffs = Object.keys(traced.includes).filter((k) => !isDeepStrictEqual(entry[k], traced.includes[k]));
  return diffs.length > 0
    ? `trace of entry ${traced.entry}: ${diffs.map((k) => `${k}: expected ${JSON.stringify(traced.includes[k])}, got ${JSON.stringify(entry[k])}`).join('; ')}`
    : undefined;
}

/**
 * Whether `got` is `want` whole: a RegExp in `want` stands for a string that matches it; an
 * object has exactly the stated keys (a key whose value is undefined counts as absent, as the
 * SDK leaves fields out that way).
 */
function matches(got: unknown, want: unknown): boolean {
  if (want instanceof RegExp) return typeof got === 'string' && want.test(got);
  if (Array.isArray(want))
    return Array.isArray(got) && got.length === want.length && want.every((w, i) => matches(got[i], w));
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return false;
    const present = (o: object) =>
      Object.entries(o)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k)
        .sort();
    const keys = present(want);
    return (
      isDeepStrictEqual(present(got), keys) &&
      keys.every((k) => matches((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k]))
    );
  }
  return isDeepStrictEqual(got, want);
}

/** A RegExp shown as its source in a failure's detail (JSON.stringify would show `{}`). */
const replacer = (_key: string, value: unknown) => (value instanceof RegExp ? String(value) : value);

/** Every case on a fresh local cloud (for the bench). */
export async function runSuite(): Promise<CaseResult[]> {
  const cloud = await startCloud();
  const eb = new EventBridgeClient(cloud.clientConfig());
  try {
    const results: CaseResult[] = [];
    for (const c of CASES) results.push(await runCase(c, eb, cloud));
    return results;
  } finally {
    eb.destroy();
    await cloud.stop();
  }
}
