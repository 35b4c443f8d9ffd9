import { afterEach, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stripVTControlCharacters } from 'node:util';
import { COMMANDS } from '../../checker/bin/dojo.ts';
import { buildProgram } from '../../checker/cli/program.ts';
import { check } from '../../checker/commands/check.ts';
import { runCli, until } from '../aws/cli.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';
import { tempRepo } from './support.ts';

/** The real CLI, as the npm scripts start it; what it printed and its exit code. */
async function dojo(...args: string[]): Promise<{ code: number | null; output: string }> {
  const run = runCli(args, { HOME: process.env.HOME ?? '' });
  const { code } = await run.exit;
  return { code, output: run.output() };
}

describe('the dojo CLI', () => {
  it('refuses a misspelled option with a did-you-mean, before running anything', async () => {
    const { code, output } = await dojo('check', 'session-1', '--minuts', '5');
    expect(code).toBe(2);
    expect(output).toContain("error: unknown option '--minuts'\n(Did you mean --minutes?)");
    expect(output).toContain('(npm run check -- --help lists what it takes)');
    expect(output).not.toContain('… package');
  });

  it('refuses a value that is not a number where one is expected, and a misspelled command', async () => {
    const seed = await dojo('check', 'session-1', '--seed', '1.5');
    expect(seed.code).toBe(2);
    expect(seed.output).toContain(
      "error: option '--seed <n>' argument '1.5' is invalid. expected a whole number, got \"1.5\".",
    );
    const port = await dojo('dev', '--port', '70000');
    expect(port.output).toContain('expected a port number (0 to 65535; 0 picks a free one), got "70000"');
    const command = await dojo('chekc');
    expect(command.code).toBe(2);
    expect(command.output).toContain("error: unknown command 'chekc'\n(Did you mean check?)");
  });

  it('gives every command its own --help, with its options and defaults', async () => {
    const { code, output } = await dojo('start', '--help');
    expect(code).toBe(0);
    expect(output).toMatch(/^Usage: npm start -- \[options\]/);
    expect(output).toMatch(/--port <port> +the local cloud's port \(default: 4566\)/);
    expect(output).toMatch(/--docs-port <port> +the guide's port \(default: 5173\)/);
    // Every other command's help, as the program renders it (without a process each).
    const program = buildProgram(COMMANDS, () => undefined);
    for (const spec of COMMANDS) {
      const help = program.commands.find((c) => c.name() === spec.name)!.helpInformation();
      expect(help).toContain(`Usage: ${spec.name === 'start' ? 'npm start' : `npm run ${spec.name}`}`);
      for (const option of spec.options ?? []) expect(help).toContain(option.flags);
    }
    const all = program.helpInformation();
    for (const spec of COMMANDS) expect(all).toMatch(new RegExp(`^  ${spec.name}\\b`, 'm'));
  });

  it("keeps the npm scripts' calling convention: npm run check session-N -- --options", async () => {
    const { stdout, stderr } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'check', 'session-1', '--', '--minuts', '5'],
      { env: { ...process.env, NO_COLOR: '1' } },
    ).catch((e: { stdout: string; stderr: string }) => e);
    expect(stripVTControlCharacters(stdout + stderr)).toContain('(Did you mean --minutes?)');
  });

  it('says the check was stopped when Ctrl-C ends it, after tearing it down', async () => {
    const copy = copyWithEdits(resolve('solutions/session-3'), []);
    try {
      // Enough virtual minutes that the check is still observing when Ctrl-C comes.
      const run = runCli(['check', 'session-3', '--dir', copy.dir, '--minutes', '100000'], {
        HOME: process.env.HOME ?? '',
      });
      await until(() => run.output().includes('… observe'), 'the check to start observing', 90_000);
      run.child.kill('SIGINT');
      const { code } = await run.exit;
      const output = run.output();
      expect(code, output).toBe(130);
      const stopped = output.indexOf(
        '■ Check stopped (Ctrl-C) before judging; its local cloud is gone. Run npm run check session-3 again when you are ready.',
      );
      expect(stopped, output).toBeGreaterThan(output.indexOf('… teardown'));
    } finally {
      copy.remove();
    }
  }, 120_000);
});

describe('npm run check without a session', () => {
  let repo: ReturnType<typeof tempRepo>;
  afterEach(() => {
    repo?.remove();
    vi.restoreAllMocks();
  });

  it('asks for one when no session was begun', async () => {
    repo = tempRepo();
    await expect(check({ root: repo.root })).rejects.toMatchObject({
      name: 'UsageError',
      message: 'Which session? For example: npm run check session-1',
    });
  });

  it('checks the session npm run begin started, as hint and diff do', async () => {
    repo = tempRepo();
    repo.write(
      '.dojo/current.json',
      JSON.stringify({ session: 'session-1', startedAt: new Date().toISOString() }),
    );
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    // backend/ holds the session's solution (its package cache along, as a learner's has it).
    cpSync(resolve('solutions/session-1'), join(repo.root, 'backend'), {
      recursive: true,
      filter: (src) => !src.includes('node_modules'),
    });
    const code = await check({ root: repo.root, json: true, seed: 1 });
    expect(code).toBe(0);
    expect(JSON.parse(printed.join('\n'))).toMatchObject({ session: 'session-1', ok: true });
    // Its progress is the learner's, in the repository it ran in.
    expect(JSON.parse(repo.read('.dojo/progress.json'))).toMatchObject({ 'session-1': { ok: true } });
  }, 120_000);
});
