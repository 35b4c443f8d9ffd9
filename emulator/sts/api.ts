/**
 * STS GetCallerIdentity on the query protocol (form-encoded POST, XML answer), as the AWS
 * SDK and CLI speak it. Enough for `--aws` preflight code to be tested against the local
 * cloud: the caller is the account's administrator, or the Lambda sandbox that signed.
 */
import type { ServerResponse } from 'node:http';
import { send, type Gateway, type GatewayRequest } from '../gateway/server.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';
import { callerIdentityXml, localUserArn } from './identity.ts';

export { LOCAL_ACCOUNT_ID } from './identity.ts';

export const stsApi: ApiCatalogue = {
  service: 'STS',
  protocol: 'Query (form-encoded POST, XML answers)',
  actions: ['GetCallerIdentity'],
};

export function registerStsApi(gateway: Gateway, accountId: string): void {
  gateway.route(isStsRequest, (req, res) => handleSts(req, res, accountId));
}

export function isStsRequest(req: GatewayRequest): boolean {
  if (
    req.method !== 'POST' ||
    !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
  )
    return false;
  return stsApi.actions.includes(new URLSearchParams(req.body.toString('utf8')).get('Action') ?? '');
}

export async function handleSts(req: GatewayRequest, res: ServerResponse, accountId: string): Promise<void> {
  const arn = req.caller?.roleArn
    ? `arn:aws:sts::${accountId}:assumed-role/${req.caller.roleArn.split('/').pop()}/${req.caller.functionName}`
    : localUserArn(accountId);
  const requestId = crypto.randomUUID();
  send(res, 200, 'text/xml', callerIdentityXml(accountId, arn, requestId), { 'x-amzn-requestid': requestId });
}
