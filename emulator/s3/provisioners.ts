/**
 * AWS::S3::Bucket and AWS::S3::BucketPolicy from a template: osls's deployment bucket (its
 * artifacts and templates go there on `sls deploy`) and a learner's own buckets. A new
 * BucketName replaces the bucket; a bucket with objects in it cannot be deleted
 * (BucketNotEmpty), as on AWS: `sls remove` empties the deployment bucket first.
 */
import { randomBytes } from 'node:crypto';
import type { ResourceProvider } from '../stack/provider.ts';
import type { S3Service } from './service.ts';

export function s3Providers(deps: { s3: S3Service }): Record<string, ResourceProvider> {
  const { s3 } = deps;
  const settings = (name: string, p: Record<string, any>) => {
    const b = s3.bucket(name);
    b.encryption = p.BucketEncryption ? JSON.stringify(p.BucketEncryption) : undefined;
    b.publicAccessBlock = p.PublicAccessBlockConfiguration
      ? JSON.stringify(p.PublicAccessBlockConfiguration)
      : undefined;
  };
  const made = (name: string, region: string) => ({
    ref: name,
    attributes: {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
    },
  });
  return {
    'AWS::S3::Bucket': {
      create(logicalId, p, ctx) {
        // CloudFormation's generated bucket names are lower case: S3 allows nothing else.
        const name =
          typeof p.BucketName === 'string'
            ? p.BucketName
            : `${`${ctx.stackName}-${logicalId}`
                .toLowerCase()
                .replace(/[^a-z0-9-]/g, '')
                .slice(0, 49)}-${randomBytes(6).toString('hex')}`;
        s3.createBucket(name, ctx.region);
        settings(name, p);
        return made(name, ctx.region);
      },
      update(_logicalId, p, previous, ctx) {
        if (p.BucketName !== previous.properties.BucketName) return 'replace';
        settings(previous.physicalId, p);
        return made(previous.physicalId, ctx.region);
      },
      delete(resource) {
        if (s3.hasBucket(resource.physicalId)) s3.deleteBucket(resource.physicalId);
      },
    },
    'AWS::S3::BucketPolicy': {
      create(logicalId, p, ctx) {
        s3.setSetting(String(p.Bucket), 'policy', JSON.stringify(p.PolicyDocument));
        return { ref: ctx.generatedName(logicalId) };
      },
      update(_logicalId, p, previous) {
        if (p.Bucket !== previous.properties.Bucket) return 'replace';
        s3.setSetting(String(p.Bucket), 'policy', JSON.stringify(p.PolicyDocument));
        return { ref: previous.physicalId };
      },
      delete(resource) {
        const bucket = String(resource.properties.Bucket);
        if (s3.hasBucket(bucket)) s3.setSetting(bucket, 'policy', undefined);
      },
    },
  };
}
