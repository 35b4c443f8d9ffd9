import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { packageService } from '../stack/package.ts';
import { dependencyOrder, resolveValue, TemplateError, type TemplateLike } from './intrinsics.ts';

const MINI = fileURLToPath(new URL('../../test/fixtures/mini-service', import.meta.url));

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

const resource = (Properties: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Test::Thing',
  Properties,
  ...extra,
});

describe('dependencyOrder', () => {
  it('puts what a resource uses before it, and keeps the template order otherwise', () => {
    const template: TemplateLike = {
      Resources: {
        StateMachine: resource({ RoleArn: { 'Fn::GetAtt': ['StateMachineRole', 'Arn'] } }),
        Function: resource({
          Role: { 'Fn::GetAtt': 'Role.Arn' },
          Environment: { Variables: { TABLE: { Ref: 'Table' } } },
        }),
        StateMachineRole: resource({}),
        Role: resource({ Resource: { 'Fn::Sub': '${Table.Arn}' } }),
        Table: resource({ TableName: 'viruses' }),
        LogGroup: resource({}),
      },
    };
    expect(dependencyOrder(template)).toEqual([
      'StateMachineRole',
      'StateMachine',
      'Table',
      'Role',
      'Function',
      'LogGroup',
    ]);
  });

  it('follows DependsOn, a Fn::Sub string and the variables of the list form', () => {
    const template: TemplateLike = {
      Resources: {
        Machine: resource({
          DefinitionString: {
            'Fn::Sub': [
              '{"Resource":"${fn}","Bus":"${Bus}","Region":"${AWS::Region}","Literal":"${!Ignored}"}',
              { fn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
            ],
          },
        }),
        Fn: resource({}, { DependsOn: 'Logs' }),
        Bus: resource({}),
        Logs: resource({}),
      },
    };
    expect(dependencyOrder(template)).toEqual(['Bus', 'Logs', 'Fn', 'Machine']);
  });

  it('treats a Ref to a parameter or a pseudo parameter as no dependency', () => {
    const template: TemplateLike = {
      Parameters: { Stage: { Type: 'String', Default: 'local' } },
      Resources: {
        Bus: resource({ Name: { 'Fn::Join': ['-', [{ Ref: 'Stage' }, { Ref: 'AWS::StackName' }]] } }),
      },
    };
    expect(dependencyOrder(template)).toEqual(['Bus']);
  });

  it('counts both branches of Fn::If, as CloudFormation does', () => {
    const template: TemplateLike = {
      Conditions: { IsProd: { 'Fn::Equals': ['a', 'b'] } },
      Resources: {
        User: resource({ X: { 'Fn::If': ['IsProd', { Ref: 'A' }, { Ref: 'B' }] } }),
        A: resource({}),
        B: resource({}),
      },
    };
    expect(dependencyOrder(template)).toEqual(['A', 'B', 'User']);
  });

  it('names the resource, the property path and the unknown name, with a suggestion', () => {
    const template: TemplateLike = {
      Resources: {
        VirusTable: resource({ KeySchema: [{ Ref: 'VirusTabel' }] }),
      },
    };
    expect(errorOf(() => dependencyOrder(template)).message).toBe(
      'Resource VirusTable, Properties.KeySchema[0]: Ref to unknown resource "VirusTabel". Did you mean "VirusTable"?',
    );
  });

  it('reports unknown names in Fn::GetAtt, Fn::Sub, DependsOn, Condition and Fn::If', () => {
    const one = (r: Record<string, unknown>, extra: Partial<TemplateLike> = {}) =>
      errorOf(() =>
        dependencyOrder({ Resources: { Table: resource({}), ...r } as TemplateLike['Resources'], ...extra }),
      ).message;
    expect(one({ Role: resource({ Resource: { 'Fn::GetAtt': ['Tabel', 'Arn'] } }) })).toBe(
      'Resource Role, Properties.Resource: Fn::GetAtt on unknown resource "Tabel". Did you mean "Table"?',
    );
    expect(one({ Role: resource({ Resource: { 'Fn::Sub': 'x:${Tables.Arn}' } }) })).toBe(
      'Resource Role, Properties.Resource: Fn::Sub (${Tables.Arn}) refers to unknown resource "Tables". Did you mean "Table"?',
    );
    expect(one({ Role: resource({ Resource: { 'Fn::Sub': '${AWS::Regoin}' } }) })).toBe(
      'Resource Role, Properties.Resource: Fn::Sub (${AWS::Regoin}) refers to unknown pseudo parameter "AWS::Regoin". Did you mean "AWS::Region"?',
    );
    expect(one({ Fn: resource({}, { DependsOn: ['Table', 'Rolee'] }), Role: resource({}) })).toBe(
      'Resource Fn, DependsOn[1]: DependsOn names unknown resource "Rolee". Did you mean "Role"?',
    );
    expect(one({ Fn: resource({}, { Condition: 'IsProd' }) })).toBe(
      'Resource Fn, Condition: unknown condition "IsProd".',
    );
    expect(
      one({ Fn: resource({ X: { 'Fn::If': ['IsPord', 1, 2] } }) }, { Conditions: { IsProd: true } }),
    ).toBe('Resource Fn, Properties.X: Fn::If names unknown condition "IsPord". Did you mean "IsProd"?');
  });

  it('names the resources of a cycle', () => {
    const template: TemplateLike = {
      Resources: {
        Function: resource({ Role: { 'Fn::GetAtt': ['Role', 'Arn'] } }),
        Role: resource({ Resource: { 'Fn::Sub': '${Machine}' } }),
        Machine: resource({ Definition: { 'Fn::GetAtt': ['Function', 'Arn'] } }),
      },
    };
    expect(errorOf(() => dependencyOrder(template)).message).toMatch(
      /^Circular dependency between resources: Function → Role → Machine → Function\. /,
    );
    expect(
      errorOf(() => dependencyOrder({ Resources: { Self: resource({ Me: { Ref: 'Self' } }) } })).message,
    ).toMatch(/^Circular dependency between resources: Self → Self\. /);
  });

  it('orders and resolves the template osls packages for the mini service', async () => {
    const template = (await packageService(MINI)).template as TemplateLike;
    const order = dependencyOrder(template);
    expect(order.sort()).toEqual(Object.keys(template.Resources).sort());
    const position = (id: string) => dependencyOrder(template).indexOf(id);
    expect(position('IamRoleLambdaExecution')).toBeLessThan(position('CreateVirusLambdaFunction'));
    expect(position('VirusTable')).toBeLessThan(position('IamRoleLambdaExecution'));

    // Deploy it on paper: every resource's Ref is its logical id, every attribute a fake ARN.
    const ctx = {
      stackName: 'mini-local',
      region: 'eu-west-1',
      accountId: '123456789012',
      conditions: {},
      ref: (id: string) => id,
      getAtt: (id: string, attribute: string) => `arn:aws:test:eu-west-1:123456789012:${id}/${attribute}`,
    };
    for (const id of dependencyOrder(template)) {
      const properties = JSON.stringify(
        resolveValue(template.Resources[id].Properties ?? {}, ctx, `${id}.Properties`),
      );
      expect(properties).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
    }
  });
});
