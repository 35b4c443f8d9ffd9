/**
 * Sandboxes started from a pool's booted threads (what check --watch does between checks)
 * must be what a cold start gives: the function's own environment and seed, nothing of the
 * function before, and the thread's boot is all the pool saves.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LocalCloud } from '../cloud.ts';
import { functionsTemplate, tempService } from '../../test/support/temp-service.ts';
import { SandboxPool } from './sandbox-pool.ts';

const service = tempService({
  // What a sandbox carries: its environment, its Math.random stream, what a module set.
  'functions/look.ts': `const before = (globalThis as { seen?: string }).seen;
(globalThis as { seen?: string }).seen = process.env.WHO;
export const main = async () => ({ who: process.env.WHO, before: before ?? null, draw: Math.random(), region: process.env.AWS_REGION, tz: process.env.TZ });`,
  // An AWS call left in flight: the runtime's SDK watch must work on an SDK loaded ahead.
  'functions/forgets.ts': `import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
const ddb = new DynamoDBClient({});
export const main = async () => { void ddb.send(new ListTablesCommand({})); return 'returned'; };`,
});
const template = (who: string) =>
  functionsTemplate({
    look: { handler: 'functions/look.main', env: { WHO: who } },
    forgets: { handler: 'functions/forgets.main' },
  });
const HEAP = 256; // functionsTemplate's MemorySize

afterAll(() => service.remove());

async function lookOnce(who: string, sandboxPool?: SandboxPool) {
  const cloud = await LocalCloud.start({ seed: 7, sandboxPool });
  try {
    await cloud.deployTemplate(template(who), { serviceDir: service.dir, stackName: 'test-local' });
    const result = await cloud.lambda.invoke('test-local-look', {});
    expect(result.ok, JSON.stringify(result.payload)).toBe(true);
    return result.payload as { who: string; before: string | null; draw: number; region: string; tz: string };
  } finally {
    await cloud.stop();
  }
}

describe('a sandbox from a pool of booted threads', () => {
  it('is a cold start like any other: its own environment and seed, nothing of another function', async () => {
    const pool = new SandboxPool();
    try {
      const unpooled = await lookOnce('first');
      // The first check takes a new thread and tells the pool how many it took.
      expect(await lookOnce('first', pool)).toEqual(unpooled);
      await pool.fill();
      expect(pool.waitingFor(HEAP)).toBe(1);
      const pooled = await lookOnce('second', pool);
      expect(pool.waitingFor(HEAP)).toBe(0);
      expect(pooled).toEqual({ ...unpooled, who: 'second' });
      expect(pooled.before).toBeNull();
      expect(pooled.tz).toBe('UTC');
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('loads ahead the SDK its kind loaded before, and the SDK still tells a call left in flight', async () => {
    const pool = new SandboxPool();
    const unawaited = async () => {
      const cloud = await LocalCloud.start({ sandboxPool: pool });
      try {
        await cloud.deployTemplate(template('sdk'), { serviceDir: service.dir, stackName: 'test-local' });
        expect((await cloud.lambda.invoke('test-local-forgets', {})).payload).toBe('returned');
        return cloud.trace.find('invoke.unawaited').map((e) => `${e.service} ${e.operation}`);
      } finally {
        await cloud.stop();
      }
    };
    try {
      expect(await unawaited()).toEqual(['DynamoDB ListTables']);
      await pool.fill();
      expect(pool.waitingFor(HEAP)).toBe(1);
      // Its sandbox from the booted thread, the DynamoDB client loaded there before the handler.
      expect(await unawaited()).toEqual(['DynamoDB ListTables']);
      expect(pool.waitingFor(HEAP)).toBe(0);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('boots only for the heap limits taken, and ends the waiting threads when closed', async () => {
    const pool = new SandboxPool();
    await pool.fill();
    expect(pool.waitingFor(HEAP)).toBe(0);
    await (await pool.take(HEAP)).terminate();
    await (await pool.take(HEAP)).terminate();
    await pool.fill();
    expect(pool.waitingFor(HEAP)).toBe(2);
    expect(pool.waitingFor(1024)).toBe(0);
    await pool.close();
    expect(pool.waitingFor(HEAP)).toBe(0);
  }, 60_000);
});
