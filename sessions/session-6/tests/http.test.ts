import { describe, it, expect } from 'vitest';
import { errorResponse, json, noContent } from '../lib/http.ts';

describe('json', () => {
  it('keeps the status code and sends the body as a JSON string', () => {
    const response = json(201, { id: 'abc', createdAt: '2026-11-21T09:00:00.000Z' });
    expect(response.statusCode).toBe(201);
    expect(typeof response.body).toBe('string');
    expect(JSON.parse(response.body!)).toEqual({ id: 'abc', createdAt: '2026-11-21T09:00:00.000Z' });
  });

  it('says the body is JSON', () => {
    expect(json(200, {}).headers).toEqual({ 'content-type': 'application/json' });
  });
});

describe('noContent', () => {
  it('is a 204 with no body', () => {
    const response = noContent();
    expect(response.statusCode).toBe(204);
    expect(response.body).toBeUndefined();
  });
});

describe('errorResponse', () => {
  it('is a JSON { message }', () => {
    const response = errorResponse(404, 'No such virus');
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body!)).toEqual({ message: 'No such virus' });
  });
});
