/**
 * The local cloud's STS for `osls package`: a loopback endpoint, up only while osls runs,
 * that answers GetCallerIdentity with the local account, so `${aws:accountId}` resolves as
 * it does on AWS (osls asks STS; without credentials it stops with "AWS provider credentials
 * not found"). Packaging runs before any local cloud is up (a check packages first), hence an
 * endpoint of its own rather than the gateway's; the answer is the gateway's (identity.ts).
 *
 * Anything else osls might ask during packaging (`${ssm:...}`, `${cf:...}`, `${s3:...}`) would
 * need AWS: it is refused here with a message saying so, and never reaches AWS.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callerIdentityXml, localUserArn } from './identity.ts';

export interface PackagingEndpoint {
  url: string;
  close(): Promise<void>;
}

export async function startPackagingEndpoint(accountId: string): Promise<PackagingEndpoint> {
  const server = createServer((req, res) => {
    void body(req).then((text) => {
      const requestId = crypto.randomUUID();
      if (new URLSearchParams(text).get('Action') === 'GetCallerIdentity') {
        res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
        res.end(callerIdentityXml(accountId, localUserArn(accountId), requestId));
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? `${req.method} ${req.url}`);
      const message = `Local packaging reaches no AWS service but STS (for \${aws:accountId}): ${target} would need AWS. Give the variable a default (\${ssm:/name, 'local-value'}) or a stage-specific value for the local stage.`;
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': 'LocalPackagingOnly',
      });
      res.end(JSON.stringify({ __type: 'LocalPackagingOnly', message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
