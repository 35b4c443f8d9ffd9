/** STS in the local cloud: GetCallerIdentity, for preflight code tested against it. */
export { LOCAL_ACCOUNT_ID, registerStsApi, stsApi } from './api.ts';
export { startPackagingEndpoint, type PackagingEndpoint } from './packaging-endpoint.ts';
