import * as catalogue from '../../checker/sessions/session-3/mistakes.ts';
import { describeSessionCheck } from './session-harness.ts';

describeSessionCheck('session-3', catalogue, import.meta.url);
