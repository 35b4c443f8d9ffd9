import * as catalogue from '../../checker/sessions/session-4/mistakes.ts';
import { describeSessionCheck } from './session-harness.ts';

describeSessionCheck('session-4', catalogue, import.meta.url);
