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
      // TODO 1: run createVirus every minute: add an `events` list with one `schedule` event, 'rate(1 minute)'.
      // TODO 3: (bonus) below, write the same schedule as a comment in AWS's six-field cron dialect: cron(... ? *).
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
    // TODO 4: (bonus) a WebSocket API for the board: declare the functions connect and disconnect
    // (handlers in functions/connect/ and functions/disconnect/, CONNECTION_TABLE_NAME in their
    // environment), each with one `websocket` event: route $connect, route $disconnect.
    // TODO 5: (bonus) declare pushVirus (functions/pushVirus/), invoked by a `stream` event on the virus
    // table's stream, with CONNECTION_TABLE_NAME and WEBSOCKET_ENDPOINT (the WebSocket API's https address, with the stage) in its environment.
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
