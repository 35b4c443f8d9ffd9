/**
 * An item's size in bytes by DynamoDB's rule (attribute names plus values; numbers by their
 * digits), from dynalite, which prices capacity with it. A stream record's SizeBytes is the
 * sum over its Keys, NewImage and OldImage: AWS's own sample records add up that way
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html: 26 and 59 bytes).
 */
import { createRequire } from 'node:module';

const db = createRequire(import.meta.url)('dynalite/db/index.js') as {
  itemSize(item: Record<string, unknown>): number;
};

export function itemSize(item: Record<string, unknown>): number {
  return db.itemSize(item);
}
