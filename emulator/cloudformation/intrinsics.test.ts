import { describe, expect, it } from 'vitest';
import { evaluateConditions, resolveValue, TemplateError, type StackContext } from './intrinsics.ts';

/** A stack where two resources are already deployed, as the stack loader would see it. */
function stack(overrides: Partial<StackContext> = {}): StackContext {
  const deployed: Record<string, { ref: string; attributes: Record<string, unknown> }> = {
    VirusTable: {
      ref: 'viruses',
      attributes: {
        Arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses',
        StreamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses/stream/1',
      },
    },
    CreateVirusLambdaFunction: {
      ref: 'dojo-local-createVirus',
      attributes: { Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-createVirus' },
    },
  };
  return {
    stackName: 'dojo-serverless-local',
    region: 'eu-west-1',
    accountId: '123456789012',
    parameters: { Stage: 'local', Replicas: '3' },
    conditions: { IsLocal: true, IsProd: false },
    ref(id) {
      const r = deployed[id];
      if (!r) throw new Error(`Ref to ${id}, which is not deployed (yet).`);
      return r.ref;
    },
    getAtt(id, attribute) {
      const r = deployed[id];
      if (!r) throw new Error(`Fn::GetAtt on ${id}, which is not deployed (yet).`);
      if (!(attribute in r.attributes)) throw new Error(`${id} has no attribute ${attribute}.`);
      return r.attributes[attribute];
    },
    ...overrides,
  };
}

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

describe('resolveValue: Ref', () => {
  it('gives a resource its physical id, a parameter its value, and pseudo parameters the stack facts', () => {
    expect(resolveValue({ Ref: 'VirusTable' }, stack())).toBe('viruses');
    expect(resolveValue({ Ref: 'Stage' }, stack())).toBe('local');
    expect(resolveValue({ Ref: 'AWS::Region' }, stack())).toBe('eu-west-1');
    expect(resolveValue({ Ref: 'AWS::AccountId' }, stack())).toBe('123456789012');
    expect(resolveValue({ Ref: 'AWS::StackName' }, stack())).toBe('dojo-serverless-local');
    expect(resolveValue({ Ref: 'AWS::Partition' }, stack())).toBe('aws');
    expect(resolveValue({ Ref: 'AWS::URLSuffix' }, stack())).toBe('amazonaws.com');
    expect(resolveValue({ Ref: 'AWS::StackId' }, stack())).toMatch(
      /^arn:aws:cloudformation:eu-west-1:123456789012:stack\/dojo-serverless-local\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(resolveValue({ Ref: 'AWS::StackId' }, stack())).toBe(
      resolveValue({ Ref: 'AWS::StackId' }, stack()),
    );
    expect(resolveValue({ Ref: 'AWS::Partition' }, stack({ partition: 'aws-cn' }))).toBe('aws-cn');
  });

  it('resolves nested properties, the way the IAM role of a serverless.ts service looks', () => {
    const role = {
      RoleName: { 'Fn::Join': ['-', ['dojo-serverless', 'local', { Ref: 'AWS::Region' }, 'lambdaRole']] },
      Policies: [
        {
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['dynamodb:PutItem'],
                Resource: { 'Fn::GetAtt': ['VirusTable', 'Arn'] },
              },
              {
                Effect: 'Allow',
                Action: ['logs:PutLogEvents'],
                Resource: [
                  {
                    'Fn::Sub':
                      'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/dojo-serverless-local*:*:*',
                  },
                ],
              },
            ],
          },
        },
      ],
    };
    expect(resolveValue(role, stack(), 'IamRoleLambdaExecution.Properties')).toEqual({
      RoleName: 'dojo-serverless-local-eu-west-1-lambdaRole',
      Policies: [
        {
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['dynamodb:PutItem'],
                Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses',
              },
              {
                Effect: 'Allow',
                Action: ['logs:PutLogEvents'],
                Resource: [
                  'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/dojo-serverless-local*:*:*',
                ],
              },
            ],
          },
        },
      ],
    });
  });

  it('drops a property or a list element whose value is AWS::NoValue', () => {
    const properties = {
      TableName: 'viruses',
      StreamSpecification: { Ref: 'AWS::NoValue' },
      Tags: [{ Key: 'stage', Value: 'local' }, { Ref: 'AWS::NoValue' }],
    };
    expect(resolveValue(properties, stack())).toEqual({
      TableName: 'viruses',
      Tags: [{ Key: 'stage', Value: 'local' }],
    });
    expect(resolveValue({ Ref: 'AWS::NoValue' }, stack())).toBeUndefined();
  });

  it("says where a Ref the stack cannot resolve is, keeping the stack loader's reason", () => {
    const err = errorOf(() =>
      resolveValue({ KeySchema: [{ Ref: 'VirusTabel' }] }, stack(), 'VirusTable.Properties'),
    );
    expect(err.message).toBe(
      'Resource VirusTable, Properties.KeySchema[0]: Ref to VirusTabel, which is not deployed (yet).',
    );
    expect(err.where).toBe('VirusTable.Properties.KeySchema[0]');
  });

  it('rejects an unknown pseudo parameter with a suggestion', () => {
    expect(errorOf(() => resolveValue({ Ref: 'AWS::Regoin' }, stack(), 'Fn.Properties.Region')).message).toBe(
      'Resource Fn, Properties.Region: Ref to unknown pseudo parameter "AWS::Regoin". Did you mean "AWS::Region"?',
    );
  });

  it('asks for a Default when a parameter has no value', () => {
    expect(
      errorOf(() =>
        resolveValue({ Ref: 'Secret' }, stack({ parameters: { Secret: undefined } }), 'Fn.Properties.X'),
      ).message,
    ).toBe('Resource Fn, Properties.X: parameter "Secret" has no value: give it a Default.');
  });
});

