/**
 * S3's REST API on the gateway: path-style (`/bucket/key`) and virtual-host-style
 * (`Host: bucket.localhost:4566`) addressing, XML answers and S3's error shape
 * (`<Error><Code>NoSuchKey</Code>...`). A request is S3's when its signature's credential
 * scope says `s3` (`Credential=KEY/20260101/eu-west-1/s3/aws4_request`) or when it addresses
 * a bucket by host name: S3's paths are any path at all.
 */
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';
import type { ServerResponse } from 'node:http';
import { AwsError } from '../core/errors.ts';
import { send, type Gateway, type GatewayRequest } from '../gateway/server.ts';
import type { S3Object, S3Service } from './service.ts';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

export const s3Api: ApiCatalogue = {
  service: 'S3',
  protocol: 'REST-XML (path style /<bucket>/<key>, or Host <bucket>.localhost)',
  actions: [
    'ListBuckets',
    'CreateBucket',
    'HeadBucket',
    'DeleteBucket',
    'GetBucketLocation',
    'GetBucketVersioning',
    'GetBucketPolicy',
    'PutBucketPolicy',
    'DeleteBucketPolicy',
    'GetBucketEncryption',
    'PutBucketEncryption',
    'DeleteBucketEncryption',
    'GetPublicAccessBlock',
    'PutPublicAccessBlock',
    'DeletePublicAccessBlock',
    'GetBucketTagging',
    'PutBucketTagging',
    'DeleteBucketTagging',
    'PutObject',
    'GetObject',
    'HeadObject',
    'DeleteObject',
    'DeleteObjects',
    'ListObjects',
    'ListObjectsV2',
    'CreateMultipartUpload',
    'UploadPart',
    'CompleteMultipartUpload',
    'AbortMultipartUpload',
  ],
};

export function registerS3Api(gateway: Gateway, s3: S3Service): void {
  gateway.route(isS3Request, (req, res) => handle(s3, req, res));
}

/** The bucket a virtual-host-style Host header names (`bucket.localhost`, `bucket.s3.localhost`). */
function hostBucket(host: string | undefined): string | undefined {
  const name = (host ?? '').replace(/:\d+$/, '');
  const m = /^(.+?)(?:\.s3(?:[.-][a-z0-9-]+)?)?\.(localhost|127\.0\.0\.1|localhost\.localstack\.cloud)$/.exec(
    name,
  );
  return m ? m[1] : undefined;
}

/** S3's when signed for S3 (the SigV4 credential scope names the service) or addressed to a bucket by host. */
export function isS3Request(req: GatewayRequest): boolean {
  return req.credential?.service === 's3' || hostBucket(req.headers.host) !== undefined;
}

async function handle(s3: S3Service, req: GatewayRequest, res: ServerResponse): Promise<void> {
  const fromHost = hostBucket(req.headers.host);
  const path = decodeURIComponent(req.path);
  const [bucket, key] = fromHost
    ? [fromHost, path.slice(1)]
    : [path.slice(1).split('/')[0], path.slice(1).split('/').slice(1).join('/')];
  try {
    await operate(s3, req, res, bucket, key);
  } catch (err) {
    sendS3Error(res, req.method, err, key ? `/${bucket}/${key}` : `/${bucket}`);
  }
}

