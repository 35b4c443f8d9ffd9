import * as catalogue from '../../checker/sessions/session-3/mistakes.ts';
import { describeSessionCheck } from './session-harness.ts';

// The bonus part adds WebSocket clients and the cold starts of three functions to each check.
describeSessionCheck('session-3', { ...catalogue, timeoutMs: 150_000 });
