/**
 * Runs the Step Functions conformance cases against a local cloud through the real
 * @aws-sdk/client-sfn: npm test runs each as a test (conformance.test.ts), `npm run bench`
 * prints how many pass.
 */
import { isDeepStrictEqual } from 'node:util';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  TestStateCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { LocalCloud } from '../../../emulator/cloud.ts';
import { CASES, type ConformanceCase, type S3Setup } from './cases.ts';

export const ROLE = 'arn:aws:iam::123456789012:role/conformance';

export interface CaseResult {
  name: string;
  pass: boolean;
  /** What differed, when it failed. */
  detail?: string;
}

/** Runs one case; the local cloud's clock is moved on while an execution waits. */
export async function runCase(c: ConformanceCase, sfn: SFNClient, cloud: LocalCloud): Promise<CaseResult> {
  try {
    if ('validate' in c) {
      const out = await sfn.send(
        new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(c.validate) }),
      );
      const got = {
        result: out.result,
        code: out.diagnostics?.[0]?.code,
        message: out.diagnostics?.[0]?.message,
      };
      const want = c.expect;
      const pass =
        got.result === want.result &&
        (want.code === undefined || got.code === want.code) &&
        (want.message === undefined || got.message === want.message);
      return {
        name: c.name,
        pass,
        detail: pass ? undefined : `expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
      };
    }
    if ('testState' in c) {
      const t = c.testState;
      const out = await sfn.send(
        new TestStateCommand({
          definition: JSON.stringify(t.definition),
          roleArn: ROLE,
          input: JSON.stringify(t.input ?? {}),
          variables: t.variables === undefined ? undefined : JSON.stringify(t.variables),
          mock:
            t.mock &&
            (t.mock.errorOutput
              ? { errorOutput: t.mock.errorOutput }
              : { result: JSON.stringify(t.mock.result) }),
        }),
      );
      return compare(c, {
        status: out.status,
        output: out.output === undefined ? undefined : JSON.parse(out.output),
        error: out.error,
        cause: out.cause,
        nextState: out.nextState,
      });
    }
    if (c.execution.s3) await putObjects(cloud, c.execution.s3);
    const name = 'conformance-machine';
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name,
        definition: JSON.stringify(c.execution.definition),
        roleArn: ROLE,
      }),
    );
    try {
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(c.execution.input) }),
      );
      let d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      // Most cases end without virtual time passing; the others get it a second at a time.
      for (let i = 0; d.status === 'RUNNING' && i < 600; i++) {
        if (i >= 3) await cloud.clock.advance(1000);
        d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      }
      return compare(c, {
        status: d.status,
        output: d.output === undefined ? undefined : JSON.parse(d.output),
        error: d.error,
        cause: d.cause,
      });
    } finally {
      await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    }
  } catch (err) {
    return { name: c.name, pass: false, detail: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** The case's buckets and objects, through the real S3 client (a bucket made by an earlier case is kept). */
async function putObjects(cloud: LocalCloud, setup: S3Setup): Promise<void> {
  const s3 = new S3Client({ ...cloud.clientConfig(), forcePathStyle: true });
  try {
    for (const Bucket of setup.buckets) {
      await s3.send(new CreateBucketCommand({ Bucket })).catch((err: Error) => {
        if (err.name !== 'BucketAlreadyOwnedByYou') throw err;
      });
    }
    for (const [path, Body] of Object.entries(setup.objects ?? {})) {
      const [Bucket, ...key] = path.split('/');
      await s3.send(new PutObjectCommand({ Bucket, Key: key.join('/'), Body }));
    }
  } finally {
    s3.destroy();
  }
}

/** Only what the case states is compared (a case without `cause` does not check it). */
function compare(c: ConformanceCase, got: Record<string, unknown>): CaseResult {
  const want = c.expect as Record<string, unknown>;
  const diffs = Object.keys(want).filter((k) => !isDeepStrictEqual(got[k], want[k]));
  return {
    name: c.name,
    pass: diffs.length === 0,
    detail:
      diffs.length === 0
        ? undefined
        : diffs
            .map((k) => `${k}: expected ${JSON.stringify(want[k])}, got ${JSON.stringify(got[k])}`)
            .join('; '),
  };
}

/** Every case on a fresh local cloud (for the bench). */
export async function runSuite(): Promise<CaseResult[]> {
  const cloud = await LocalCloud.start();
  const sfn = new SFNClient(cloud.clientConfig());
  try {
    const results: CaseResult[] = [];
    for (const c of CASES) results.push(await runCase(c, sfn, cloud));
    return results;
  } finally {
    sfn.destroy();
    await cloud.stop();
  }
}
