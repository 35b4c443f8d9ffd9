/**
 * The local target's own SDK clients: one attempt per call. The local cloud never throttles,
 * so a retry could only repeat a failure of its own, and the SDK's backoff is a timer of the
 * cloud's clock, which nothing moves while the checker waits on that call. With the SDK's
 * default of three attempts, a session-5 check whose sandboxes could not start never ended.
 */
import { describe, expect, it } from 'vitest';
import { localTarget } from './local-target.ts';

describe('the local target', () => {
  it("gives the checker's SDK clients one attempt per call", async () => {
    const target = await localTarget({ seed: 1 });
    try {
      const clients = target.clients();
      for (const [name, client] of Object.entries(clients))
        expect(await client.config.maxAttempts(), name).toBe(1);
    } finally {
      await target.teardown();
    }
  });
});
