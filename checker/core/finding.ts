/** One line of `npm run doctor`: what it found, and the fix when something is wrong. */
export interface Finding {
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix?: string;
}
