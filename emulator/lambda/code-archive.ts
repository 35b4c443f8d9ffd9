/**
 * A function's code as `sls deploy` ships it: a zip in the deployment bucket. Lambda runs
 * what is in the zip, so the local cloud does too: it unpacks it once into a folder named by
 * its content, and the function's sandboxes load the handler from there. Only what Lambda
 * itself reads is supported: stored and deflated entries (what osls, esbuild and `zip` make).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** Unpacks `zip` under `root` (once per content) and returns the folder. */
export function unpackedCode(zip: Buffer, root: string): string {
  const dir = join(root, createHash('sha256').update(zip).digest('hex').slice(0, 16));
  if (existsSync(dir)) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  for (const entry of zipEntries(zip)) {
    const target = resolve(partial, entry.name);
    // A zip may not write outside its folder ("zip slip").
    if (!target.startsWith(resolve(partial) + sep))
      throw new Error(`The code zip has an entry outside its folder: ${entry.name}`);
    if (entry.name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.data());
  }
  mkdirSync(partial, { recursive: true });
  renameSync(partial, dir);
  return dir;
}

interface ZipEntry {
  name: string;
  data(): Buffer;
}

/** The entries of a zip, read from its central directory. */
export function zipEntries(zip: Buffer): ZipEntry[] {
  // The end-of-central-directory record is in the last 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('The function code is not a zip file (no end of central directory).');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50)
      throw new Error('The function code zip has a damaged central directory.');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    entries.push({
      name,
      data() {
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const raw = zip.subarray(start, start + compressed);
        if (method === 0) return Buffer.from(raw);
        if (method === 8) return inflateRawSync(raw);
        throw new Error(
          `The function code zip uses compression method ${method} for ${name}; Lambda reads stored and deflated entries.`,
        );
      },
    });
  }
  return entries;
}
