import { vi } from 'vitest';
import * as catalogue from '../../checker/sessions/session-5/mistakes.ts';
import { describeSessionCheck } from './session-harness.ts';

// Each check deploys and watches 80 virtual minutes of both designs of the scheduler (part 1's
// state machine and part 2's one-time schedules): about a minute of real time on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

describeSessionCheck('session-5', catalogue);
