/** What S3 holds: buckets and their objects (service.ts keeps them, disk.ts writes them down). */

export interface S3Object {
  key: string;
  body: Buffer;
  etag: string;
  lastModified: number;
  contentType: string;
  metadata: Record<string, string>;
}

export interface Bucket {
  name: string;
  createdAt: number;
  region: string;
  objects: Map<string, S3Object>;
  policy?: string;
  encryption?: string;
  publicAccessBlock?: string;
  tags?: string;
  uploads: Map<
    string,
    { key: string; parts: Map<number, Buffer>; contentType: string; metadata: Record<string, string> }
  >;
}
