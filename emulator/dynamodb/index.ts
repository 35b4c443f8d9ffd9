/** DynamoDB in the local cloud: dynalite behind the gateway, and AWS::DynamoDB::Table. */
export { DynamoDb, type DynamoDbOptions } from './service.ts';
export { dynamodbApi, registerDynamoDbApi } from './api.ts';
export { dynamodbProviders } from './provisioners.ts';
