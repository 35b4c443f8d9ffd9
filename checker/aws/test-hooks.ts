/**
 * A crash on demand, for the test that proves a crashed checker still removes its stack:
 * DOJO_TEST_CRASH=observe throws an uncaught exception once observation has started,
 * DOJO_TEST_CRASH=observe-rejection leaves a promise rejection unhandled instead.
 * Nothing happens when the variable is not set.
 */
import { realSetTimeout as setTimeout } from '../../emulator/index.ts';

export function injectedCrash(stage: string): void {
  const wanted = process.env.DOJO_TEST_CRASH;
  if (wanted === stage) {
    setTimeout(() => {
      throw new Error(`crash injected by DOJO_TEST_CRASH=${stage}`);
    }, 200);
  } else if (wanted === `${stage}-rejection`) {
    setTimeout(() => void Promise.reject(new Error(`rejection injected by DOJO_TEST_CRASH=${wanted}`)), 200);
  }
}
