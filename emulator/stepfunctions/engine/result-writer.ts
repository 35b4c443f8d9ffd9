/**
 * A Distributed Map's ResultWriter (`arn:aws:states:::s3:putObject`): instead of returning its
 * children's results, the Map writes them to S3 and returns where, as AWS's "ResultWriter
 * (Map)" page describes (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html):
 *
 *   <Prefix>/<map run id>/manifest.json      { DestinationBucket, MapRunArn, ResultFiles: { FAILED, PENDING, SUCCEEDED } }
 *   <Prefix>/<map run id>/SUCCEEDED_0.json   the children that succeeded
 *   <Prefix>/<map run id>/FAILED_0.json      the children that failed (written only when some did)
 *
 * and the Map's result is `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`, Key being the
 * manifest's. WriterConfig.Transformation shapes the succeeded results: NONE (the default with
 * a Resource: each child's execution record, Input and Output as JSON text), COMPACT (the
 * outputs only), FLATTEN (the outputs, arrays flattened); failed children are always written
 * unchanged. A bucket that is not there fails the state with States.ResultWriterFailed.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.ts';
import { javaSdkCause } from '../errors.ts';
import { pathData, type StateRun } from './context.ts';
import { jsonata, payloadTemplate } from './data-flow.ts';
import { StatesResultWriterFailed } from './errors.ts';

export const WRITE_OBJECT = 'arn:aws:states:::s3:putObject';
export const TRANSFORMATIONS = ['NONE', 'COMPACT', 'FLATTEN'];

/** One child execution of the map run, as it ended. */
export interface ChildOutcome {
  arn: string;
  name: string;
  stateMachineArn: string;
  input: unknown;
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate: number;
}

interface ResultWriter {
  Resource?: string;
  Parameters?: unknown;
  Arguments?: unknown;
  WriterConfig?: { Transformation?: string; OutputType?: string };
}

/** Writes the results and returns the Map's result; `input` is the state's input after InputPath. */
export async function writeResults(
  run: StateRun,
  input: unknown,
  mapRunArn: string,
  children: ChildOutcome[],
): Promise<{ MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } }> {
  const writer = run.state.ResultWriter as ResultWriter;
  const params = (
    run.language === 'JSONata'
      ? await jsonata(run, writer.Arguments ?? {}, 'ResultWriter.Arguments')
      : payloadTemplate(writer.Parameters ?? {}, pathData(run, input), run)
  ) as { Bucket?: unknown; Prefix?: unknown };
  const bucket = String(params.Bucket ?? '');
  const prefix = typeof params.Prefix === 'string' ? params.Prefix : '';
  // The folder is the map run's id, the last part of its ARN.
  const folder = `${prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`}${mapRunArn.split(':').at(-1)}/`;
  const transformation = writer.WriterConfig?.Transformation ?? 'NONE';
  const put = (key: string, value: unknown) => {
    const body = Buffer.from(JSON.stringify(value));
    try {
      run.engine.deps.s3.putObject(bucket, key, body, { contentType: 'application/json' });
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      throw new StatesResultWriterFailed(
        javaSdkCause(err.message, 'Amazon S3', err.status, err.code, randomUUID()),
      );
    }
    return { Key: key, Size: body.length };
  };
  const succeeded = children.filter((c) => c.status === 'SUCCEEDED');
  const failed = children.filter((c) => c.status === 'FAILED');
  const files: Record<'FAILED' | 'PENDING' | 'SUCCEEDED', Array<{ Key: string; Size: number }>> = {
    FAILED: [],
    PENDING: [],
    SUCCEEDED: [],
  };
  if (succeeded.length > 0)
    files.SUCCEEDED.push(put(`${folder}SUCCEEDED_0.json`, shaped(succeeded, transformation)));
  if (failed.length > 0) files.FAILED.push(put(`${folder}FAILED_0.json`, failed.map(record)));
  const manifest = `${folder}manifest.json`;
  put(manifest, { DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: files });
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifest } };
}

function shaped(children: ChildOutcome[], transformation: string): unknown[] {
  if (transformation === 'COMPACT') return children.map((c) => c.output);
  if (transformation === 'FLATTEN') return children.flatMap((c) => c.output);
  return children.map(record);
}

/** A child's execution record, as AWS writes it with Transformation NONE. */
function record(c: ChildOutcome): Record<string, unknown> {
  const common = {
    ExecutionArn: c.arn,
    Input: JSON.stringify(c.input),
    InputDetails: { Included: true },
    Name: c.name,
  };
  const ended = {
    StartDate: new Date(c.startDate).toISOString(),
    StateMachineArn: c.stateMachineArn,
    Status: c.status,
    StopDate: new Date(c.stopDate).toISOString(),
  };
  if (c.status === 'FAILED') return { ...common, Error: c.error, Cause: c.cause, ...ended };
  return {
    ...common,
    Output: JSON.stringify(c.output),
    OutputDetails: { Included: true },
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    ...ended,
  };
}
