import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LocalCloud } from '../../emulator/cloud.ts';

const run = promisify(execFile);

describe('testing one state from the AWS CLI (aws stepfunctions test-state), as the guide shows', () => {
  let cloud: LocalCloud;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    cloud = await LocalCloud.start();
    env = {
      ...process.env,
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_DEFAULT_REGION: cloud.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DISABLE_HOST_PREFIX_INJECTION: 'true',
    };
  });
  afterAll(async () => cloud?.stop());

  const aws = async (...args: string[]) =>
    JSON.parse((await run('aws', ['stepfunctions', ...args], { env, encoding: 'utf8' })).stdout);

  it('runs a Task on a mocked result and shows each processing step', async () => {
    const state = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'scan', 'Payload.$': '$' },
      ResultSelector: { 'viruses.$': '$.Payload.count' },
      ResultPath: '$.scan',
      Next: 'Report',
    };
    const out = await aws(
      'test-state',
      '--definition',
      JSON.stringify(state),
      '--input',
      '{"board":"b1"}',
      '--mock',
      JSON.stringify({ result: JSON.stringify({ Payload: { count: 3 } }) }),
      '--inspection-level',
      'DEBUG',
      '--role-arn',
      'arn:aws:iam::123456789012:role/r',
    );
    expect(out).toMatchObject({
      status: 'SUCCEEDED',
      nextState: 'Report',
      output: '{"board":"b1","scan":{"viruses":3}}',
    });
    expect(out.inspectionData.afterParameters).toBe('{"FunctionName":"scan","Payload":{"board":"b1"}}');
  });

  it('validates a definition with AWS’s diagnostics', async () => {
    const out = await aws(
      'validate-state-machine-definition',
      '--definition',
      JSON.stringify({
        QueryLanguage: 'JSONata',
        StartAt: 'A',
        States: { A: { Type: 'Pass', InputPath: '$', End: true } },
      }),
    );
    expect(out).toEqual({
      result: 'FAIL',
      diagnostics: [
        {
          severity: 'ERROR',
          code: 'SCHEMA_VALIDATION_FAILED',
          message:
            "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage",
          location: '/States/A',
        },
      ],
      truncated: false,
    });
  });
});