describe('resolveValue: Fn::GetAtt', () => {
  it('accepts the list form and the "Logical.Attribute" string form', () => {
    expect(resolveValue({ 'Fn::GetAtt': ['VirusTable', 'Arn'] }, stack())).toBe(
      'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses',
    );
    expect(resolveValue({ 'Fn::GetAtt': 'VirusTable.StreamArn' }, stack())).toBe(
      'arn:aws:dynamodb:eu-west-1:123456789012:table/viruses/stream/1',
    );
  });

  it('reports a missing attribute at its place in an output', () => {
    expect(
      errorOf(() => resolveValue({ 'Fn::GetAtt': ['VirusTable', 'Nope'] }, stack(), 'Outputs.TableArn'))
        .message,
    ).toBe('Output TableArn: VirusTable has no attribute Nope.');
  });

  it('refuses a malformed argument', () => {
    expect(
      errorOf(() => resolveValue({ 'Fn::GetAtt': 'VirusTable' }, stack(), 'X.Properties.Arn')).message,
    ).toBe(
      'Resource X, Properties.Arn: Fn::GetAtt takes ["LogicalId", "Attribute"] or "LogicalId.Attribute", not "VirusTable".',
    );
  });
});

describe('resolveValue: Fn::Sub', () => {
  it('substitutes pseudo parameters, parameters, resources and their attributes', () => {
    expect(
      resolveValue(
        {
          'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/dojo-${Stage}',
        },
        stack(),
      ),
    ).toBe('arn:aws:events:eu-west-1:123456789012:event-bus/dojo-local');
    expect(resolveValue({ 'Fn::Sub': 'table ${VirusTable} is ${VirusTable.Arn}' }, stack())).toBe(
      'table viruses is arn:aws:dynamodb:eu-west-1:123456789012:table/viruses',
    );
  });

  it('keeps ${!Literal} as the text ${Literal}', () => {
    expect(resolveValue({ 'Fn::Sub': 'echo ${!HOME} in ${AWS::Region}' }, stack())).toBe(
      'echo ${HOME} in eu-west-1',
    );
  });

  it('uses the variables of the list form first, as serverless-step-functions writes DefinitionString', () => {
    const definitionString = {
      'Fn::Sub': [
        '{\n  "StartAt": "CreateVirus",\n  "States": {\n    "CreateVirus": {\n      "Type": "Task",\n      "Resource": "${a7f3e2}",\n      "End": true\n    }\n  }\n}',
        { a7f3e2: { 'Fn::GetAtt': ['CreateVirusLambdaFunction', 'Arn'] } },
      ],
    };
    const definition = JSON.parse(
      resolveValue(definitionString, stack(), 'SpawnStateMachine.Properties.DefinitionString') as string,
    );
    expect(definition.States.CreateVirus.Resource).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:dojo-local-createVirus',
    );
  });

  it('mixes list-form variables with pseudo parameters in the same string', () => {
    const value = {
      'Fn::Sub': [
        '{"Resource":"arn:${AWS::Partition}:states:::events:putEvents","Parameters":{"Entries":[{"EventBusName":"${bus}"}]}}',
        { bus: { Ref: 'Stage' } },
      ],
    };
    expect(resolveValue(value, stack())).toBe(
      '{"Resource":"arn:aws:states:::events:putEvents","Parameters":{"Entries":[{"EventBusName":"local"}]}}',
    );
  });

  it('lets a list-form variable shadow a resource of the same name', () => {
    expect(resolveValue({ 'Fn::Sub': ['${VirusTable}', { VirusTable: 'shadowed' }] }, stack())).toBe(
      'shadowed',
    );
  });

  it('says which ${...} is wrong', () => {
    expect(
      errorOf(() => resolveValue({ 'Fn::Sub': 'x-${Nope}' }, stack(), 'Bus.Properties.Name')).message,
    ).toBe('Resource Bus, Properties.Name: Ref to Nope, which is not deployed (yet).');
    expect(
      errorOf(() => resolveValue({ 'Fn::Sub': 'x-${AWS::Region' }, stack(), 'Bus.Properties.Name')).message,
    ).toMatch(/^Resource Bus, Properties.Name: Fn::Sub has an unclosed "\$\{"/);
  });
});

