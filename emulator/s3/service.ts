/**
 * S3's domain, in memory (and on disk too when given a folder, for `npm run dev`): buckets, their objects, their policy and encryption settings, and
 * multipart uploads, with AWS's errors (NoSuchBucket, NoSuchKey, BucketNotEmpty,
 * BucketAlreadyOwnedByYou, InvalidBucketName). Enough for osls's deployment bucket, the AWS
 * CLI's `s3 cp/ls/rm` and a learner's first bucket. No HTTP here: api.ts speaks the wire.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AwsError } from '../core/errors.ts';
import { S3Disk } from './disk.ts';
import type { Bucket, S3Object } from './model.ts';

export type { Bucket, S3Object } from './model.ts';

/** A bucket's sub-resources that osls and the AWS CLI set, kept as sent. */
export type BucketSetting = 'policy' | 'encryption' | 'publicAccessBlock' | 'tags';

export interface ListResult {
  contents: S3Object[];
  commonPrefixes: string[];
  truncated: boolean;
  nextToken?: string;
}

/** S3's naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class S3Service {
  private readonly buckets = new Map<string, Bucket>();
  private readonly disk: S3Disk | undefined;

  /** `dir`: keep buckets and objects there, and find there those of an earlier run. */
  constructor(private readonly deps: { now(): number; region: string; dir?: string }) {
    this.disk = deps.dir ? new S3Disk(deps.dir) : undefined;
    for (const b of this.disk?.load() ?? []) this.buckets.set(b.name, b);
  }

  createBucket(name: string, region = this.deps.region): Bucket {
    if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name))
      throw new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, {
        BucketName: name,
      });
    if (this.buckets.has(name))
      throw new AwsError(
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        409,
        { BucketName: name },
      );
    const bucket: Bucket = {
      name,
      createdAt: this.deps.now(),
      region,
      objects: new Map(),
      uploads: new Map(),
    };
    this.buckets.set(name, bucket);
    this.disk?.saveBucket(bucket);
    return bucket;
  }

  /** Sets (or, with undefined, removes) a bucket's policy, encryption, public access block or tags. */
  setSetting(name: string, setting: BucketSetting, value: string | undefined): void {
    const b = this.bucket(name);
    b[setting] = value;
    this.disk?.saveBucket(b);
  }

  bucket(name: string): Bucket {
    const b = this.buckets.get(name);
    if (!b)
      throw new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
    return b;
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  listBuckets(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  deleteBucket(name: string): void {
    const b = this.bucket(name);
    if (b.objects.size > 0)
      throw new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, {
        BucketName: name,
      });
    this.buckets.delete(name);
    this.disk?.removeBucket(name);
  }

  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    options: { contentType?: string; metadata?: Record<string, string>; etag?: string } = {},
  ): S3Object {
    const b = this.bucket(bucket);
    const object: S3Object = {
      key,
      body,
      etag: options.etag ?? `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: this.deps.now(),
      contentType: options.contentType ?? 'binary/octet-stream',
      metadata: options.metadata ?? {},
    };
    b.objects.set(key, object);
    this.disk?.saveObject(bucket, object);
    return object;
  }

  getObject(bucket: string, key: string): S3Object {
    const o = this.bucket(bucket).objects.get(key);
    if (!o) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
    return o;
  }

  /** The object, or undefined: for the local cloud's own readers (templates, function code). */
  findObject(bucket: string, key: string): S3Object | undefined {
    return this.buckets.get(bucket)?.objects.get(key);
  }

  /** S3 answers 204 whether or not the key was there. */
  deleteObject(bucket: string, key: string): void {
    if (this.bucket(bucket).objects.delete(key)) this.disk?.removeObject(bucket, key);
  }

  list(
    bucket: string,
    options: { prefix?: string; delimiter?: string; maxKeys?: number; after?: string },
  ): ListResult {
    const b = this.bucket(bucket);
    const prefix = options.prefix ?? '';
    const max = Math.min(options.maxKeys ?? 1000, 1000);
    const keys = [...b.objects.keys()]
      .filter((k) => k.startsWith(prefix) && (!options.after || k > options.after))
      .sort();
    const contents: S3Object[] = [];
    const prefixes = new Set<string>();
    let last: string | undefined;
    for (const key of keys) {
      if (contents.length + prefixes.size >= max) {
        return { contents, commonPrefixes: [...prefixes], truncated: true, nextToken: last };
      }
      const rest = key.slice(prefix.length);
      const cut = options.delimiter ? rest.indexOf(options.delimiter) : -1;
      if (cut >= 0) {
        const common = prefix + rest.slice(0, cut + options.delimiter!.length);
        if (!prefixes.has(common)) prefixes.add(common);
        // Skip past every key under this common prefix.
        last = `${common}\uffff`;
        continue;
      }
      contents.push(b.objects.get(key)!);
      last = key;
    }
    return { contents, commonPrefixes: [...prefixes], truncated: false };
  }

  createUpload(
    bucket: string,
    key: string,
    contentType?: string,
    metadata: Record<string, string> = {},
  ): string {
    const id = randomUUID().replace(/-/g, '');
    this.bucket(bucket).uploads.set(id, {
      key,
      parts: new Map(),
      contentType: contentType ?? 'binary/octet-stream',
      metadata,
    });
    return id;
  }

  uploadPart(bucket: string, uploadId: string, partNumber: number, body: Buffer): string {
    const upload = this.upload(bucket, uploadId);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
      throw new AwsError(
        'InvalidArgument',
        'Part number must be an integer between 1 and 10000, inclusive',
        400,
      );
    upload.parts.set(partNumber, body);
    return `"${createHash('md5').update(body).digest('hex')}"`;
  }

  completeUpload(bucket: string, uploadId: string, partNumbers: number[]): S3Object {
    const upload = this.upload(bucket, uploadId);
    const parts = partNumbers.map((n) => {
      const p = upload.parts.get(n);
      if (!p)
        throw new AwsError(
          'InvalidPart',
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          400,
        );
      return p;
    });
    // A multipart ETag is the MD5 of the parts' MD5s, then "-" and the number of parts.
    const md5s = parts.map((p) => createHash('md5').update(p).digest());
    const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${parts.length}"`;
    this.bucket(bucket).uploads.delete(uploadId);
    return this.putObject(bucket, upload.key, Buffer.concat(parts), {
      contentType: upload.contentType,
      metadata: upload.metadata,
      etag,
    });
  }

  abortUpload(bucket: string, uploadId: string): void {
    this.upload(bucket, uploadId);
    this.bucket(bucket).uploads.delete(uploadId);
  }

  private upload(bucket: string, uploadId: string) {
    const u = this.bucket(bucket).uploads.get(uploadId);
    if (!u)
      throw new AwsError(
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        404,
        { UploadId: uploadId },
      );
    return u;
  }
}
