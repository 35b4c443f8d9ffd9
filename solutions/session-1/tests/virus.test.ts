import { describe, it, expect } from 'vitest';
import { newVirus } from '../lib/virus.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('newVirus', () => {
  it('has a UUID for an id', () => {
    expect(newVirus().id).toMatch(UUID);
  });

  it('was created just now, written in ISO 8601', () => {
    const before = Date.now();
    const { createdAt } = newVirus();
    expect(createdAt).toBe(new Date(createdAt).toISOString());
    expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(createdAt)).toBeLessThanOrEqual(Date.now());
  });

  it('has nothing but an id and a createdAt', () => {
    expect(Object.keys(newVirus()).sort()).toEqual(['createdAt', 'id']);
  });

  it('never gives two viruses the same id', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newVirus().id));
    expect(ids.size).toBe(1000);
  });
});
