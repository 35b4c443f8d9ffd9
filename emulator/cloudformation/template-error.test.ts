import { describe, expect, it } from 'vitest';
import { parseSub } from './sub.ts';
import { describeLocation, didYouMean, TemplateError } from './template-error.ts';

describe('TemplateError', () => {
  it('says which resource and which property path', () => {
    const err = new TemplateError(
      'VirusTable.Properties.KeySchema[0]',
      'Ref to unknown resource "VirusTabel".',
    );
    expect(err.message).toBe(
      'Resource VirusTable, Properties.KeySchema[0]: Ref to unknown resource "VirusTabel".',
    );
    expect(err.name).toBe('TemplateError');
  });

  it('names outputs, conditions and parameters as such, and accepts a Resources. prefix', () => {
    expect(describeLocation('Outputs.ServiceEndpoint')).toBe('Output ServiceEndpoint: ');
    expect(describeLocation('Outputs.ServiceEndpoint.Fn::Join[1][0]')).toBe(
      'Output ServiceEndpoint, Fn::Join[1][0]: ',
    );
    expect(describeLocation('Conditions.IsProd.Fn::Equals[0]')).toBe('Condition IsProd, Fn::Equals[0]: ');
    expect(describeLocation('Resources.Bus.Properties.Name')).toBe('Resource Bus, Properties.Name: ');
    expect(describeLocation('Bus')).toBe('Resource Bus: ');
    expect(describeLocation('')).toBe('');
  });
});

describe('didYouMean', () => {
  it('suggests a close name, ignoring case, and stays quiet for unrelated ones', () => {
    expect(didYouMean('VirusTabel', ['IamRoleLambdaExecution', 'VirusTable'])).toBe(
      ' Did you mean "VirusTable"?',
    );
    expect(didYouMean('virustable', ['VirusTable'])).toBe(' Did you mean "VirusTable"?');
    expect(didYouMean('Bus', ['VirusTable', 'Queue'])).toBe('');
    expect(didYouMean('Anything', [])).toBe('');
  });
});

describe('parseSub', () => {
  it('cuts a Fn::Sub string into text and variables, unescaping ${!...}', () => {
    expect(parseSub('arn:${AWS::Partition}:table/${Table}${!Not}-${ Spaced }', 'X')).toEqual([
      { text: 'arn:' },
      { variable: 'AWS::Partition' },
      { text: ':table/' },
      { variable: 'Table' },
      { text: '${Not}-' },
      { variable: 'Spaced' },
    ]);
    expect(parseSub('no variables, $ and { alone', 'X')).toEqual([{ text: 'no variables, $ and { alone' }]);
  });

  it('refuses an empty or unclosed variable', () => {
    expect(() => parseSub('a ${} b', 'Fn.Properties.X')).toThrow(
      'Resource Fn, Properties.X: Fn::Sub has an empty "${}" in "a ${} b".',
    );
    expect(() => parseSub('a ${Table b', 'Fn.Properties.X')).toThrow(TemplateError);
  });
});
