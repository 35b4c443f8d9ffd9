// npm install on a mirror that serves only this platform's binaries drops rollup's other
// platform builds from package-lock.json, and npm ci then calls the lock out of sync.
// Run after npm install: adds their entries back (skipped at install by os/cpu/libc).
import { readFileSync, writeFileSync } from 'node:fs';
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const rollup = lock.packages['node_modules/rollup'];
let added = 0;
for (const [name, version] of Object.entries(rollup.optionalDependencies)) {
  if (!name.startsWith('@rollup/')) continue;
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const [os, arch, abi] = name.replace('@rollup/rollup-', '').split('-');
  const entry = { version, cpu: [arch], dev: true, license: 'MIT', optional: true, os: [os] };
  if (os === 'linux' && abi) entry.libc = [abi.startsWith('musl') ? 'musl' : 'glibc'];
  lock.packages[key] = entry;
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);
