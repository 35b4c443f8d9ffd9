/**
 * S3 through the real AWS SDK v3 client and the AWS CLI (`aws s3 cp/ls/rm`): buckets,
 * objects (single and multipart, ranges), listings with prefix, delimiter and continuation,
 * bucket settings, both addressing styles, and S3's errors in its XML shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { LocalCloud } from '../../emulator/cloud.ts';

const run = promisify(execFile);

describe('S3 through the AWS SDK and the AWS CLI', () => {
  let cloud: LocalCloud;
  let s3: S3Client;
  const scratch = resolve('.dojo', 'tmp', `s3-cli-${process.pid}`);

  beforeAll(async () => {
    cloud = await LocalCloud.start();
    s3 = new S3Client({ ...cloud.clientConfig(), forcePathStyle: true });
    mkdirSync(scratch, { recursive: true });
  });
  afterAll(async () => {
    await cloud?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("makes a bucket, stores and reads objects, ranges too, and says what is missing in S3's words", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'virus-photos' }));
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'virus-photos' }))).rejects.toMatchObject({
      name: 'BucketAlreadyOwnedByYou',
    });
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'Not_Valid' }))).rejects.toMatchObject({
      name: 'InvalidBucketName',
    });
    expect(await s3.send(new HeadBucketCommand({ Bucket: 'virus-photos' }))).toMatchObject({
      BucketRegion: 'eu-west-1',
    });
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'nowhere' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });

    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'virus-photos',
        Key: 'a/one.txt',
        Body: 'the first virus',
        ContentType: 'text/plain',
        Metadata: { strength: '3' },
      }),
    );
    // S3's ETag of a single PUT is the MD5 of the body, quoted.
    expect(put.ETag).toBe(`"${createHash('md5').update('the first virus').digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'virus-photos', Key: 'a/one.txt' }));
    expect(await got.Body?.transformToString()).toBe('the first virus');
    expect(got).toMatchObject({ ContentType: 'text/plain', Metadata: { strength: '3' }, ETag: put.ETag });
    const part = await s3.send(
      new GetObjectCommand({ Bucket: 'virus-photos', Key: 'a/one.txt', Range: 'bytes=4-8' }),
    );
    expect(await part.Body?.transformToString()).toBe('first');
    expect(part.ContentRange).toBe('bytes 4-8/15');
    expect(await s3.send(new HeadObjectCommand({ Bucket: 'virus-photos', Key: 'a/one.txt' }))).toMatchObject({
      ContentLength: 15,
    });
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'virus-photos', Key: 'nothing' })),
    ).rejects.toMatchObject({
      name: 'NoSuchKey',
      message: 'The specified key does not exist.',
    });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'nowhere', Key: 'x' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toContain('virus-photos');
  });

  it('lists by prefix and delimiter, page by page, and deletes many at once', async () => {
    for (const k of ['b/1', 'b/2', 'b/3', 'c/x/1', 'top'])
      await s3.send(new PutObjectCommand({ Bucket: 'virus-photos', Key: k, Body: k }));
    const folders = await s3.send(new ListObjectsV2Command({ Bucket: 'virus-photos', Delimiter: '/' }));
    expect(folders.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/', 'c/']);
    expect(folders.Contents?.map((c) => c.Key)).toEqual(['top']);
    const first = await s3.send(
      new ListObjectsV2Command({ Bucket: 'virus-photos', Prefix: 'b/', MaxKeys: 2 }),
    );
    expect(first).toMatchObject({ IsTruncated: true, KeyCount: 2 });
    const rest = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'virus-photos',
        Prefix: 'b/',
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(rest.Contents?.map((c) => c.Key)).toEqual(['b/3']);
    await expect(s3.send(new DeleteBucketCommand({ Bucket: 'virus-photos' }))).rejects.toMatchObject({
      name: 'BucketNotEmpty',
    });
    const { Deleted } = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'virus-photos',
        Delete: { Objects: [{ Key: 'b/1' }, { Key: 'b/2' }, { Key: 'b/3' }] },
      }),
    );
    expect(Deleted?.map((d) => d.Key)).toEqual(['b/1', 'b/2', 'b/3']);
  });

  it('assembles a multipart upload, with the ETag S3 gives one; an aborted upload is gone', async () => {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'virus-photos', Key: 'big.bin' }),
    );
    const partA = Buffer.alloc(5 * 1024 * 1024, 'a');
    const a = await s3.send(
      new UploadPartCommand({ Bucket: 'virus-photos', Key: 'big.bin', UploadId, PartNumber: 1, Body: partA }),
    );
    const b = await s3.send(
      new UploadPartCommand({
        Bucket: 'virus-photos',
        Key: 'big.bin',
        UploadId,
        PartNumber: 2,
        Body: 'tail',
      }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'virus-photos',
        Key: 'big.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: a.ETag },
            { PartNumber: 2, ETag: b.ETag },
          ],
        },
      }),
    );
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: 'virus-photos', Key: 'big.bin' }))).ContentLength,
    ).toBe(partA.length + 4);
    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'virus-photos', Key: 'never' }));
    await s3.send(
      new AbortMultipartUploadCommand({ Bucket: 'virus-photos', Key: 'never', UploadId: other.UploadId }),
    );
    await expect(
      s3.send(
        new UploadPartCommand({
          Bucket: 'virus-photos',
          Key: 'never',
          UploadId: other.UploadId,
          PartNumber: 1,
          Body: 'x',
        }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('keeps the policy and encryption osls sets on its deployment bucket', async () => {
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'virus-photos' }))).rejects.toMatchObject({
      name: 'NoSuchBucketPolicy',
    });
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'virus-photos', Policy: JSON.stringify(policy) }));
    expect(
      JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'virus-photos' }))).Policy!),
    ).toEqual(policy);
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'virus-photos',
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    );
    const { ServerSideEncryptionConfiguration } = await s3.send(
      new GetBucketEncryptionCommand({ Bucket: 'virus-photos' }),
    );
    expect(
      ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe('AES256');
  });

  it('answers virtual-host-style addressing (Host: <bucket>.localhost)', async () => {
    const body = await new Promise<string>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: cloud.gateway.port,
          path: '/a/one.txt',
          headers: { host: `virus-photos.localhost:${cloud.gateway.port}` },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => done(text));
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(body).toBe('the first virus');
  });

  it('aws s3 cp, ls and rm work as on AWS', async () => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'eu-west-1',
    };
    const aws = async (...args: string[]) =>
      (await run('aws', ['--endpoint-url', cloud.endpoint, ...args], { env })).stdout;
    await aws('s3', 'mb', 's3://learner-first-bucket');
    writeFileSync(join(scratch, 'board.json'), '{"viruses":3}');
    await aws('s3', 'cp', join(scratch, 'board.json'), 's3://learner-first-bucket/boards/board.json');
    expect(await aws('s3', 'ls', 's3://learner-first-bucket/boards/')).toMatch(/\s13 board\.json\n$/);
    await aws('s3', 'cp', 's3://learner-first-bucket/boards/board.json', join(scratch, 'back.json'));
    expect(readFileSync(join(scratch, 'back.json'), 'utf8')).toBe('{"viruses":3}');
    await aws('s3', 'rm', 's3://learner-first-bucket/boards/board.json');
    expect(await aws('s3', 'ls', 's3://learner-first-bucket/', '--recursive')).toBe('');
    await aws('s3', 'rb', 's3://learner-first-bucket');
    expect(await aws('s3', 'ls')).not.toContain('learner-first-bucket');
  });
});