async function operate(
  s3: S3Service,
  req: GatewayRequest,
  res: ServerResponse,
  bucket: string,
  key: string,
): Promise<void> {
  const q = req.query;
  const m = req.method;
  const xml = (body: string, status = 200, headers: Record<string, string> = {}) =>
    send(res, status, 'application/xml', XML_HEAD + body, headers);
  const empty = (status: number, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'x-amz-request-id': crypto.randomUUID(), ...headers }).end();
  };

  if (!bucket) {
    if (m !== 'GET')
      throw new AwsError(
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
        405,
      );
    const buckets = s3
      .listBuckets()
      .map(
        (b) => `<Bucket><Name>${esc(b.name)}</Name><CreationDate>${iso(b.createdAt)}</CreationDate></Bucket>`,
      )
      .join('');
    return xml(
      `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>dojo-local</ID><DisplayName>dojo-local</DisplayName></Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
    );
  }

  if (!key) {
    // Bucket sub-resources osls and the CLI set: kept as sent, given back as sent.
    for (const [sub, field] of [
      ['policy', 'policy'],
      ['encryption', 'encryption'],
      ['publicAccessBlock', 'publicAccessBlock'],
      ['tagging', 'tags'],
    ] as const) {
      if (!q.has(sub)) continue;
      if (m === 'PUT') {
        s3.setSetting(bucket, field, req.body.toString('utf8'));
        return empty(sub === 'policy' ? 204 : 200);
      }
      if (m === 'DELETE') {
        s3.setSetting(bucket, field, undefined);
        return empty(204);
      }
      const value = s3.bucket(bucket)[field];
      if (value === undefined) throw missingSetting(sub, bucket);
      return sub === 'policy'
        ? send(res, 200, 'application/json', value)
        : xml(value.replace(/^<\?xml[^>]*>\s*/, ''));
    }
    if (m === 'PUT') {
      const region = /<LocationConstraint>([^<]+)<\/LocationConstraint>/.exec(req.body.toString('utf8'))?.[1];
      s3.createBucket(bucket, region);
      return empty(200, { location: `/${bucket}` });
    }
    if (m === 'HEAD') {
      const b = s3.bucket(bucket);
      return empty(200, { 'x-amz-bucket-region': b.region });
    }
    if (m === 'DELETE') {
      s3.deleteBucket(bucket);
      return empty(204);
    }
    if (m === 'POST' && q.has('delete')) return deleteObjects(s3, bucket, req.body.toString('utf8'), xml);
    if (m === 'GET' && q.has('location')) {
      const b = s3.bucket(bucket);
      return xml(
        `<LocationConstraint xmlns="${XMLNS}">${b.region === 'us-east-1' ? '' : b.region}</LocationConstraint>`,
      );
    }
    if (m === 'GET' && q.has('versioning')) {
      s3.bucket(bucket);
      return xml(`<VersioningConfiguration xmlns="${XMLNS}"/>`);
    }
    if (m === 'GET') return listObjects(s3, bucket, q, xml);
    throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405);
  }

  if (m === 'PUT' && q.has('uploadId')) {
    const etag = s3.uploadPart(bucket, q.get('uploadId')!, Number(q.get('partNumber')), payload(req));
    return empty(200, { etag });
  }
  if (m === 'PUT') {
    if (req.headers['x-amz-copy-source'] !== undefined)
      throw new AwsError(
        'NotImplemented',
        'CopyObject is not supported by the local cloud: download and upload the object again.',
        501,
      );
    const o = s3.putObject(bucket, key, payload(req), {
      contentType: header(req, 'content-type'),
      metadata: metadataOf(req),
    });
    return empty(200, { etag: o.etag });
  }
  if (m === 'POST' && q.has('uploads')) {
    s3.bucket(bucket);
    const id = s3.createUpload(bucket, key, header(req, 'content-type'), metadataOf(req));
    return xml(
      `<InitiateMultipartUploadResult xmlns="${XMLNS}"><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
    );
  }
  if (m === 'POST' && q.has('uploadId')) {
    const parts = [...req.body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((p) =>
      Number(p[1]),
    );
    const o = s3.completeUpload(bucket, q.get('uploadId')!, parts);
    return xml(
      `<CompleteMultipartUploadResult xmlns="${XMLNS}"><Location>/${esc(bucket)}/${esc(key)}</Location><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><ETag>${esc(o.etag)}</ETag></CompleteMultipartUploadResult>`,
    );
  }
  if (m === 'DELETE' && q.has('uploadId')) {
    s3.abortUpload(bucket, q.get('uploadId')!);
    return empty(204);
  }
  if (m === 'DELETE') {
    s3.deleteObject(bucket, key);
    return empty(204);
  }
  if (m === 'GET' || m === 'HEAD') {
    const o = s3.getObject(bucket, key);
    const range = rangeOf(header(req, 'range'), o.body.length);
    const body = range ? o.body.subarray(range[0], range[1] + 1) : o.body;
    const headers: Record<string, string> = {
      'content-type': o.contentType,
      'content-length': String(body.length),
      etag: o.etag,
      'last-modified': new Date(o.lastModified).toUTCString(),
      'accept-ranges': 'bytes',
      'x-amz-request-id': crypto.randomUUID(),
      ...Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
      ...(range ? { 'content-range': `bytes ${range[0]}-${range[1]}/${o.body.length}` } : {}),
    };
    res.writeHead(range ? 206 : 200, headers);
    res.end(m === 'HEAD' ? undefined : body);
    return;
  }
  throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405);
}

