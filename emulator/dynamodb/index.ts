/** DynamoDB in the local cloud: dynalite behind the gateway, its tables' streams, and AWS::DynamoDB::Table. */
export { DynamoDb, type DynamoDbOptions } from './service.ts';
export { dynamodbApi, dynamodbStreamsApi, registerDynamoDbApi } from './api.ts';
export { TableStreams, type StreamRecord, type StreamViewType } from './streams.ts';
export { dynamodbProviders } from './provisioners.ts';
