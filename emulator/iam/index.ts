/** IAM in the local cloud: policy evaluation for the gateway's checks, and AWS::IAM::Role. */
export { evaluate, type PolicyStatement } from './policy.ts';
export { iamProviders } from './provisioners.ts';
