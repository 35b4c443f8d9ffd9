import type { ServerResponse } from 'node:http';
import { send, type Gateway, type GatewayRequest } from '../gateway/server.ts';

/**
 * STS GetCallerIdentity on the query protocol (form-encoded POST, XML answer), as the AWS
 * SDK and CLI speak it. Enough for `--aws` preflight code to be tested against the local
 * cloud: the caller is the account's administrator, or the Lambda sandbox that signed.
 */
export function registerStsApi(gateway: Gateway, accountId: string): void {
  gateway.route(isStsRequest, (req, res) => handleSts(req, res, accountId));
}

export function isStsRequest(req: GatewayRequest): boolean {
  if (
    req.method !== 'POST' ||
    !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
  )
    return false;
  return new URLSearchParams(req.body.toString('utf8')).get('Action') === 'GetCallerIdentity';
}

export async function handleSts(req: GatewayRequest, res: ServerResponse, accountId: string): Promise<void> {
  const arn = req.caller?.roleArn
    ? `arn:aws:sts::${accountId}:assumed-role/${req.caller.roleArn.split('/').pop()}/${req.caller.functionName}`
    : `arn:aws:iam::${accountId}:user/dojo-local`;
  const requestId = crypto.randomUUID();
  const xml = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${arn}</Arn>
    <UserId>AIDALOCALCLOUD000000</UserId>
    <Account>${accountId}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>`;
  send(res, 200, 'text/xml', xml, { 'x-amzn-requestid': requestId });
}
