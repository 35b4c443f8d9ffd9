import type { AWS } from 'osls';
import { dynamodbResources } from './resources/dynamodb.ts';

const config: AWS = {
  service: 'dojo-serverless',
  plugins: ['serverless-esbuild'],
  provider: {
    name: 'aws',
    runtime: 'nodejs22.x',
    region: 'eu-west-1',
    // `npm run check` packages with --stage local; on AWS every learner gets a stage of their own.
    stage: '${opt:stage, "local"}',
    // The board is a web page served from another origin: let browsers call the API (CORS).
    httpApi: {
      cors: true,
    },
    iam: {
      role: {
        // One role for all the functions of the service: allow only what they need, only on our table.
        statements: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:DeleteItem'],
            Resource: { 'Fn::GetAtt': ['VirusTable', 'Arn'] },
          },
          {
            // Bonus: connect, disconnect and pushVirus keep the list of connected boards.
            Effect: 'Allow',
            Action: ['dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:DeleteItem'],
            Resource: { 'Fn::GetAtt': ['ConnectionTable', 'Arn'] },
          },
        ],
      },
    },
  },
  functions: {
    // Not behind the API: EventBridge invokes it on a schedule.
    createVirus: {
      handler: 'functions/createVirus/handler.main',
      environment: {
        // CloudFormation's Ref on a table gives its name, known only once the table exists.
        VIRUS_TABLE_NAME: { Ref: 'VirusTable' },
      },
      // An EventBridge rule invokes createVirus every minute (asynchronously: nobody waits for it).
      events: [{ schedule: 'rate(1 minute)' }],
      // The same schedule in AWS's cron dialect:
      //   events: [{ schedule: 'cron(* * * * ? *)' }],
      // Six fields, always in UTC: minutes hours day-of-month month day-of-week year.
      // One of day-of-month and day-of-week must be `?` ("whichever"), and day-of-week runs
      // 1-7 = SUN-SAT (Unix cron's 0-6 does not work). cron(0 9 ? * 2-6 *) is 09:00 UTC, Monday to Friday.
    },
    listViruses: {
      handler: 'functions/listViruses/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      events: [{ httpApi: { method: 'GET', path: '/viruses' } }],
    },
    spawnVirus: {
      handler: 'functions/spawnVirus/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      events: [{ httpApi: { method: 'POST', path: '/viruses' } }],
    },
    killVirus: {
      handler: 'functions/killVirus/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      // {id} is a path parameter: the handler reads it from event.pathParameters.id.
      events: [{ httpApi: { method: 'DELETE', path: '/viruses/{id}' } }],
    },
    // Bonus: the board connects over a WebSocket; API Gateway tells these two who comes and goes.
    connect: {
      handler: 'functions/connect/handler.main',
      environment: { CONNECTION_TABLE_NAME: { Ref: 'ConnectionTable' } },
      events: [{ websocket: { route: '$connect' } }],
    },
    disconnect: {
      handler: 'functions/disconnect/handler.main',
      environment: { CONNECTION_TABLE_NAME: { Ref: 'ConnectionTable' } },
      events: [{ websocket: { route: '$disconnect' } }],
    },
    // Bonus: Lambda reads the virus table's stream and hands pushVirus each batch of changes.
    // osls lets the role read the stream, and post to the WebSocket's connections (execute-api:ManageConnections).
    pushVirus: {
      handler: 'functions/pushVirus/handler.main',
      environment: {
        CONNECTION_TABLE_NAME: { Ref: 'ConnectionTable' },
        // Where @connections answers: the WebSocket API's https address, with the stage.
        WEBSOCKET_ENDPOINT: {
          'Fn::Join': ['', ['https://', { Ref: 'WebsocketsApi' }, '.execute-api.', { Ref: 'AWS::Region' }, '.amazonaws.com/${sls:stage}']],
        },
      },
      events: [{ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['VirusTable', 'StreamArn'] } } }],
    },
  },
  resources: {
    Resources: {
      ...dynamodbResources,
    },
  },
  custom: {
    esbuild: { bundle: true, minify: false, target: 'node22', platform: 'node', exclude: [] },
  },
};

module.exports = config;
