import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LocalCloud } from '../../emulator/cloud.ts';
import { realSetTimeout, realSleep } from '../../emulator/index.ts';

/**
 * The gateway against what a confused client, a broken script or a hostile page may send:
 * bad JSON, unknown targets and paths, bodies over AWS's limits, bad signatures, clients
 * that stall mid-request, and all of it at once. Each gets an error in AWS's shape (a status,
 * `x-amzn-errortype`, a JSON message), never a crash or a connection left open; afterwards the
 * cloud answers a normal SDK call. Bounded: a fixed, seeded set of requests.
 */
interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

let cloud: LocalCloud;
let host: string;
let port: number;

beforeAll(async () => {
  cloud = await LocalCloud.start({ port: 0 });
  // Short, so the stalled clients below are cut off within the test's time.
  cloud.gateway.requestTimeoutMs = 800;
  ({ hostname: host, port: port as unknown } = new URL(cloud.endpoint) as unknown as {
    hostname: string;
    port: number;
  });
  port = Number(new URL(cloud.endpoint).port);
});

afterAll(async () => {
  await cloud?.stop();
});

/** One raw HTTP exchange on its own connection: the bytes go out as given, the answer is parsed by hand. */
function raw(request: string | Buffer, { endAfterWrite = false } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err),
    );
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const body = data.slice(data.indexOf('\r\n\r\n') + 4);
      // The code is in x-amzn-errortype, or (DynamoDB) only in the body's __type, after its namespace.
      let type = /\r\nx-amzn-errortype: ([^\r:]+)/i.exec(data)?.[1];
      try {
        type ??= (JSON.parse(body) as { __type?: string }).__type?.split('#').pop();
      } catch {
        // Not JSON: no code, and the assertions say so.
      }
      resolve({ status, type, body });
    });
    socket.write(request, () => {
      if (endAfterWrite) socket.end();
    });
  });
}

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): string | Buffer {
  const head = [
    `POST ${path} HTTP/1.1`,
    `host: ${host}:${port}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}

/** A well-formed SigV4 header, as any SDK sends (the local cloud reads the key, not the signature). */
const SIGNED =
  'AWS4-HMAC-SHA256 Credential=local/20300101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd';
const json = (target: string) => ({
  'x-amz-target': target,
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-date': '20300101T000000Z',
  authorization: SIGNED,
});

/** An AWS-shaped refusal: a client error with its code (x-amzn-errortype or the body's __type) in a JSON body. */
function expectAwsError(answer: Answer, status: number, type: string | RegExp): void {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.type, answer.body).toMatch(type);
  expect(JSON.parse(answer.body), answer.body).toBeTypeOf('object');
}

describe('the gateway, fed garbage', () => {
  it('refuses bad JSON and JSON that is not an object with SerializationException', async () => {
    for (const target of [
      'DynamoDB_20120810.ListTables',
      'AWSEvents.PutEvents',
      'AWSStepFunctions.ListStateMachines',
    ]) {
      for (const body of ['{"a":', '{]', '\u0000\u00ff', 'null', '[]', '"text"', '42']) {
        expectAwsError(await raw(post('/', body, json(target))), 400, 'SerializationException');
      }
    }
  });

  it('refuses unknown targets, actions and paths with AWS-shaped errors', async () => {
    expectAwsError(
      await raw(post('/', '{}', json('NoSuchService_2020.DoIt'))),
      400,
      'UnknownOperationException',
    );
    expectAwsError(await raw(post('/', '{}', json('no-dot-at-all'))), 400, 'UnknownOperationException');
    expectAwsError(
      await raw(post('/', '{}', json('DynamoDB_20120810.NoSuchAction'))),
      400,
      /UnknownOperationException/,
    );
    expectAwsError(
      await raw(post('/', '{}', json('AWSStepFunctions.'))),
      400,
      /UnknownOperationException|InvalidAction/,
    );
    expectAwsError(
      await raw(`GET /no/such/path HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`),
      404,
      'UnknownOperationException',
    );
    expectAwsError(
      await raw(
        `POST /2015-03-31/functions/%E0%A4%A/invocations HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`,
      ),
      400,
      'InvalidURI',
    );
    expectAwsError(
      await raw(post('/2015-03-31/functions/no-such-function/invocations', '{}')),
      404,
      'ResourceNotFoundException',
    );
  });

  it('refuses bodies over the limit AWS enforces for the API, with its error', async () => {
    const invoke = await raw(
      post('/2015-03-31/functions/any/invocations', Buffer.alloc(6 * 1024 * 1024 + 1, 'a')),
    );
    expectAwsError(invoke, 413, 'RequestTooLargeException');
    expect(JSON.parse(invoke.body).message).toBe(
      'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    );
    expectAwsError(
      await raw(post('/', Buffer.alloc(16 * 1024 * 1024 + 1, ' '), json('DynamoDB_20120810.ListTables'))),
      413,
      'RequestEntityTooLargeException',
    );
    expectAwsError(
      await raw(post('/_aws/execute-api/abc/route', Buffer.alloc(10 * 1024 * 1024 + 1, 'x'))),
      413,
      'RequestEntityTooLarge',
    );
  });

  it('refuses malformed SigV4 headers with IncompleteSignatureException, and lets well-formed ones through unverified', async () => {
    for (const authorization of [
      'garbage',
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=00',
      'AWS4-HMAC-SHA256 Credential=key/only, SignedHeaders=host, Signature=00',
    ]) {
      expectAwsError(
        await raw(post('/', '{}', { ...json('DynamoDB_20120810.ListTables'), authorization })),
        400,
        'IncompleteSignatureException',
      );
    }
    // The local cloud does not check signatures (any key works): a wrong one is an outside client.
    const wrong = await raw(
      post('/', '{}', {
        ...json('DynamoDB_20120810.ListTables'),
        authorization:
          'AWS4-HMAC-SHA256 Credential=nobody/20300101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=deadbeef',
      }),
    );
    expect(wrong.status).toBe(200);
    expect(JSON.parse(wrong.body)).toEqual({ TableNames: [] });
    // No signature at all: DynamoDB refuses it as AWS does; the others serve it (the board calls them so).
    const { authorization: _, ...unsigned } = json('DynamoDB_20120810.ListTables');
    expectAwsError(await raw(post('/', '{}', unsigned)), 400, 'MissingAuthenticationTokenException');
    expect(
      (await raw(post('/', '{}', { ...json('AWSStepFunctions.ListStateMachines'), authorization: '' })))
        .status,
    ).toBe(200);
  });

  it('cuts off a client that stalls mid-body or mid-headers, in real time, with a 408', async () => {
    const t0 = performance.now();
    const body = await raw(
      post('/', '{"Ta', { ...json('DynamoDB_20120810.ListTables'), 'content-length': '100' })
        .toString()
        .replace(/content-length: 4\r\n/, ''),
    );
    expectAwsError(body, 408, 'RequestTimeout');
    const headers = await raw('POST / HTTP/1.1\r\nhost: x\r\nx-amz-tar');
    expect(headers.status).toBe(408);
    expect(headers.type).toBe('RequestTimeout');
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('answers HTTP that is not HTTP with a 400, and a client that hangs up early costs nothing', async () => {
    expectAwsError(await raw('GARBAGE\r\n\r\n'), 400, 'BadRequest');
    expectAwsError(await raw('GET / HTTP/1.1\r\nhost: x\r\nbad header line\r\n\r\n'), 400, 'BadRequest');
    // Headers, half a body, and gone: nothing to answer, nothing may break.
    const gone = await raw(
      post('/', '{"a":1', { ...json('DynamoDB_20120810.ListTables'), 'content-length': '50' })
        .toString()
        .replace(/content-length: 6\r\n/, ''),
      { endAfterWrite: true },
    );
    expect([0, 400, 408]).toContain(gone.status);
  });

  it('survives all of it at once, then answers a normal SDK call and closes with nothing left open', async () => {
    // A seeded mix: the same requests every run.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const targets = [
      'DynamoDB_20120810.PutItem',
      'DynamoDB_20120810.Query',
      'AWSEvents.PutEvents',
      'AWSStepFunctions.StartExecution',
      'AWSStepFunctions.SendTaskSuccess',
      'Nope.Nope',
    ];
    const bodies = [
      '{',
      '{"TableName":42}',
      '{"Entries":"x"}',
      '{"stateMachineArn":null}',
      '{"taskToken":[1,2]}',
      '{"Item":{"id":{"Q":"x"}}}',
      Buffer.from(Array.from({ length: 64 }, () => Math.floor(next() * 256))).toString('latin1'),
    ];
    const requests: Array<Promise<Answer>> = [];
    for (let i = 0; i < 60; i++) {
      const target = targets[Math.floor(next() * targets.length)];
      const body = bodies[Math.floor(next() * bodies.length)];
      requests.push(raw(post('/', body, json(target))));
    }
    requests.push(raw('GARBAGE\r\n\r\n'), raw(post('/2015-03-31/functions/x/invocations', '{')));
    for (const answer of await Promise.all(requests)) {
      expect(answer.status, answer.body).toBeGreaterThanOrEqual(400);
      expect(answer.status, answer.body).toBeLessThan(500);
      expect(answer.type, answer.body).toBeTruthy();
    }

    const ddb = new DynamoDBClient(cloud.clientConfig());
    try {
      expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    } finally {
      ddb.destroy();
    }
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const stopped = cloud.stop();
    await Promise.race([
      stopped,
      new Promise((_, reject) =>
        realSetTimeout(() => reject(new Error('the cloud did not stop within 5 s')), 5000),
      ),
    ]);
    // Each of this file's raw connections was closed by the server's answer: none is left.
    await realSleep(100);
    expect(sockets()).toBe(0);
  }, 60_000);
});
