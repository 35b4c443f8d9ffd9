/**
 * The guard's promise, event by event, without osls or a cloud: Ctrl-C, SIGTERM, an uncaught
 * exception and an unhandled rejection each run the teardown once, say so, and exit with the
 * code a shell expects; a second Ctrl-C says what it waits for, a third leaves. (The real CLI
 * is stopped at each stage of a real osls deploy in test/aws/cli-teardown.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { guardExit, type Guard } from './guard.ts';

type Event = 'SIGINT' | 'SIGTERM' | 'uncaughtException' | 'unhandledRejection';
type Listener = (arg?: unknown) => void;

/** process.listeners, for any of the four events (its overloads take them one kind at a time). */
const listenersOf = (event: Event) => process.listeners(event as NodeJS.Signals) as Listener[];

describe('guardExit', () => {
  let guard: Guard | undefined;
  afterEach(() => guard?.dispose());

  /** Installs a guard and returns its own handler for `event` (the test runner's stay untouched). */
  const install = (event: Event, what: string | undefined) => {
    const before = listenersOf(event);
    const printed: string[] = [];
    const exits: number[] = [];
    let cleanups = 0;
    guard = guardExit(
      async () => {
        cleanups++;
      },
      { what: () => what, print: (l) => printed.push(l), exit: (code) => exits.push(code) },
    );
    const handler = listenersOf(event).find((l) => !before.includes(l))!;
    return { handler, printed, exits, cleanups: () => cleanups };
  };

  const cases: Array<[Event, number, string]> = [
    ['SIGINT', 130, 'Stopped (Ctrl-C)'],
    ['SIGTERM', 143, 'Stopped (SIGTERM)'],
    ['uncaughtException', 1, 'After a crash'],
    ['unhandledRejection', 1, 'After a crash'],
  ];
  for (const [event, code, why] of cases) {
    it(`${event}: removes the stack once, says so, then exits ${code}`, async () => {
      const g = install(event, 'dojo-serverless-jane');
      g.handler(event.startsWith('SIG') ? event : new Error('boom'));
      await guard!.stopping();
      expect(g.cleanups()).toBe(1);
      expect(g.exits).toEqual([code]);
      expect(g.printed.at(-1)).toBe(`${why}: removing dojo-serverless-jane before stopping.`);
      if (!event.startsWith('SIG')) expect(g.printed[0]).toMatch(/^The checker crashed: Error: boom/);
    });
  }

  it('with nothing deployed it says so; a second Ctrl-C says what it waits for, a third leaves', async () => {
    const g = install('SIGINT', undefined);
    g.handler('SIGINT');
    g.handler('SIGINT');
    expect(g.printed[1]).toMatch(
      /^Still removing the stack: one moment\. Press Ctrl-C again to stop waiting/,
    );
    g.handler('SIGINT');
    expect(g.exits).toEqual([130]);
    await guard!.stopping();
    expect(g.printed[0]).toBe('Stopped (Ctrl-C): nothing on AWS to remove.');
    expect(g.cleanups()).toBe(1);
    expect(g.exits).toEqual([130, 130]);
  });

  it('dispose takes the handlers away', () => {
    const before = process.listenerCount('SIGTERM');
    const g = install('SIGTERM', undefined);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    guard!.dispose();
    guard = undefined;
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(g.exits).toEqual([]);
  });
});
