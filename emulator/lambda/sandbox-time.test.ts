/**
 * What a sandbox tells the main thread about its timers (sandbox-time.ts), seen in a worker
 * thread of its own (the module replaces the thread's timers and Date): a long timer set
 * and cleared within one request, as the AWS SDK does around every call, costs no message;
 * one left waiting is told in time, before the sandbox says idle, or when the invocation ends.
 */
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';

/** Runs `script` (the body of an async function given `time` and `messages`) in a worker. */
function inSandboxThread(script: string): Promise<Array<Record<string, unknown>>> {
  const module = new URL('./sandbox-time.ts', import.meta.url).href;
  const code = `
    const { parentPort } = await import('node:worker_threads');
    const { installVirtualTime } = await import(${JSON.stringify(module)});
    const shared = new SharedArrayBuffer(24);
    new Float64Array(shared).set([Date.UTC(2030, 0, 1), performance.timeOrigin + performance.now(), 1]);
    const messages = [];
    const realSetTimeout = setTimeout;
    const sleep = (ms) => new Promise((r) => realSetTimeout(r, ms));
    const time = installVirtualTime(shared, (m) => messages.push(m));
    await (async () => { ${script} })();
    parentPort.postMessage(messages);`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { execArgv: [] });
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => void worker.terminate().then(() => resolve(m)));
    worker.once('error', reject);
  });
}

describe("a sandbox's timers, as the main thread hears of them", () => {
  it('says nothing of a 3-second timer set and cleared within an SDK call', async () => {
    const messages = await inSandboxThread(`
      time.beginInvocation();
      for (let i = 0; i < 5; i++) { const t = setTimeout(() => {}, 3000); await sleep(2); clearTimeout(t); }
      time.endInvocation();`);
    expect(messages).toEqual([]);
  });

  it('tells a short timer at once, and a long one left waiting within tens of ms, with its due time', async () => {
    const messages = await inSandboxThread(`
      time.beginInvocation();
      const set = Date.now();
      setTimeout(() => {}, 50);
      setTimeout(() => {}, 3000);
      messages.push({ t: 'mark', set, afterSet: messages.length });
      await sleep(60);
      time.endInvocation();`);
    const mark = messages.find((m) => m.t === 'mark')!;
    expect(mark.afterSet).toBe(1); // the 50 ms timer only
    const timers = messages.filter((m) => m.t === 'timer');
    expect(timers.map((m) => m.ms)).toEqual([50, 3000]);
    expect(timers[1].due).toBeGreaterThanOrEqual((mark.set as number) + 3000);
    expect(timers[1].due).toBeLessThan((mark.set as number) + 3100);
  });

  it('tells every waiting timer before it says idle, so the clock never jumps past one', async () => {
    const messages = await inSandboxThread(`
      time.beginInvocation();
      setTimeout(() => {}, 10 * 60_000);
      // Waiting on nothing but that timer: an open port keeps the thread alive, an unref'd
      // real timer (not counted as work) ends the wait.
      const { port1 } = new MessageChannel();
      port1.on('message', () => {});
      await new Promise((r) => realSetTimeout(r, 60).unref());
      port1.close();
      time.endInvocation();`);
    const kinds = messages.map((m) => m.t);
    expect(kinds).toContain('idle');
    expect(kinds.indexOf('timer')).toBeGreaterThanOrEqual(0);
    expect(kinds.indexOf('timer')).toBeLessThan(kinds.indexOf('idle'));
  });

  it('tells a timer the handler leaves behind when the invocation ends', async () => {
    const messages = await inSandboxThread(`
      time.beginInvocation();
      setTimeout(() => {}, 5000);
      time.endInvocation();`);
    expect(messages).toEqual([expect.objectContaining({ t: 'timer', ms: 5000 })]);
  });
});
