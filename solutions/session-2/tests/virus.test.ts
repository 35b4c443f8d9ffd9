import { describe, it, expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { isVirusId, newestFirst, newVirus } from '../lib/virus.ts';

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

describe('isVirusId', () => {
  it('accepts UUIDs', () => {
    expect(isVirusId(randomUUID())).toBe(true);
    expect(isVirusId('0B6A3C1E-5F7D-4E2A-9C1B-2D3E4F5A6B7C')).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['a word', 'virus'],
    ['a UUID with extra characters', `${randomUUID()}x`],
    ['a UUID without dashes', randomUUID().replaceAll('-', '')],
    ['a path', '../../etc/passwd'],
    ['a number', 42],
    ['nothing', undefined],
  ])('refuses %s', (_what, id) => {
    expect(isVirusId(id)).toBe(false);
  });
});

describe('newestFirst', () => {
  const old = { id: randomUUID(), createdAt: '2026-11-21T09:00:00.000Z' };
  const mid = { id: randomUUID(), createdAt: '2026-11-21T09:30:00.000Z' };
  const young = { id: randomUUID(), createdAt: '2026-11-21T10:00:00.000Z' };

  it('puts the newest virus first', () => {
    expect(newestFirst([mid, old, young])).toEqual([young, mid, old]);
  });

  it('leaves the list it was given as it was', () => {
    const viruses = [old, young];
    newestFirst(viruses);
    expect(viruses).toEqual([old, young]);
  });

  it('is happy with an empty board', () => {
    expect(newestFirst([])).toEqual([]);
  });
});
