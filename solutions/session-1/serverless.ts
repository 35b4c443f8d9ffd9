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
    iam: {
      role: {
        // One role for all the functions of the service: allow only what they need, only on our table.
        statements: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:PutItem'],
            Resource: { 'Fn::GetAtt': ['VirusTable', 'Arn'] },
          },
        ],
      },
    },
  },
  functions: {
    createVirus: {
      handler: 'functions/createVirus/handler.main',
      environment: {
        // CloudFormation's Ref on a table gives its name, known only once the table exists.
        VIRUS_TABLE_NAME: { Ref: 'VirusTable' },
      },
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
