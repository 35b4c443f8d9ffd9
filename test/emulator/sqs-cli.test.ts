/** SQS through the AWS CLI v1 (`aws sqs ...`, the JSON protocol in botocore 1.43), as a learner would call it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LocalCloud } from '../../emulator/cloud.ts';

const run = promisify(execFile);

describe('SQS through the AWS CLI', () => {
  let cloud: LocalCloud;
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_DEFAULT_REGION: 'eu-west-1',
  };
  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', cloud.endpoint, '--output', 'json', 'sqs', ...args],
      {
        env,
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  beforeAll(async () => {
    cloud = await LocalCloud.start();
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('creates a queue, sends, receives and deletes a message', async () => {
    const { QueueUrl } = await aws(
      'create-queue',
      '--queue-name',
      'cli',
      '--attributes',
      'VisibilityTimeout=60',
    );
    expect(QueueUrl).toBe(`${cloud.endpoint}/123456789012/cli`);
    const sent = await aws('send-message', '--queue-url', QueueUrl, '--message-body', 'hello');
    const { Messages } = await aws('receive-message', '--queue-url', QueueUrl, '--attribute-names', 'All');
    expect(Messages).toEqual([
      expect.objectContaining({
        MessageId: sent.MessageId,
        Body: 'hello',
        Attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }),
      }),
    ]);
    await aws('delete-message', '--queue-url', QueueUrl, '--receipt-handle', Messages[0].ReceiptHandle);
    expect(
      await aws(
        'get-queue-attributes',
        '--queue-url',
        QueueUrl,
        '--attribute-names',
        'ApproximateNumberOfMessages',
        'VisibilityTimeout',
      ),
    ).toEqual({
      Attributes: { ApproximateNumberOfMessages: '0', VisibilityTimeout: '60' },
    });
  });

  it('prints the query-compatible error code for a queue that does not exist', async () => {
    await expect(aws('get-queue-url', '--queue-name', 'missing')).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.',
      ),
    });
  });
});