function listObjects(s3: S3Service, bucket: string, q: URLSearchParams, xml: (body: string) => void): void {
  const v2 = q.get('list-type') === '2';
  const token = q.get('continuation-token') ?? undefined;
  const after = v2
    ? token
      ? Buffer.from(token, 'base64url').toString('utf8')
      : (q.get('start-after') ?? undefined)
    : (q.get('marker') ?? undefined);
  const maxKeys = q.has('max-keys') ? Number(q.get('max-keys')) : 1000;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? undefined;
  const r = s3.list(bucket, { prefix, delimiter, maxKeys, after });
  const contents = r.contents.map(contentXml).join('');
  const prefixes = r.commonPrefixes
    .map((p) => `<CommonPrefixes><Prefix>${esc(p)}</Prefix></CommonPrefixes>`)
    .join('');
  const next =
    r.truncated && r.nextToken ? Buffer.from(r.nextToken, 'utf8').toString('base64url') : undefined;
  const paging = v2
    ? `<KeyCount>${r.contents.length + r.commonPrefixes.length}</KeyCount>${token ? `<ContinuationToken>${esc(token)}</ContinuationToken>` : ''}${next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}`
    : `<Marker>${esc(after ?? '')}</Marker>${r.truncated && r.nextToken ? `<NextMarker>${esc(r.nextToken)}</NextMarker>` : ''}`;
  xml(
    `<ListBucketResult xmlns="${XMLNS}"><Name>${esc(bucket)}</Name><Prefix>${esc(prefix)}</Prefix>${delimiter ? `<Delimiter>${esc(delimiter)}</Delimiter>` : ''}<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${r.truncated}</IsTruncated>${paging}${contents}${prefixes}</ListBucketResult>`,
  );
}

function deleteObjects(s3: S3Service, bucket: string, body: string, xml: (body: string) => void): void {
  s3.bucket(bucket);
  const keys = [...body.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((k) => unesc(k[1]));
  const quiet = /<Quiet>true<\/Quiet>/.test(body);
  for (const k of keys) s3.deleteObject(bucket, k);
  const deleted = quiet ? '' : keys.map((k) => `<Deleted><Key>${esc(k)}</Key></Deleted>`).join('');
  xml(`<DeleteResult xmlns="${XMLNS}">${deleted}</DeleteResult>`);
}

function contentXml(o: S3Object): string {
  return `<Contents><Key>${esc(o.key)}</Key><LastModified>${iso(o.lastModified)}</LastModified><ETag>${esc(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
}

/**
 * The request's payload. The SDK streams uploads as `aws-chunked` (chunk sizes in hex, then
 * a trailer with the checksum): S3 stores only the data, so the framing is taken off here.
 */
function payload(req: GatewayRequest): Buffer {
  const sha = header(req, 'x-amz-content-sha256') ?? '';
  const chunked =
    sha.startsWith('STREAMING-') ||
    (header(req, 'content-encoding') ?? '').split(',').some((e) => e.trim() === 'aws-chunked');
  if (!chunked) return req.body;
  const parts: Buffer[] = [];
  let at = 0;
  const body = req.body;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(body.subarray(at, eol).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size))
      throw new AwsError('IncompleteBody', 'The request body is not valid aws-chunked encoding.', 400);
    if (size === 0) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** `bytes=0-99`, `bytes=100-`, `bytes=-50` → [first, last]; undefined when absent or unsatisfiable as a whole. */
function rangeOf(range: string | undefined, size: number): [number, number] | undefined {
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const [first, last] =
    m[1] === ''
      ? [Math.max(0, size - Number(m[2])), size - 1]
      : [Number(m[1]), m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
  if (first >= size || first > last)
    throw new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
      ActualObjectSize: size,
    });
  return [first, last];
}

function missingSetting(sub: string, bucket: string): AwsError {
  const [code, message] =
    sub === 'policy'
      ? ['NoSuchBucketPolicy', 'The bucket policy does not exist']
      : sub === 'encryption'
        ? [
            'ServerSideEncryptionConfigurationNotFoundError',
            'The server side encryption configuration was not found',
          ]
        : sub === 'tagging'
          ? ['NoSuchTagSet', 'The TagSet does not exist']
          : ['NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'];
  return new AwsError(code, message, 404, { BucketName: bucket });
}

function header(req: GatewayRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function metadataOf(req: GatewayRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (k.startsWith('x-amz-meta-') && typeof v === 'string') out[k.slice('x-amz-meta-'.length)] = v;
  return out;
}

/** S3's error shape: XML `<Error>`; a HEAD gets the status alone, as from S3. */
function sendS3Error(res: ServerResponse, method: string, err: unknown, resource: string): void {
  const e =
    err instanceof AwsError
      ? err
      : new AwsError(
          'InternalError',
          `The local cloud failed on this request: ${(err as Error)?.message ?? err}.`,
          500,
        );
  const requestId = crypto.randomUUID();
  if (method === 'HEAD') {
    if (!res.headersSent) res.writeHead(e.status, { 'x-amz-request-id': requestId }).end();
    return;
  }
  const extra = Object.entries(e.extra)
    .map(([k, v]) => `<${k}>${esc(String(v))}</${k}>`)
    .join('');
  send(
    res,
    e.status,
    'application/xml',
    `${XML_HEAD}<Error><Code>${e.code}</Code><Message>${esc(e.message)}</Message>${extra}<Resource>${esc(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`,
    { 'x-amz-request-id': requestId },
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unesc(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
