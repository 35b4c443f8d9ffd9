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
          // TODO 3: let the functions write viruses: allow 'dynamodb:PutItem' on the virus table's ARN
          // ({ 'Fn::GetAtt': ['VirusTable', 'Arn'] }), and nothing more.
        ],
      },
    },
  },
  functions: {
    createVirus: {
      handler: 'functions/createVirus/handler.main',
      // TODO 2: tell createVirus the table's name: an `environment` variable VIRUS_TABLE_NAME set to { Ref: 'VirusTable' }.
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