describe('resolveValue: Fn::Join, Fn::Select, Fn::Split', () => {
  it('joins strings and numbers, skipping AWS::NoValue', () => {
    expect(
      resolveValue(
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', 'bucket', '/*']] },
        stack(),
      ),
    ).toBe('arn:aws:s3:::bucket/*');
    expect(resolveValue({ 'Fn::Join': [',', ['a', 2, { Ref: 'AWS::NoValue' }, true]] }, stack())).toBe(
      'a,2,true',
    );
  });

  it('joins a list another function produced', () => {
    expect(resolveValue({ 'Fn::Join': ['+', { 'Fn::Split': [',', 'a,b,c'] }] }, stack())).toBe('a+b+c');
  });

  it('selects from a literal list and from Fn::Split, with a numeric string index too', () => {
    expect(resolveValue({ 'Fn::Select': [1, ['apples', 'grapes', 'oranges']] }, stack())).toBe('grapes');
    expect(
      resolveValue(
        { 'Fn::Select': ['5', { 'Fn::Split': [':', { 'Fn::GetAtt': ['VirusTable', 'Arn'] }] }] },
        stack(),
      ),
    ).toBe('table/viruses');
  });

  it('refuses an index outside the list', () => {
    expect(
      errorOf(() => resolveValue({ 'Fn::Select': [3, ['a', 'b']] }, stack(), 'Q.Properties.Name')).message,
    ).toBe(
      'Resource Q, Properties.Name: Fn::Select index 3 is out of range: the list has 2 elements (indexes start at 0).',
    );
  });

  it('points inside the list at an element that is not a string', () => {
    expect(
      errorOf(() => resolveValue({ 'Fn::Join': ['-', ['a', { b: 1 }]] }, stack(), 'Q.Properties.Name'))
        .message,
    ).toBe(
      'Resource Q, Properties.Name.Fn::Join[1][1]: Fn::Join must be a string, but it is an object ({"b":1}).',
    );
  });
});

describe('resolveValue: Fn::If and the condition functions', () => {
  it('picks the branch of the condition, and AWS::NoValue removes the property', () => {
    const properties = {
      BillingMode: { 'Fn::If': ['IsProd', 'PROVISIONED', 'PAY_PER_REQUEST'] },
      ProvisionedThroughput: { 'Fn::If': ['IsProd', { ReadCapacityUnits: 5 }, { Ref: 'AWS::NoValue' }] },
    };
    expect(resolveValue(properties, stack())).toEqual({ BillingMode: 'PAY_PER_REQUEST' });
  });

  it('evaluates Fn::Equals, Fn::And, Fn::Or and Fn::Not in place', () => {
    expect(resolveValue({ 'Fn::Equals': [{ Ref: 'Stage' }, 'local'] }, stack())).toBe(true);
    expect(resolveValue({ 'Fn::Equals': [{ Ref: 'Replicas' }, 3] }, stack())).toBe(true);
    expect(
      resolveValue(
        { 'Fn::And': [{ Condition: 'IsLocal' }, { 'Fn::Not': [{ Condition: 'IsProd' }] }] },
        stack(),
      ),
    ).toBe(true);
    expect(resolveValue({ 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'b'] }] }, stack())).toBe(
      false,
    );
  });

  it('names an unknown condition and suggests the close one', () => {
    expect(
      errorOf(() => resolveValue({ 'Fn::If': ['IsProdd', 1, 2] }, stack(), 'T.Properties.X')).message,
    ).toBe('Resource T, Properties.X: Fn::If names unknown condition "IsProdd". Did you mean "IsProd"?');
  });
});

describe('resolveValue: the other functions', () => {
  it('Fn::GetAZs lists zones of the region', () => {
    expect(resolveValue({ 'Fn::GetAZs': '' }, stack())).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(resolveValue({ 'Fn::Select': [0, { 'Fn::GetAZs': { Ref: 'AWS::Region' } }] }, stack())).toBe(
      'eu-west-1a',
    );
  });

  it('Fn::Base64 encodes, Fn::ToJsonString serialises resolved values', () => {
    expect(resolveValue({ 'Fn::Base64': { 'Fn::Sub': 'region=${AWS::Region}' } }, stack())).toBe(
      Buffer.from('region=eu-west-1').toString('base64'),
    );
    expect(
      resolveValue(
        { 'Fn::ToJsonString': { table: { Ref: 'VirusTable' }, skip: { Ref: 'AWS::NoValue' } } },
        stack(),
      ),
    ).toBe('{"table":"viruses"}');
  });

  it('Fn::FindInMap reads the Mappings', () => {
    const mappings = { StageConfig: { local: { Rate: 'rate(1 minute)' } } };
    expect(
      resolveValue({ 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'Rate'] }, stack({ mappings })),
    ).toBe('rate(1 minute)');
    expect(
      errorOf(() => resolveValue({ 'Fn::FindInMap': ['StageConfig', 'prod', 'Rate'] }, stack({ mappings })))
        .message,
    ).toBe('mapping "StageConfig" has no key "prod".');
  });

  it('Fn::Length counts a list', () => {
    expect(resolveValue({ 'Fn::Length': { 'Fn::Split': [',', 'a,b,c'] } }, stack())).toBe(3);
  });

  it('says plainly what the local cloud does not do, and catches typos in function names', () => {
    expect(
      errorOf(() => resolveValue({ 'Fn::ImportValue': 'shared-bus' }, stack(), 'R.Properties.Bus')).message,
    ).toBe('Resource R, Properties.Bus: Fn::ImportValue is not supported by the local cloud.');
    expect(errorOf(() => resolveValue({ 'Fn::Joinn': ['', []] }, stack(), 'R.Properties.Bus')).message).toBe(
      'Resource R, Properties.Bus: unknown intrinsic function "Fn::Joinn". Did you mean "Fn::Join"?',
    );
  });

  it('leaves objects with several keys alone, such as an IAM Condition block', () => {
    const statement = {
      Effect: 'Deny',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': false } },
    };
    expect(resolveValue(statement, stack())).toEqual(statement);
  });
});

describe('evaluateConditions', () => {
  const ctx = {
    stackName: 'dojo-serverless-local',
    region: 'eu-west-1',
    accountId: '123456789012',
    parameters: { Stage: 'local' },
  };

  it('evaluates every condition, including ones that use other conditions', () => {
    const template = {
      Conditions: {
        IsLocal: { 'Fn::Equals': [{ Ref: 'Stage' }, 'local'] },
        IsIreland: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
        LocalInIreland: { 'Fn::And': [{ Condition: 'IsLocal' }, { Condition: 'IsIreland' }] },
        NotLocal: { 'Fn::Not': [{ Condition: 'IsLocal' }] },
        Either: { 'Fn::Or': [{ Condition: 'NotLocal' }, { 'Fn::Equals': ['a', 'a'] }] },
      },
    };
    expect(evaluateConditions(template, ctx)).toEqual({
      IsLocal: true,
      IsIreland: true,
      LocalInIreland: true,
      NotLocal: false,
      Either: true,
    });
  });

  it('gives an empty record when there are no conditions', () => {
    expect(evaluateConditions({}, ctx)).toEqual({});
  });

  it('refuses resources in conditions, unknown conditions and loops', () => {
    expect(
      errorOf(() =>
        evaluateConditions({ Conditions: { HasTable: { 'Fn::Equals': [{ Ref: 'VirusTable' }, 'x'] } } }, ctx),
      ).message,
    ).toBe(
      'Condition HasTable, Fn::Equals[0]: Conditions can use parameters and pseudo parameters only, not "VirusTable".',
    );
    expect(
      errorOf(() =>
        evaluateConditions(
          { Conditions: { A: { 'Fn::Not': [{ Condition: 'Bee' }] }, B: { 'Fn::Equals': [1, 1] } } },
          ctx,
        ),
      ).message,
    ).toBe('Condition A, Fn::Not[0]: unknown condition "Bee".');
    expect(
      errorOf(() =>
        evaluateConditions(
          { Conditions: { A: { 'Fn::Not': [{ Condition: 'B' }] }, B: { 'Fn::Not': [{ Condition: 'A' }] } } },
          ctx,
        ),
      ).message,
    ).toBe('Condition A: conditions use each other in a circle: A → B → A.');
  });

  it('refuses a condition that is not a condition function', () => {
    expect(errorOf(() => evaluateConditions({ Conditions: { Odd: { Ref: 'Stage' } } }, ctx)).message).toBe(
      'Condition Odd: expected a condition (Fn::Equals, Fn::And, Fn::Or, Fn::Not or {"Condition": "Name"}), got string "local".',
    );
  });
});
