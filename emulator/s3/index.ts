/** S3: buckets and objects in memory, its REST API, and its CloudFormation resources. */
export { S3Service, type Bucket, type S3Object } from './service.ts';
export { registerS3Api, s3Api } from './api.ts';
export { s3Providers } from './provisioners.ts';
