/** Who the local cloud says a caller is: its account and user, and STS's answer saying so. */

/** The local cloud's own user: who an outside client (the CLI, osls) is. */
export const localUserArn = (accountId: string) => `arn:aws:iam::${accountId}:user/dojo-local`;

/** The account the local cloud is, unless it is started with another. */
export const LOCAL_ACCOUNT_ID = '123456789012';

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
