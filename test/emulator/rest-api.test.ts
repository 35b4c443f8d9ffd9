/**
 * REST APIs (API Gateway v1) on the local cloud: the real `osls package` of
 * test/fixtures/rest-service (`http` events), deployed, then called with `fetch` as a client
 * would, and read back with @aws-sdk/client-api-gateway and `aws apigateway`. The event and
 * error shapes are AWS's (payload format 1.0:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  APIGatewayClient,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
} from '@aws-sdk/client-api-gateway';
import { LocalCloud } from '../../emulator/cloud.ts';
import type { DeployedStack } from '../../emulator/stack/provider.ts';

const SERVICE = resolve('test/fixtures/rest-service');

describe('a REST API from osls http events', () => {
  let cloud: LocalCloud;
  let stack: DeployedStack;
  let base: string;
  const warnings: string[] = [];

  beforeAll(async () => {
    cloud = await LocalCloud.start({ onWarning: (m) => warnings.push(m) });
    stack = await cloud.deployService(SERVICE);
    base = `${cloud.endpoint}/_aws/execute-api/${stack.resources.get('ApiGatewayRestApi')!.physicalId}/local`;
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('deploys every ApiGateway resource osls writes, with no warning', () => {
    const types = new Set(
      [...stack.resources.values()].map((r) => r.type).filter((t) => t.includes('ApiGateway')),
    );
    expect([...types].sort()).toEqual([
      'AWS::ApiGateway::Deployment',
      'AWS::ApiGateway::Method',
      'AWS::ApiGateway::Resource',
      'AWS::ApiGateway::RestApi',
    ]);
    expect(warnings).toEqual([]);
    expect(cloud.apiUrls()).toEqual([{ kind: 'REST API', name: 'local-rest', url: base }]);
  });

  it('sends the function the payload format 1.0 event', async () => {
    const sent = cloud.clock.now();
    const res = await fetch(`${base}/viruses/v-42?color=red&color=blue&size=3`, {
      headers: { 'X-Dojo': 'yes' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-echo')).toBe('one');
    expect(res.headers.get('x-many')).toBe('a, b');
    const event = await res.json();
    expect(event).toMatchObject({
      resource: '/viruses/{id}',
      path: '/viruses/v-42',
      httpMethod: 'GET',
      queryStringParameters: { color: 'blue', size: '3' },
      multiValueQueryStringParameters: { color: ['red', 'blue'], size: ['3'] },
      pathParameters: { id: 'v-42' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        accountId: cloud.accountId,
        apiId: stack.resources.get('ApiGatewayRestApi')!.physicalId,
        stage: 'local',
        resourcePath: '/viruses/{id}',
        httpMethod: 'GET',
        path: '/local/viruses/v-42',
        identity: { sourceIp: '127.0.0.1' },
      },
    });
    // Headers as the client spelled them, single and multi-valued.
    expect(event.headers['X-Dojo']).toBe('yes');
    expect(event.multiValueHeaders['X-Dojo']).toEqual(['yes']);
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // Virtual time: the request's, not the machine's.
    expect(event.requestContext.requestTimeEpoch).toBeGreaterThanOrEqual(sent);
    expect(event.requestContext.requestTimeEpoch).toBeLessThanOrEqual(cloud.clock.now());
  });

  it('matches nested parameters and a greedy {proxy+}, and passes the body', async () => {
    const cell = await (await fetch(`${base}/boards/b1/cells/c%203`)).json();
    expect(cell).toMatchObject({
      resource: '/boards/{boardId}/cells/{cell}',
      pathParameters: { boardId: 'b1', cell: 'c 3' },
    });
    const file = await (await fetch(`${base}/files/a/b/c.txt`, { method: 'DELETE' })).json();
    expect(file).toMatchObject({
      resource: '/files/{proxy+}',
      httpMethod: 'DELETE',
      pathParameters: { proxy: 'a/b/c.txt' },
    });
    const posted = await fetch(`${base}/viruses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ color: 'green' }),
    });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toMatchObject({ body: '{"color":"green"}', isBase64Encoded: false });
  });

  it('answers the CORS preflight from the MOCK integration osls generates for cors: true', async () => {
    const res = await fetch(`${base}/viruses`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('OPTIONS,POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('Content-Type');
    expect(cloud.trace.find('invoke.start', (e) => e.source === 'OPTIONS /local/viruses')).toEqual([]);
  });

  it('answers as AWS does when there is no such path, method or stage', async () => {
    const unknown = await fetch(`${base}/nowhere`);
    expect(unknown.status).toBe(403);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await unknown.json()).toEqual({ message: 'Missing Authentication Token' });
    const wrongMethod = await fetch(`${base}/viruses/v1`, { method: 'PUT' });
    expect(wrongMethod.status).toBe(403);
    expect(await wrongMethod.json()).toEqual({ message: 'Missing Authentication Token' });
    const wrongStage = await fetch(base.replace(/\/local$/, '/prod/viruses'));
    expect(wrongStage.status).toBe(403);
    expect(await wrongStage.json()).toEqual({ message: 'Forbidden' });
  });

  it('turns a thrown handler and a malformed response into 502 Internal server error', async () => {
    for (const how of ['throw', 'malformed']) {
      const res = await fetch(`${base}/fail/${how}`);
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({ message: 'Internal server error' });
    }
    const teapot = await fetch(`${base}/fail/other`);
    expect(teapot.status).toBe(418);
    const [req] = cloud.trace.find('rest.request', (e) => e.path === '/fail/throw');
    expect(req).toMatchObject({ stage: 'local', method: 'GET', resourcePath: '/fail/{how}' });
    expect(cloud.trace.find('rest.response', (e) => e.cause === req.seq)).toMatchObject([{ status: 502 }]);
  });

  it('decodes a base64 body only for a client that accepts one of the binary media types', async () => {
    const bytes = await fetch(`${base}/fail/binary`, { headers: { accept: 'application/octet-stream' } });
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const text = await fetch(`${base}/fail/binary`, { headers: { accept: 'application/json' } });
    expect(await text.text()).toBe(Buffer.from([0, 1, 2, 255]).toString('base64'));
    const upload = await fetch(`${base}/files/blob`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([9, 8, 7]),
    });
    expect(await upload.json()).toMatchObject({
      isBase64Encoded: true,
      body: Buffer.from([9, 8, 7]).toString('base64'),
    });
  });

  it('is read back with @aws-sdk/client-api-gateway', async () => {
    const client = new APIGatewayClient(cloud.clientConfig());
    const restApiId = stack.resources.get('ApiGatewayRestApi')!.physicalId;
    const { items: apis } = await client.send(new GetRestApisCommand({}));
    expect(apis).toMatchObject([
      { id: restApiId, name: 'local-rest', binaryMediaTypes: ['application/octet-stream'] },
    ]);
    expect(apis![0].createdDate).toBeInstanceOf(Date);
    const { items: resources } = await client.send(
      new GetResourcesCommand({ restApiId, embed: ['methods'] }),
    );
    const byPath = Object.fromEntries(resources!.map((r) => [r.path, r]));
    expect(Object.keys(byPath)).toContain('/boards/{boardId}/cells/{cell}');
    expect(Object.keys(byPath.viruses ?? byPath['/viruses'].resourceMethods!).sort()).toEqual([
      'GET',
      'OPTIONS',
      'POST',
    ]);
    expect(byPath['/viruses'].resourceMethods!.OPTIONS.methodIntegration).toMatchObject({ type: 'MOCK' });
    const { item: stages } = await client.send(new GetStagesCommand({ restApiId }));
    expect(stages).toMatchObject([{ stageName: 'local' }]);
    client.destroy();
  });

  it('is read back with aws apigateway', async () => {
    const restApiId = stack.resources.get('ApiGatewayRestApi')!.physicalId;
    const aws = (...args: string[]) =>
      promisify(execFile)(
        'aws',
        [
          '--endpoint-url',
          cloud.endpoint,
          '--region',
          cloud.region,
          '--output',
          'json',
          'apigateway',
          ...args,
        ],
        {
          env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
        },
      ).then((r) => JSON.parse(r.stdout));
    expect((await aws('get-rest-apis')).items.map((a: { id: string }) => a.id)).toEqual([restApiId]);
    const paths = (await aws('get-resources', '--rest-api-id', restApiId)).items.map(
      (r: { path: string }) => r.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['/', '/viruses', '/viruses/{id}', '/files/{proxy+}']));
    expect((await aws('get-stages', '--rest-api-id', restApiId)).item).toMatchObject([
      { stageName: 'local' },
    ]);
  }, 60_000);

  it('redeploys as osls does, with a new Deployment: the stage moves to it and dropped paths are gone', async () => {
    const template = structuredClone(stack.template);
    const [oldDeployment] = Object.keys(template.Resources).filter(
      (id) => template.Resources[id].Type === 'AWS::ApiGateway::Deployment',
    );
    const deployment = template.Resources[oldDeployment];
    delete template.Resources[oldDeployment];
    for (const id of [
      'ApiGatewayMethodFailHowVarGet',
      'ApiGatewayResourceFailHowVar',
      'ApiGatewayResourceFail',
    ])
      delete template.Resources[id];
    deployment.DependsOn = (deployment.DependsOn as string[]).filter(
      (d) => d !== 'ApiGatewayMethodFailHowVarGet',
    );
    template.Resources.ApiGatewayDeploymentNext = deployment;
    const next = await cloud.deployTemplate(template, { serviceDir: SERVICE, stackName: stack.name });
    expect(
      next.changes
        .filter((c) => c.action !== 'keep')
        .map((c) => `${c.action} ${c.logicalId}`)
        .sort(),
    ).toEqual(
      [
        'create ApiGatewayDeploymentNext',
        `delete ${oldDeployment}`,
        'delete ApiGatewayMethodFailHowVarGet',
        'delete ApiGatewayResourceFail',
        'delete ApiGatewayResourceFailHowVar',
      ].sort(),
    );
    const api = cloud.restApis.get(stack.resources.get('ApiGatewayRestApi')!.physicalId)!;
    expect(api.stages.get('local')?.deploymentId).toBe(
      next.resources.get('ApiGatewayDeploymentNext')!.physicalId,
    );
    expect((await fetch(`${base}/viruses`)).status).toBe(200);
    expect((await fetch(`${base}/fail/throw`)).status).toBe(403);
  });
});
