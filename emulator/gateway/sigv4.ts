/**
 * Reads who signed a request from its SigV4 `Authorization` header (or the presigned
 * `X-Amz-Credential` query). The local cloud does not verify signatures: it only needs the
 * access key id, which tells which Lambda sandbox (or outside client) is calling.
 */
export interface Credential {
  accessKeyId: string;
  date?: string;
  region?: string;
  service?: string;
}

export function credentialOf(
  authorization: string | undefined,
  query?: URLSearchParams,
): Credential | undefined {
  const raw =
    /Credential=([^,\s]+)/.exec(authorization ?? '')?.[1] ?? query?.get('X-Amz-Credential') ?? undefined;
  if (!raw) return undefined;
  const [accessKeyId, date, region, service] = raw.split('/');
  return { accessKeyId, date, region, service };
}
