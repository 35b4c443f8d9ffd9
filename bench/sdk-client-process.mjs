/**
 * One learner's process: the real AWS SDK v3 client of one service, sending one kind of
 * request to `endpoint` with `inFlight` requests at once. Plain JavaScript and no loader,
 * as a learner's script starts. A process, not a worker thread, so that the local cloud's
 * process CPU time counts the cloud's work alone.
 *
 * Protocol (IPC): argv[2] is { op, endpoint, region, params, inFlight, requests } as JSON;
 * the client warms up (connections open, code compiled), sends { ready }, waits for any
 * message, sends `requests` requests and sends { done } or { error } (its first failure),
 * then waits to be killed.
 */
import { Buffer } from 'node:buffer';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

const { op, endpoint, region, params, inFlight, requests } = JSON.parse(process.argv[2]);
const config = { endpoint, region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };

/** Each op: its client and the n-th request, answered as AWS answers it (checked, or the figure lies). */
const OPS = {
  invoke: () => {
    const client = new LambdaClient(config);
    return async () => {
      const out = await client.send(new InvokeCommand({ FunctionName: params.functionName }));
      if (out.FunctionError)
        throw new Error(`${params.functionName} failed: ${Buffer.from(out.Payload ?? []).toString()}`);
    };
  },
  putItem: () => {
    const client = new DynamoDBClient(config);
    let n = 0;
    return async () => {
      const id = `${params.prefix}-${n++}`;
      await client.send(
        new PutItemCommand({ TableName: params.table, Item: { id: { S: id }, n: { N: String(n) } } }),
      );
    };
  },
  putEvents: () => {
    const client = new EventBridgeClient(config);
    const Entries = Array.from({ length: params.entries }, () => ({
      Source: params.source,
      DetailType: 'bench',
      Detail: '{}',
    }));
    return async () => {
      const out = await client.send(new PutEventsCommand({ Entries }));
      if (out.FailedEntryCount)
        throw new Error(`PutEvents refused ${out.FailedEntryCount} entries: ${JSON.stringify(out.Entries)}`);
    };
  },
};

const one = OPS[op]();
const run = async (count) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        next++;
        await one();
      }
    }),
  );
};

// The bench ends the client when it has its answer (exiting here could beat the message to it);
// a bench that is gone ends it too.
process.once('disconnect', () => process.exit(0));
try {
  await run(Math.min(20, requests));
  process.send({ ready: true });
  await new Promise((resolve) => process.once('message', resolve));
  await run(requests);
  process.send({ done: true });
} catch (err) {
  process.send({ error: `${op} to ${endpoint}: ${err?.message ?? err}` });
}
