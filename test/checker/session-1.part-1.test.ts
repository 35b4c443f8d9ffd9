import * as catalogue from '../../checker/sessions/session-1/mistakes.ts';
import { describeSessionCheck } from './session-harness.ts';

describeSessionCheck('session-1', catalogue, import.meta.url);
