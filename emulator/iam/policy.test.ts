import { describe, expect, it } from 'vitest';
import { actionMatches, resourceMatches } from './match.ts';
import { accessDeniedMessage, evaluate, type PolicyStatement } from './policy.ts';

const TABLE = 'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses';
const INDEX = `${TABLE}/index/byCreatedAt`;

/** The statements osls writes into the Lambda role for `iamRoleStatements` of session 1. */
const session1: PolicyStatement[] = [
  {
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'],
    Resource: ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/dojo-serverless-local*:*'],
  },
  {
    Effect: 'Allow',
    Action: ['logs:PutLogEvents'],
    Resource: ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/dojo-serverless-local*:*:*'],
  },
  { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:Scan'], Resource: TABLE },
];

describe('evaluate', () => {
  it('allows what a statement allows, and implicitly denies the rest', () => {
    expect(evaluate(session1, 'dynamodb:PutItem', TABLE)).toBe('allowed');
    expect(evaluate(session1, 'dynamodb:DeleteItem', TABLE)).toBe('implicit-deny');
    expect(
      evaluate(session1, 'dynamodb:PutItem', 'arn:aws:dynamodb:eu-west-1:123456789012:table/other'),
    ).toBe('implicit-deny');
    expect(evaluate([], 'dynamodb:PutItem', TABLE)).toBe('implicit-deny');
  });

  it('does not extend a table grant to its indexes', () => {
    expect(evaluate(session1, 'dynamodb:Scan', INDEX)).toBe('implicit-deny');
  });

  it('matches actions case-insensitively, with * and ? wildcards', () => {
    expect(
      evaluate([{ Effect: 'Allow', Action: 'DynamoDB:putitem', Resource: TABLE }], 'dynamodb:PutItem', TABLE),
    ).toBe('allowed');
    expect(
      evaluate([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: TABLE }], 'dynamodb:Query', TABLE),
    ).toBe('allowed');
    expect(
      evaluate([{ Effect: 'Allow', Action: 'dynamodb:Put*', Resource: TABLE }], 'dynamodb:PutItem', TABLE),
    ).toBe('allowed');
    expect(
      evaluate([{ Effect: 'Allow', Action: 'dynamodb:Put*', Resource: TABLE }], 'dynamodb:UpdateItem', TABLE),
    ).toBe('implicit-deny');
    expect(
      evaluate([{ Effect: 'Allow', Action: 'dynamodb:?etItem', Resource: TABLE }], 'dynamodb:GetItem', TABLE),
    ).toBe('allowed');
    expect(
      evaluate(
        [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        'states:StartExecution',
        'arn:aws:states:eu-west-1:123456789012:stateMachine:spawn',
      ),
    ).toBe('allowed');
  });

  it('matches resources with wildcards, case-sensitively', () => {
    const statement: PolicyStatement = {
      Effect: 'Allow',
      Action: 'dynamodb:*',
      Resource: 'arn:aws:dynamodb:*:*:table/viruses*',
    };
    expect(evaluate([statement], 'dynamodb:PutItem', TABLE)).toBe('allowed');
    expect(evaluate([statement], 'dynamodb:Query', INDEX)).toBe('allowed');
    expect(
      evaluate(
        [statement],
        'dynamodb:PutItem',
        'arn:aws:dynamodb:eu-west-1:123456789012:table/virusesArchive',
      ),
    ).toBe('allowed');
    expect(
      evaluate([statement], 'dynamodb:PutItem', 'arn:aws:dynamodb:eu-west-1:123456789012:table/Viruses'),
    ).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over any Allow, in any order', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE };
    const allowAll: PolicyStatement = { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' };
    expect(evaluate([allowAll, deny], 'dynamodb:DeleteItem', TABLE)).toBe('explicit-deny');
    expect(evaluate([deny, allowAll], 'dynamodb:DeleteItem', TABLE)).toBe('explicit-deny');
    expect(evaluate([deny, allowAll], 'dynamodb:PutItem', TABLE)).toBe('allowed');
  });

  it('NotAction allows everything except the actions it lists', () => {
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', NotAction: ['dynamodb:DeleteItem', 'dynamodb:Delete*'], Resource: TABLE },
    ];
    expect(evaluate(statements, 'dynamodb:PutItem', TABLE)).toBe('allowed');
    expect(evaluate(statements, 'dynamodb:DeleteItem', TABLE)).toBe('implicit-deny');
    expect(
      evaluate(
        [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', NotAction: 'dynamodb:*', Resource: '*' },
        ],
        'lambda:InvokeFunction',
        '*',
      ),
    ).toBe('explicit-deny');
  });

  it('NotResource applies to every resource except the ones it lists', () => {
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: 'dynamodb:*',
        NotResource: [
          'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses',
          'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses/index/*',
        ],
      },
    ];
    expect(evaluate(statements, 'dynamodb:Query', INDEX)).toBe('allowed');
    expect(
      evaluate(statements, 'dynamodb:Scan', 'arn:aws:dynamodb:eu-west-1:123456789012:table/players'),
    ).toBe('explicit-deny');
  });

  it('ignores a statement with neither Action nor NotAction, and non-string patterns', () => {
    expect(evaluate([{ Effect: 'Allow', Resource: '*' }], 'dynamodb:PutItem', TABLE)).toBe('implicit-deny');
    expect(
      evaluate(
        [
          {
            Effect: 'Allow',
            Action: [{ 'Fn::GetAtt': ['X', 'Arn'] } as unknown as string, 'dynamodb:PutItem'],
            Resource: TABLE,
          },
        ],
        'dynamodb:PutItem',
        TABLE,
      ),
    ).toBe('allowed');
  });

  it("reads a Condition in the caller's favour, since the local cloud cannot evaluate it", () => {
    const condition = { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } };
    expect(
      evaluate(
        [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE, Condition: condition }],
        'dynamodb:PutItem',
        TABLE,
      ),
    ).toBe('allowed');
    expect(
      evaluate(
        [
          { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE },
          { Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: TABLE, Condition: condition },
        ],
        'dynamodb:PutItem',
        TABLE,
      ),
    ).toBe('allowed');
  });
});

