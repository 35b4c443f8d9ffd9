/**
 * Progress for the slow parts of --aws (deploy, observation, teardown): on a terminal, one
 * spinner line with the time elapsed (and left, when the length is known); elsewhere (CI,
 * a log file), plain lines, so that a log stays readable.
 *
 * The timers are the real ones (emulator's real-time), not the globals: a local cloud in the
 * same process (the dry run's cost estimate) replaces the global timers with its virtual clock.
 */
import pc from 'picocolors';
import { realClearInterval as clearInterval, realSetInterval as setInterval } from '../../emulator/index.ts';

export interface Step {
  /** The latest thing happening, shown after the label (the newest osls line, say). */
  detail(text: string): void;
  /** Ends the step with ✔ and the time it took. */
  done(text?: string): void;
  /** Ends the step with ✖. */
  fail(text?: string): void;
}

export interface Progress {
  step(label: string, options?: { totalMs?: number }): Step;
  /** A line of its own, printed above a running spinner. */
  log(line: string): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Spinner (true) or plain lines (false); defaults to whether the stream is a terminal. */
  tty?: boolean;
  /** Plain mode: print the step's details as lines too (osls's progress in a CI log). */
  plainDetails?: boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** In plain mode, a long wait says it is still alive this often. */
const PLAIN_TICK_MS = 60_000;

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean(stream.isTTY);
  let active: { clear(): void; redraw(): void; finish(mark: string, text?: string): void } | undefined;

  const write = (line: string) => stream.write(`${line}\n`);

  return {
    log(line) {
      active?.clear();
      write(line);
      active?.redraw();
    },
    step(label, { totalMs } = {}) {
      active?.finish(pc.dim('·'));
      const t0 = performance.now();
      let detail = '';
      let frame = 0;
      const elapsed = () => performance.now() - t0;
      const timing = () => {
        const e = elapsed();
        if (totalMs === undefined) return clock(e);
        // Time left counts whole seconds up: "4:00 left" at the start, "0:00" only at the end.
        return `${clock(Math.min(e, totalMs))} of ${clock(totalMs)}, ${clock(Math.ceil(Math.max(0, totalMs - e) / 1000) * 1000)} left`;
      };
      const render = () => {
        const text = `${pc.cyan(FRAMES[frame++ % FRAMES.length])} ${label} ${pc.dim(`(${timing()})`)}${detail ? pc.dim(`  ${detail}`) : ''}`;
        // A pseudo-terminal may say 0 columns: take that as unknown.
        const width = stream.columns || 100;
        stream.write(`\r\u001b[2K${truncate(text, width - 1)}`);
      };
      const timer = setInterval(
        tty ? render : () => write(pc.dim(`  … ${label}: ${timing()}`)),
        tty ? 100 : PLAIN_TICK_MS,
      );
      timer.unref();
      if (tty) render();
      else write(`… ${label}`);

      const self = {
        clear: () => tty && stream.write('\r\u001b[2K'),
        redraw: () => tty && render(),
        finish(mark: string, text?: string) {
          clearInterval(timer);
          if (active === self) active = undefined;
          self.clear();
          write(`${mark} ${text ?? label} ${pc.dim(`(${clock(elapsed())})`)}`);
        },
      };
      active = self;
      let ended = false;
      const end = (mark: string, text?: string) => {
        if (ended) return;
        ended = true;
        self.finish(mark, text);
      };
      return {
        detail(text) {
          if (ended) return;
          detail = text;
          if (!tty && options.plainDetails) write(pc.dim(`  ${text}`));
        },
        done: (text) => end(pc.green('✔'), text),
        fail: (text) => end(pc.red('✖'), text),
      };
    },
  };
}

/** A Progress that prints nothing: for tests and --json. */
export const silentProgress: Progress = {
  log: () => undefined,
  step: () => ({ detail: () => undefined, done: () => undefined, fail: () => undefined }),
};

/** 95_000 → "1:35"; an hour or more → "1:02:03". */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return s >= 3600
    ? `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`
    : `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

/** Cuts a line to the terminal's width, counting visible characters only (colours are free). */
function truncate(text: string, width: number): string {
  let visible = 0;
  let out = '';
  // eslint-disable-next-line no-control-regex
  for (const part of text.split(/(\u001b\[[0-9;]*m)/)) {
    if (part.startsWith('\u001b[')) {
      out += part;
      continue;
    }
    const room = width - visible;
    if (room <= 0) continue;
    out += part.length > room ? `${part.slice(0, Math.max(0, room - 1))}…` : part;
    visible += Math.min(part.length, room);
  }
  return `${out}\u001b[0m`;
}

/** A duration as people say it: "90 s", "12 min", "2 h 5 min", "3 days". */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} days`;
}
