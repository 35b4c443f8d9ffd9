/**
 * How --aws runs osls (`deploy`, `remove`): behind a small interface, so that tests can put a
 * stand-in in its place and the orchestration around it (markers, teardown on every exit)
 * is tested without an AWS account.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';

export interface OslsRun {
  cwd: string;
  args: string[];
  /** Each line osls prints, as it prints it (progress). */
  onLine?(line: string): void;
  /** Aborting stops osls (SIGTERM); the promise still settles once it has exited. */
  signal?: AbortSignal;
  /**
   * In a process group of its own: a Ctrl-C in the terminal then does not stop it. For
   * `remove`, which must finish even when the learner presses Ctrl-C again.
   */
  detached?: boolean;
  /** Set (or, when undefined, removed) over the inherited environment: the local cloud's endpoint. */
  env?: Record<string, string | undefined>;
}

export interface OslsResult {
  code: number;
  output: string;
}

export interface OslsRunner {
  run(run: OslsRun): Promise<OslsResult>;
}

const require = createRequire(import.meta.url);

/**
 * The repository's osls, run with node. Unlike the local packaging, AWS settings pass through:
 * osls needs the learner's credentials, profile and region.
 */
export function realOsls(bin = require.resolve('osls/bin/serverless.js')): OslsRunner {
  return {
    run({ cwd, args, onLine, signal, detached, env: extra }) {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env))
        if (v !== undefined && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
      Object.assign(env, {
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        SLS_DEPRECATION_DISABLE: '*',
        FORCE_COLOR: '0',
      });
      for (const [k, v] of Object.entries(extra ?? {}))
        if (v === undefined) delete env[k];
        else env[k] = v;
      return new Promise((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], {
          cwd,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached,
        });
        let output = '';
        let partial = '';
        const take = (chunk: Buffer) => {
          const text = chunk.toString();
          output += text;
          const lines = (partial + text).split(/\r?\n|\r/);
          partial = lines.pop() ?? '';
          for (const line of lines) emit(line);
        };
        const emit = (line: string) => {
          const clean = stripVTControlCharacters(line).trim();
          if (clean) onLine?.(clean);
        };
        const stop = () => child.kill('SIGTERM');
        signal?.addEventListener('abort', stop, { once: true });
        child.stdout.on('data', take);
        child.stderr.on('data', take);
        child.on('error', (err) => {
          signal?.removeEventListener('abort', stop);
          resolve({
            code: -1,
            output: `Could not start osls: ${err.message}. Run npm install at the repository root.`,
          });
        });
        child.on('close', (code, sig) => {
          signal?.removeEventListener('abort', stop);
          emit(partial);
          resolve({ code: code ?? (sig ? 128 : 1), output });
        });
        if (signal?.aborted) stop();
      });
    },
  };
}

/** The lines of a failed osls run that say what went wrong, without its environment banner. */
export function oslsFailure(output: string): string {
  const lines = stripVTControlCharacters(output)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim());
  const errorAt = lines.findIndex((l) => /^(✖|Error:|Environment:)|Error --/.test(l.trim()));
  const relevant = (errorAt >= 0 ? lines.slice(errorAt) : lines.slice(-12)).filter(
    (l) =>
      !/^\s*(Environment|Operating System|Node Version|Framework Version|Plugin Version|SDK Version|Components Version|Docs|Bugs|Issues|Your Environment Information)/.test(
        l.trim(),
      ),
  );
  return (
    relevant.slice(0, 15).join('\n') ||
    `osls stopped without saying why (output: ${output.trim().slice(-300) || 'none'})`
  );
}

/** osls remove on a stack that is not there: nothing to do, which is what we wanted. */
export function isMissingStack(output: string): boolean {
  return /Stack with id \S+ does not exist/.test(output);
}
