import * as catalogue from '../../checker/sessions/session-5/mistakes.ts';
import { describeSessionCheck } from './session-harness.ts';

describeSessionCheck('session-5', catalogue, import.meta.url);
