// The DynamoDB tables of the game.
export const dynamodbResources = {
  // The viruses on the board.
  VirusTable: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      // One table per stage, so learners sharing an AWS account never see each other's viruses.
      TableName: '${self:service}-${sls:stage}-viruses',
      // Pay per request: no capacity to plan, nothing to pay while nobody plays.
      BillingMode: 'PAY_PER_REQUEST',
      // Only key attributes are declared; the other attributes (createdAt, ...) need no schema.
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    },
  },
  // The running schedules, one item per schedule id: there while it runs, gone once stopped.
  ScheduleTable: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: '${self:service}-${sls:stage}-schedules',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    },
  },
  // The lab's notebook: counters (attempts of each culture, outbreak responses).
  LabTable: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: '${self:service}-${sls:stage}-lab',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    },
  },
  // Pandemic alerts waiting for a decision: the task token of each, by virus id.
  ApprovalTable: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: '${self:service}-${sls:stage}-approvals',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    },
  },
};
