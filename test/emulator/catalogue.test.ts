import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LocalCloud } from '../../emulator/cloud.ts';
import {
  CATALOGUE_PAGE,
  SERVICE_APIS,
  catalogueBlock,
  renderCatalogue,
  resourceTypes,
} from '../../emulator/catalogue.ts';

describe('the reference page lists what the local cloud serves', () => {
  it("matches the code's registry (npm run docs:cloud brings it up to date)", async () => {
    const page = readFileSync(CATALOGUE_PAGE, 'utf8');
    const block = catalogueBlock(await resourceTypes());
    expect(
      renderCatalogue(page, block),
      'docs/reference/local-cloud.md is stale: run npm run docs:cloud',
    ).toBe(page);
  });

  it('refuses a page without its block, saying how to add it', () => {
    expect(() => renderCatalogue('# The local cloud\n', 'x')).toThrow(/add one, then run npm run docs:cloud/);
  });

  describe('each JSON-protocol action it lists reaches its service', () => {
    let cloud: LocalCloud;
    beforeAll(async () => {
      cloud = await LocalCloud.start();
    });
    afterAll(() => cloud?.stop());

    // An action with an empty input: the service answers (usually a validation error), never
    // "unknown operation". An action nobody serves is refused, so the probe can tell.
    const call = async (target: string, json: string) => {
      const res = await fetch(cloud.endpoint, {
        method: 'POST',
        headers: {
          'content-type': `application/x-amz-json-${json}`,
          'x-amz-target': target,
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20300101/eu-west-1/x/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: '{}',
      });
      // The error code is in x-amzn-errortype, or only in the body's __type (dynalite).
      const body = (await res.json().catch(() => ({}))) as { __type?: string };
      return {
        status: res.status,
        type: `${res.headers.get('x-amzn-errortype') ?? ''} ${body.__type ?? ''}`,
      };
    };
    // What a service answers an action it does not serve (SQS says UnsupportedOperation).
    const NOT_SERVED = /UnknownOperation|UnsupportedOperation/;
    const prefixes: Record<string, { target: string; json: string }> = {
      'DynamoDB (dynalite)': { target: 'DynamoDB_20120810', json: '1.0' },
      EventBridge: { target: 'AWSEvents', json: '1.1' },
      'Step Functions': { target: 'AWSStepFunctions', json: '1.0' },
      'CloudWatch Logs': { target: 'Logs_20140328', json: '1.1' },
      SQS: { target: 'AmazonSQS', json: '1.0' },
    };
    for (const api of SERVICE_APIS.filter((a) => a.service in prefixes)) {
      it(`${api.service}: ${api.actions.length} actions`, async () => {
        const { target, json } = prefixes[api.service];
        for (const action of api.actions)
          expect((await call(`${target}.${action}`, json)).type, action).not.toMatch(NOT_SERVED);
        expect((await call(`${target}.NoSuchAction`, json)).type).toMatch(NOT_SERVED);
      });
    }
  });
});
