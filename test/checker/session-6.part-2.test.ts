import * as catalogue from '../../checker/sessions/session-6/mistakes.ts';
import { describeSessionCheck } from './session-harness.ts';

describeSessionCheck('session-6', catalogue, import.meta.url);
