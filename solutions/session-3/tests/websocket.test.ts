import { describe, it, expect } from 'vitest';
import { boardMessage } from '../lib/websocket.ts';

const id = '0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c';
const createdAt = '2026-11-21T09:00:00.000Z';

describe('boardMessage (a stream record as the board reads it)', () => {
  it('tells a new virus with its item (NewImage)', () => {
    const record = {
      eventName: 'INSERT' as const,
      dynamodb: { Keys: { id: { S: id } }, NewImage: { id: { S: id }, createdAt: { S: createdAt } } },
    };
    expect(boardMessage(record)).toEqual({ type: 'INSERT', virus: { id, createdAt } });
  });

  it('tells a kill with the key alone: a REMOVE has no NewImage', () => {
    const record = { eventName: 'REMOVE' as const, dynamodb: { Keys: { id: { S: id } } } };
    expect(boardMessage(record)).toEqual({ type: 'REMOVE', virus: { id } });
  });

  it('leaves out a change the board does not show (MODIFY)', () => {
    const record = { eventName: 'MODIFY' as const, dynamodb: { Keys: { id: { S: id } } } };
    expect(boardMessage(record)).toBeUndefined();
  });
});
