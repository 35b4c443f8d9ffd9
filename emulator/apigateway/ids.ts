/** API Gateway's ids (APIs, resources, routes, connections): short, lower-case letters and digits. */
import { randomBytes } from 'node:crypto';

export function shortId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}