describe('actionMatches and resourceMatches', () => {
  it('keeps a mid-segment * inside its segment, and lets a segment-ending * run across colons', () => {
    expect(
      resourceMatches(
        'arn:aws:lambda:eu-west-1:123456789012:function:dojo-*-createVirus',
        'arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-createVirus',
      ),
    ).toBe(true);
    expect(
      resourceMatches(
        'arn:aws:lambda:eu-west-1:123456789012:function:dojo-*-createVirus',
        'arn:aws:lambda:eu-west-1:123456789012:function:dojo-a:b-createVirus',
      ),
    ).toBe(false);
    expect(
      resourceMatches(
        'arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-createVirus',
        'arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-createVirus:live',
      ),
    ).toBe(false);
    expect(
      resourceMatches(
        'arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-createVirus:*',
        'arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-createVirus:live',
      ),
    ).toBe(true);
    expect(
      resourceMatches(
        'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/dojo-serverless-local*:*',
        'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/dojo-serverless-local-createVirus:log-stream:2026/11/21',
      ),
    ).toBe(true);
  });

  it('treats regular-expression characters literally', () => {
    expect(resourceMatches('arn:aws:s3:::bucket.name/(a)+', 'arn:aws:s3:::bucket.name/(a)+')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::bucket.name/*', 'arn:aws:s3:::bucketXname/x')).toBe(false);
    expect(actionMatches('states:Send*', 'states:SendTaskSuccess')).toBe(true);
    expect(actionMatches('states:Send?', 'states:SendTaskSuccess')).toBe(false);
  });

  it('lets only Resource "*" cover actions that act on no named resource', () => {
    expect(resourceMatches('*', '*')).toBe(true);
    expect(resourceMatches('arn:aws:states:*:*:*', '*')).toBe(false);
  });
});

describe('accessDeniedMessage', () => {
  const principalArn =
    'arn:aws:sts::123456789012:assumed-role/dojo-serverless-local-eu-west-1-lambdaRole/dojo-serverless-local-createVirus';

  it('words an implicit deny the way AWS does', () => {
    expect(
      accessDeniedMessage({
        principalArn,
        action: 'dynamodb:PutItem',
        resource: TABLE,
        kind: 'implicit-deny',
      }),
    ).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/dojo-serverless-local-eu-west-1-lambdaRole/dojo-serverless-local-createVirus is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/viruses because no identity-based policy allows the dynamodb:PutItem action',
    );
  });

  it('words an explicit deny the way AWS does', () => {
    expect(
      accessDeniedMessage({
        principalArn,
        action: 'dynamodb:DeleteItem',
        resource: TABLE,
        kind: 'explicit-deny',
      }),
    ).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/dojo-serverless-local-eu-west-1-lambdaRole/dojo-serverless-local-createVirus is not authorized to perform: dynamodb:DeleteItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/viruses with an explicit deny in an identity-based policy',
    );
  });
});
