// Keeps package-lock.json valid for every platform, whichever registry wrote it.
//
// Why: a registry mirror that serves only this platform's binaries makes `npm install`
// drop rollup's other platform builds from the lock, and `npm ci` on any other machine
// (or here, on a clean clone) then calls the lock out of sync. This script adds those
// entries back (npm skips them at install by their os/cpu/libc). It runs by itself as
// the root package's postinstall and writes only when an entry was missing, so a fresh
// `npm install` or `npm ci` leaves `git status` clean.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const rollup = lock.packages['node_modules/rollup'];
const added = [];
for (const [name, version] of Object.entries(rollup?.optionalDependencies ?? {})) {
  if (!name.startsWith('@rollup/')) continue;
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const [os, arch, abi] = name.replace('@rollup/rollup-', '').split('-');
  const entry = { version, cpu: [arch], dev: true, license: 'MIT', optional: true, os: [os] };
  if (os === 'linux' && abi) entry.libc = [abi.startsWith('musl') ? 'musl' : 'glibc'];
  lock.packages[key] = entry;
  added.push(name);
}
if (added.length) {
  // npm's own order: the root first, then by path.
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
  console.log(
    `package-lock.json: added ${added.length} platform builds of rollup this registry left out (${added.join(', ')}), so npm ci works on every platform.`,
  );
}
