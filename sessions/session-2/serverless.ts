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
            // TODO 3: let the new functions read and delete viruses: add 'dynamodb:Scan' and 'dynamodb:DeleteItem' to this Action list.
            Action: ['dynamodb:PutItem'],
            Resource: { 'Fn::GetAtt': ['VirusTable', 'Arn'] },
          },
        ],
      },
    },
  },
  functions: {
    // Not behind the API: invoked directly (`npm run invoke createVirus`).
    createVirus: {
      handler: 'functions/createVirus/handler.main',
      environment: {
        // CloudFormation's Ref on a table gives its name, known only once the table exists.
        VIRUS_TABLE_NAME: { Ref: 'VirusTable' },
      },
    },
    listViruses: {
      handler: 'functions/listViruses/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      // TODO 1: put listViruses behind the route GET /viruses: an `events` list with one `httpApi` event (method and path).
    },
    spawnVirus: {
      handler: 'functions/spawnVirus/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      // TODO 2: route POST /viruses to spawnVirus, and DELETE /viruses/{id} to killVirus (below), the same way.
    },
    killVirus: {
      handler: 'functions/killVirus/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      // ({id} in a path is a path parameter: the handler reads it from event.pathParameters.id.)
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
