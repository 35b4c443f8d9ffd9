/**
 * How many executions the local cloud can hold waiting, and at what cost: n executions of
 * the session-4 shape (Task → Wait an hour → Task, Lambda answered in-process at once) are
 * started, left in their Wait state, measured, then run to the end.
 *
 * Measured on the dev container (Node 22.23, `npx tsx --expose-gc emulator/stepfunctions/bench.ts 10000`)
 * with the local cloud's own interpreter, on a machine shared with other heavy jobs (so the
 * times are high): 10 000 executions waiting at 8.7 KB each (10.4 KB before the interpreter's
 * engine became a class and history events shared their "not truncated" note; 14.5 KB with
 * aws-local-stepfunctions, whose run state took 7.9 KB of it); 10 000 SUCCEEDED.
 * A measurement, not an assertion: run it again to refresh the figures.
 */
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { VirtualClock } from '../core/clock.ts';
import { Trace } from '../core/trace.ts';
import { S3Service } from '../s3/index.ts';
import { StepFunctionsService } from './service.ts';

export interface WaitingBenchResult {
  executions: number;
  /** Real ms to start them all and see them all in their Wait state. */
  startMs: number;
  heapBeforeMb: number;
  heapWaitingMb: number;
  /** Heap growth per waiting execution, in KB. */
  perExecutionKb: number;
  /** Real ms to run the virtual wait and the last Task of all of them. */
  finishMs: number;
  succeeded: number;
}

export async function benchWaitingExecutions(n = 10_000, waitSeconds = 3_600): Promise<WaitingBenchResult> {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), speed: 'paused' });
  try {
    const trace = new Trace(() => clock.now(), 1_000_000);
    const sfn = new StepFunctionsService({
      clock,
      trace,
      region: 'eu-west-1',
      accountId: '123456789012',
      invokeLambda: async (_name, payload) => ({
        requestId: 'bench',
        ok: true,
        payload: { ...(payload as object), numberOfSeconds: waitSeconds },
      }),
      putEvents: async () => ({ FailedEntryCount: 0, Entries: [] }),
      dynamodb: async () => ({}),
      s3: new S3Service({ now: () => clock.now(), region: 'eu-west-1' }),
    });
    const fn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
    const { stateMachineArn } = sfn.createStateMachine({
      name: 'bench-waiting',
      roleArn: 'arn:aws:iam::123456789012:role/bench',
      definition: {
        StartAt: 'ChooseWaitTime',
        States: {
          ChooseWaitTime: { Type: 'Task', Resource: fn('choose'), Next: 'WaitXSeconds' },
          WaitXSeconds: { Type: 'Wait', SecondsPath: '$.numberOfSeconds', Next: 'CreateVirus' },
          CreateVirus: { Type: 'Task', Resource: fn('create'), End: true },
        },
      },
    });

    let waiting = 0;
    trace.subscribe((e) => {
      if (e.kind === 'sfn.state.enter' && e.state === 'WaitXSeconds') waiting++;
    });
    const t0 = performance.now();
    const arns: string[] = [];
    for (let i = 0; i < n; i++)
      arns.push(sfn.startExecution({ stateMachineArn, name: `run-${i}`, input: { i } }).executionArn);
    while (waiting < n) await realTick();
    const startMs = performance.now() - t0;

    collectGarbage();
    const heapWaiting = process.memoryUsage().heapUsed;

    const t1 = performance.now();
    await clock.advance(waitSeconds * 1000 + 1000);
    await Promise.all(arns.map((arn) => sfn.settled(arn)));
    const finishMs = performance.now() - t1;
    const succeeded = arns.filter((arn) => sfn.describeExecution(arn).status === 'SUCCEEDED').length;

    return {
      executions: n,
      startMs: Math.round(startMs),
      heapBeforeMb: mb(heapBefore),
      heapWaitingMb: mb(heapWaiting),
      perExecutionKb: Math.round(((heapWaiting - heapBefore) / n / 1024) * 10) / 10,
      finishMs: Math.round(finishMs),
      succeeded,
    };
  } finally {
    clock.uninstall();
  }
}

/**
 * A full collection before each heap reading: without one, garbage left by the starts counts
 * as held memory. `npm run bench` runs without --expose-gc, so the flag is set at run time.
 */
function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function realTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 10_000);
  console.log(await benchWaitingExecutions(n));
}
