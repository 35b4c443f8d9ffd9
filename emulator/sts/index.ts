/** STS in the local cloud: GetCallerIdentity, for preflight code tested against it. */
export { registerStsApi } from './api.ts';
