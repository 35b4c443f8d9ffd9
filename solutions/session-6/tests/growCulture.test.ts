import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/dynamodb.ts';
import { main } from '../functions/growCulture/handler.ts';

/** A lab table that counts: each call answers the next attempt number. */
function counting() {
  let attempts = 0;
  return vi.spyOn(ddb, 'send').mockImplementation(async () => ({ Attributes: { attempts: ++attempts } }) as never);
}

describe('growCulture (the GrowCulture state)', () => {
  beforeEach(() => {
    process.env.LAB_TABLE_NAME = 'dojo-serverless-test-lab';
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.LAB_TABLE_NAME;
  });

  it('counts its attempts per virus in the lab table, with one ADD', async () => {
    const send = counting();
    await main({ virusId: 'v1' });
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(UpdateCommand);
    expect(command.input).toMatchObject({ TableName: 'dojo-serverless-test-lab', Key: { id: 'culture:v1' }, UpdateExpression: 'ADD attempts :one', ReturnValues: 'UPDATED_NEW' });
  });

  it('grows at once without contamination', async () => {
    counting();
    await expect(main({ virusId: 'v1' })).resolves.toEqual({ virusId: 'v1', grown: true, attempt: 1 });
  });

  it('fails the first `contamination` attempts with CultureContaminated, then grows', async () => {
    counting();
    await expect(main({ virusId: 'v1', contamination: 2 })).rejects.toMatchObject({ name: 'CultureContaminated' });
    await expect(main({ virusId: 'v1', contamination: 2 })).rejects.toMatchObject({ name: 'CultureContaminated' });
    await expect(main({ virusId: 'v1', contamination: 2 })).resolves.toEqual({ virusId: 'v1', grown: true, attempt: 3 });
  });
});
