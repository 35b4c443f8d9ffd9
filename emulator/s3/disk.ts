/**
 * S3 on disk, for `npm run dev` (its `.dojo/dev-data/s3/`): what a restart of the dev cloud must
 * not forget, as DynamoDB's tables are not forgotten. One folder per bucket: `bucket.json`
 * (creation time, region, settings) and, per object, its body and a `.json` beside it (key,
 * ETag, time, type, metadata). Files are named by a hash of the key: S3 keys may hold `/`, `..`
 * and up to 1024 bytes, which no file name can. Multipart uploads under way are not kept.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bucket, S3Object } from './model.ts';

type BucketMeta = Omit<Bucket, 'objects' | 'uploads'>;
type ObjectMeta = Omit<S3Object, 'body'>;

export class S3Disk {
  constructor(private readonly dir: string) {}

  /** Every bucket kept, with its objects. */
  load(): Bucket[] {
    if (!existsSync(this.dir)) return [];
    const buckets: Bucket[] = [];
    for (const folder of readdirSync(this.dir)) {
      const metaFile = join(this.dir, folder, 'bucket.json');
      if (!existsSync(metaFile)) continue;
      const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as BucketMeta;
      const bucket: Bucket = { ...meta, objects: new Map(), uploads: new Map() };
      const objects = join(this.dir, folder, 'objects');
      for (const file of existsSync(objects) ? readdirSync(objects) : []) {
        if (!file.endsWith('.json')) continue;
        const o = JSON.parse(readFileSync(join(objects, file), 'utf8')) as ObjectMeta;
        const body = join(objects, file.slice(0, -'.json'.length));
        // An object whose body was never written (the process died between the two) is not kept.
        if (existsSync(body)) bucket.objects.set(o.key, { ...o, body: readFileSync(body) });
      }
      buckets.push(bucket);
    }
    return buckets;
  }

  saveBucket(bucket: Bucket): void {
    const { objects: _objects, uploads: _uploads, ...meta } = bucket;
    mkdirSync(join(this.bucketDir(bucket.name), 'objects'), { recursive: true });
    writeFileSync(join(this.bucketDir(bucket.name), 'bucket.json'), JSON.stringify(meta));
  }

  removeBucket(name: string): void {
    rmSync(this.bucketDir(name), { recursive: true, force: true });
  }

  saveObject(bucket: string, object: S3Object): void {
    const { body, ...meta } = object;
    const file = this.objectFile(bucket, object.key);
    // The body first: a .json is what makes an object exist on load.
    writeFileSync(file, body);
    writeFileSync(`${file}.json`, JSON.stringify(meta));
  }

  removeObject(bucket: string, key: string): void {
    const file = this.objectFile(bucket, key);
    rmSync(`${file}.json`, { force: true });
    rmSync(file, { force: true });
  }

  private bucketDir(name: string): string {
    // Bucket names are already safe file names (lower case, digits, dots and hyphens).
    return join(this.dir, name);
  }

  private objectFile(bucket: string, key: string): string {
    return join(this.bucketDir(bucket), 'objects', createHash('sha256').update(key).digest('hex'));
  }
}
