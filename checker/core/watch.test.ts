import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as FakeTimers from '@sinonjs/fake-timers';
import { classify, configFiles, watchService, type ServiceChange, type ServiceWatcher } from './watch.ts';
import { realSleep } from '../../emulator/index.ts';

const sleep = realSleep;

/** A session-4 solution copied under .dojo/tmp/<name>/backend (its parent is watched too). */
function scratch(): { root: string; dir: string; write(path: string, text: string): void; remove(): void } {
  const root = resolve('.dojo', 'tmp', `watch-${randomBytes(4).toString('hex')}`);
  const dir = join(root, 'backend');
  mkdirSync(root, { recursive: true });
  cpSync(resolve('solutions/session-4'), dir, {
    recursive: true,
    filter: (src) => !/(\.serverless|\.esbuild|node_modules)$/.test(src),
  });
  return {
    root,
    dir,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

async function until(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('which files are configuration', () => {
  it('follows serverless.ts through its imports, and leaves handler code out', () => {
    const dir = resolve('solutions/session-4');
    const files = configFiles(dir);
    expect([...files].filter((f) => !f.startsWith('serverless.') || f === 'serverless.ts')).toEqual(
      expect.arrayContaining([
        'serverless.ts',
        'resources/dynamodb.ts',
        'resources/eventbridge.ts',
        'state-machines/virusCreation.ts',
        'package.json',
      ]),
    );
    expect(files.has('functions/createVirus.ts')).toBe(false);
    expect(classify(dir, ['functions/createVirus.ts']).kind).toBe('code');
    expect(classify(dir, ['state-machines/virusCreation.ts']).kind).toBe('config');
    // A file no longer imported was configuration a moment ago: removing it is a config change.
    expect(classify(dir, ['resources/old.ts'], new Set(['resources/old.ts'])).kind).toBe('config');
  });
});

describe('watchService', () => {
  let service: ReturnType<typeof scratch>;
  let watcher: ServiceWatcher | undefined;
  const changes: ServiceChange[] = [];
  const errors: string[] = [];
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    service?.remove();
    changes.length = 0;
    errors.length = 0;
  });

  async function watch(onChange: (c: ServiceChange) => Promise<void> | void = () => undefined) {
    service = scratch();
    watcher = watchService(service.dir, {
      onChange: async (c) => {
        changes.push(c);
        await onChange(c);
      },
      onError: (m) => errors.push(m),
      debounceMs: 100,
    });
    await watcher.ready;
  }

  it('classifies a handler save as code and a serverless.ts save as config', async () => {
    await watch();
    service.write('functions/createVirus.ts', '// edited\n');
    await until(() => changes.length === 1, 'the handler save');
    expect(changes[0]).toEqual({ kind: 'code', files: ['functions/createVirus.ts'], present: true });
    service.write(
      'serverless.ts',
      readFileSync(join(service.dir, 'serverless.ts'), 'utf8') + '\n// edited\n',
    );
    await until(() => changes.length === 2, 'the serverless.ts save');
    expect(changes[1]).toMatchObject({ kind: 'config', files: ['serverless.ts'] });
    expect(errors).toEqual([]);
  });

  it('hands over a burst of saves in few batches, and the last save wins', async () => {
    const seen: string[] = [];
    await watch(() => void seen.push(readFileSync(join(service.dir, 'functions/createVirus.ts'), 'utf8')));
    for (let i = 1; i <= 20; i++) {
      service.write('functions/createVirus.ts', `// save ${i}\n`);
      await sleep(10);
    }
    await until(() => seen.at(-1) === '// save 20\n', 'the last save');
    await watcher!.idle();
    expect(changes.length).toBeLessThanOrEqual(3);
  });

  it('sees every atomic save (temp file, then rename over)', async () => {
    await watch();
    for (let i = 1; i <= 3; i++) {
      const tmp = join(service.dir, `.serverless.ts.${i}.tmp`);
      writeFileSync(tmp, `export default { n: ${i} };\n`);
      renameSync(tmp, join(service.dir, 'serverless.ts'));
      await until(
        () => changes.some((c) => c.kind === 'config' && c.files.includes('serverless.ts')),
        `atomic save ${i}`,
      );
      changes.length = 0;
    }
  });

  it('follows the folder when begin replaces it, and when it is deleted and created again', async () => {
    await watch();
    // As npm run begin does it: the old folder moved away, a staged copy moved in.
    const staged = join(service.root, 'staged');
    cpSync(service.dir, staged, { recursive: true });
    renameSync(service.dir, join(service.root, 'old'));
    renameSync(staged, service.dir);
    await until(() => changes.some((c) => c.kind === 'config' && c.present), 'the replaced folder');
    await watcher!.idle();
    changes.length = 0;
    service.write('functions/killVirus.ts', '// after begin\n');
    await until(
      () => changes.some((c) => c.files.includes('functions/killVirus.ts')),
      'a save in the new folder',
    );

    rmSync(service.dir, { recursive: true });
    await until(() => changes.some((c) => !c.present), 'the folder gone');
    cpSync(join(service.root, 'old'), service.dir, { recursive: true });
    await until(
      () => changes.some((c) => c.present && c.kind === 'config' && c.files.includes('backend/')),
      'the folder back',
    );
    await watcher!.idle();
    changes.length = 0;
    service.write('serverless.ts', '// after the folder came back\n');
    await until(
      () => changes.some((c) => c.files.includes('serverless.ts')),
      'a save in the re-created folder',
    );
    expect(errors).toEqual([]);
  });

  it('ignores build output churning in another process (the ENOENT scandir crash of issue 11)', async () => {
    await watch();
    // What osls and esbuild do: folders made and deleted as fast as they come.
    const churn = `import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
const dir = process.argv[1]; const end = Date.now() + 3000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
while (Date.now() < end) {
  for (const base of ['.esbuild/.build/functions/createVirus', '.serverless/build', 'node_modules/.cache/x', '.dojo-package.lock']) {
    mkdirSync(dir + '/' + base, { recursive: true }); writeFileSync(dir + '/' + base + '/f.js', 'x');
  }
  await sleep(Math.random() * 3);
  for (const base of ['.esbuild', '.serverless', 'node_modules', '.dojo-package.lock']) rmSync(dir + '/' + base, { recursive: true, force: true });
  await sleep(Math.random() * 3);
}`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', churn, service.dir], {
      stdio: 'inherit',
    });
    await new Promise((r) => child.once('exit', r));
    service.write('functions/createVirus.ts', '// a real save\n');
    await until(() => changes.length > 0, 'the real save');
    expect(changes.flatMap((c) => c.files)).toEqual(['functions/createVirus.ts']);
    expect(errors).toEqual([]);
  });

  it('gathers saves made while onChange runs into one more run; a failing onChange is reported and the loop goes on', async () => {
    let calls = 0;
    await watch(async () => {
      calls++;
      if (calls === 1) {
        service.write('functions/killVirus.ts', '// saved during the redeploy\n');
        service.write('lib/virus.ts', '// this one too\n');
        await sleep(600);
        throw new Error('osls package failed');
      }
    });
    service.write('serverless.ts', '// first\n');
    await until(() => calls === 2, 'the run after the failing one');
    await watcher!.idle();
    expect(errors).toEqual(['osls package failed']);
    expect(changes[1].files).toEqual(['functions/killVirus.ts', 'lib/virus.ts']);
    expect(calls).toBe(2);
  });

  it('keeps real time while the local cloud has the global timers (a paused virtual clock)', async () => {
    const clock = FakeTimers.install({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    try {
      await watch();
      service.write('functions/createVirus.ts', '// saved under a paused clock\n');
      await until(() => changes.length === 1, 'the save');
    } finally {
      clock.uninstall();
    }
  });
});
