import * as catalogue from '../../checker/sessions/session-2/mistakes.ts';
import { describeSessionCheck } from './session-harness.ts';

describeSessionCheck('session-2', catalogue, import.meta.url);
