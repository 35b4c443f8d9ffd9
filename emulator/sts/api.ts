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

/** The local cloud's own user: who an outside client (the CLI, osls) is. */
export const localUserArn = (accountId: string) => `arn:aws:iam::${accountId}:user/dojo-local`;

/** The account the local cloud is, unless it is started with another. */
export const LOCAL_ACCOUNT_ID = '123456789012';

export async function handleSts(req: GatewayRequest, res: ServerResponse, accountId: string): Promise<void> {
  const arn = req.caller?.roleArn
    ? `arn:aws:sts::${accountId}:assumed-role/${req.caller.roleArn.split('/').pop()}/${req.caller.functionName}`
    : localUserArn(accountId);
  const requestId = crypto.randomUUID();
  send(res, 200, 'text/xml', callerIdentityXml(accountId, arn, requestId), { 'x-amzn-requestid': requestId });
}

/** STS's answer to GetCallerIdentity, as the query protocol sends it. */
export function callerIdentityXml(accountId: string, arn: string, requestId: string): string {
  return `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${arn}</Arn>
    <UserId>AIDALOCALCLOUD000000</UserId>
    <Account>${accountId}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>`;
}
