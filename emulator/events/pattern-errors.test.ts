import { describe, expect, it } from 'vitest';
import { AwsError } from '../core/errors.ts';
import { parseEventPattern } from './pattern.ts';

/** The message parseEventPattern fails with (it always fails with InvalidEventPatternException, 400). */
function refusal(pattern: string | object): string {
  try {
    parseEventPattern(pattern);
  } catch (error) {
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('InvalidEventPatternException');
    expect((error as AwsError).status).toBe(400);
    return (error as AwsError).message;
  }
  throw new Error(`accepted: ${typeof pattern === 'string' ? pattern : JSON.stringify(pattern)}`);
}

/** AWS's message: the reason, then Jackson's location in the pattern text. */
function at(pattern: string, column: number, reason: string): string {
  return `Event pattern is not valid. Reason: ${reason}\n at [Source: (String)"${pattern}"; line: 1, column: ${column}]`;
}

function twiceAt(pattern: string, column: number, reason: string): string {
  return `${at(pattern, column, reason)}\n at [Source: (String)"${pattern}"; line: 1, column: ${column}]`;
}

function plain(reason: string): string {
  return `Event pattern is not valid. Reason: ${reason}`;
}

// The messages and columns below are those AWS gives for these very patterns.
describe('structure', () => {
  it('wants leaves to be arrays', () => {
    expect(refusal('{"int": 42}')).toBe(at('{"int": 42}', 11, '"int" must be an object or an array'));
    expect(refusal('{"string": "my-value"}')).toBe(
      at('{"string": "my-value"}', 13, '"string" must be an object or an array'),
    );
  });

  it('refuses empty arrays and empty objects', () => {
    expect(refusal('{"resources": []}')).toBe(at('{"resources": []}', 17, 'Empty arrays are not allowed'));
    expect(refusal('{"detail": {}}')).toBe(at('{"detail": {}}', 14, 'Empty objects are not allowed'));
    expect(refusal('{}')).toBe(at('{}', 3, 'Empty objects are not allowed'));
  });

  it('wants the pattern to be a JSON object', () => {
    const array = '["not", "a", "dict", "but valid json"]';
    expect(refusal(array)).toBe(at(array, 2, 'Filter is not an object'));
    expect(refusal('')).toBe(at('', 1, 'Filter is not an object'));
  });

  it('reports malformed JSON in Jackson words', () => {
    expect(refusal('this is valid json but not a dict')).toBe(
      at(
        'this is valid json but not a dict',
        5,
        "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      ),
    );
    expect(refusal("{'bad': 'quotation'}")).toBe(
      at(
        "{'bad': 'quotation'}",
        2,
        "Unexpected character (''' (code 39)): was expecting double-quote to start field name",
      ),
    );
    expect(refusal('{"not": closed mark"')).toBe(
      at(
        '{"not": closed mark"',
        15,
        "Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      ),
    );
  });

  it('refuses values that are neither scalars nor match expressions', () => {
    expect(refusal('{"a": [["x"]]}')).toBe(
      at('{"a": [["x"]]}', 9, 'Match value must be String, number, true, false, or null'),
    );
    expect(refusal('{"a": [{}]}')).toBe(at('{"a": [{}]}', 10, 'Match expression name not found'));
  });

  it('locates errors on later lines', () => {
    const pattern = '{\n  "source": "aws.ec2"\n}';
    expect(refusal(pattern)).toBe(
      `Event pattern is not valid. Reason: "source" must be an object or an array\n at [Source: (String)"${pattern}"; line: 2, column: 14]`,
    );
  });

  it('reads a pattern object as its compact JSON', () => {
    expect(refusal({ source: 'aws.ec2' })).toBe(
      at('{"source":"aws.ec2"}', 12, '"source" must be an object or an array'),
    );
  });
});

describe('operators', () => {
  it('knows only its operators, case-sensitively', () => {
    expect(refusal('{"my_key": [{"EXISTS": true}]}')).toBe(
      at('{"my_key": [{"EXISTS": true}]}', 28, 'Unrecognized match type EXISTS'),
    );
    const pattern = '{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}';
    expect(refusal(pattern)).toBe(at(pattern, 36, 'Unrecognized match type NUMERIC'));
  });

  it('takes one operator per object', () => {
    const pattern = '{"a": [{"prefix": "x", "suffix": "y"}]}';
    expect(refusal(pattern)).toBe(at(pattern, 35, 'Only one key allowed in match expression'));
  });

  it('wants strings for prefix, suffix, equals-ignore-case and wildcard', () => {
    expect(refusal('{"time": [{"prefix": 123}]}')).toBe(
      at('{"time": [{"prefix": 123}]}', 25, 'prefix match pattern must be a string'),
    );
    expect(refusal('{"time": [{"prefix": ["2022-07-13"]}]}')).toBe(
      at('{"time": [{"prefix": ["2022-07-13"]}]}', 23, 'prefix match pattern must be a string'),
    );
    expect(refusal('{"FileName": [{"suffix": [".png"]}]}')).toBe(
      at('{"FileName": [{"suffix": [".png"]}]}', 27, 'suffix match pattern must be a string'),
    );
    const ignoreCase = '{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}';
    expect(refusal(ignoreCase)).toBe(at(ignoreCase, 42, 'equals-ignore-case match pattern must be a string'));
    expect(refusal('{"EventBusArn": [{"wildcard": 123}]}')).toBe(
      at('{"EventBusArn": [{"wildcard": 123}]}', 34, 'wildcard match pattern must be a string'),
    );
  });

  it('accepts only equals-ignore-case inside prefix and suffix', () => {
    const pattern = '{"a": [{"prefix": {"suffix": "x"}}]}';
    expect(refusal(pattern)).toBe(at(pattern, 31, 'Unsupported prefix pattern: suffix'));
  });

  it('refuses two wildcards in a row and stray backslashes', () => {
    const stars = '{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}';
    expect(refusal(stars)).toBe(at(stars, 72, 'Consecutive wildcard characters at pos 26'));
    const escape = '{"a": [{"wildcard": "a\\\\b"}]}';
    expect(refusal(escape)).toBe(at(escape, 27, 'Invalid escape character at pos 2'));
  });

  it('wants exists to be true or false', () => {
    expect(refusal('{"a": [{"exists": "yes"}]}')).toBe(
      at('{"a": [{"exists": "yes"}]}', 20, 'exists match pattern must be either true or false.'),
    );
  });
});

describe('numeric', () => {
  it('wants an array of operators and numbers', () => {
    const notArray = '{"detail": {"c-count": [{"numeric": 10}]}}';
    expect(refusal(notArray)).toBe(at(notArray, 39, 'Value of numeric must be an array.'));
    const empty = '{"a": [{"numeric": []}]}';
    expect(refusal(empty)).toBe(at(empty, 22, 'Invalid member in numeric match: ]'));
    const unknown = '{"a": [{"numeric": ["!=", 1]}]}';
    expect(refusal(unknown)).toBe(at(unknown, 28, 'Unrecognized numeric range operator: !='));
  });

  it('wants a number after each operator', () => {
    const missing = '{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}';
    expect(refusal(missing)).toBe(at(missing, 50, 'Value of < must be numeric'));
    const text = '{"a": [{"numeric": ["=", "5"]}]}';
    expect(refusal(text)).toBe(at(text, 27, 'Value of equals must be numeric'));
  });

  it('closes a range only with < or <=, after > or >=', () => {
    const twice = '{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}';
    expect(refusal(twice)).toBe(at(twice, 49, 'Bad numeric range operator: >'));
    const after = '{"a": [{"numeric": ["<", 5, ">", 0]}]}';
    expect(refusal(after)).toBe(at(after, 30, 'Too many elements in numeric expression'));
    const long = '{"a": [{"numeric": [">", 0, "<", 5, "<", 9]}]}';
    expect(refusal(long)).toBe(at(long, 38, 'Too many terms in numeric range expression'));
  });

  it('wants the bottom of a range below its top', () => {
    const equal = '{"a": [{"numeric": [">=", 5, "<=", 5]}]}';
    expect(refusal(equal)).toBe(at(equal, 38, 'Bottom must be less than top'));
  });

  it('refuses numbers a double cannot hold exactly', () => {
    const huge = '{"a": [{"numeric": [">", 1e400]}]}';
    expect(refusal(huge)).toBe(at(huge, 32, 'Cannot compare number : 1e400'));
  });
});

describe('anything-but', () => {
  it('wants a string, a number or a list of them', () => {
    const nothing = '{"detail": {"state": [{"anything-but": null}]}}';
    expect(refusal(nothing)).toBe(
      at(nothing, 44, 'Value of anything-but must be an array or single string/number value.'),
    );
    const nested = '{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}';
    expect(refusal(nested)).toBe(
      at(nested, 55, 'Value of anything-but must be an array or single string/number value.'),
    );
  });

  it('refuses null and booleans in its list, repeating the location as AWS does', () => {
    const pattern = '{"detail": {"state": [{"anything-but": ["stopped", null]}]}}';
    expect(refusal(pattern)).toBe(
      twiceAt(pattern, 56, 'Inside anything but list, start|null|boolean is not supported.'),
    );
  });

  it('refuses lists mixing strings and numbers, and empty lists', () => {
    const mixed = '{"a": [{"anything-but": ["x", 1]}]}';
    expect(refusal(mixed)).toBe(
      at(
        mixed,
        33,
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      ),
    );
    const empty = '{"a": [{"anything-but": []}]}';
    expect(refusal(empty)).toBe(
      at(
        empty,
        27,
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      ),
    );
  });

  it('knows only prefix, suffix, equals-ignore-case and wildcard as refinements', () => {
    const pattern = '{"a": [{"anything-but": {"numeric": [">", 1]}}]}';
    expect(refusal(pattern)).toBe(at(pattern, 38, 'Unsupported anything-but pattern: numeric'));
  });

  it('wants strings in its refinements, and no empty prefix or suffix', () => {
    const prefix = '{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}';
    expect(refusal(prefix)).toBe(at(prefix, 54, 'prefix/suffix match pattern must be a string'));
    const list = '{"detail": {"FileName": [{"anything-but": {"suffix": [null, ".txt"]}}]}}';
    expect(refusal(list)).toBe(twiceAt(list, 59, 'prefix/suffix match pattern must be a string'));
    const ignoreCase = '{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}';
    expect(refusal(ignoreCase)).toBe(
      at(
        ignoreCase,
        66,
        'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
      ),
    );
    const wildcard = '{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}';
    expect(refusal(wildcard)).toBe(at(wildcard, 59, 'wildcard match pattern must be a string'));
    const empty = '{"detail": {"FileName": [{"anything-but": {"prefix": ""}}]}}';
    expect(refusal(empty)).toBe(at(empty, 56, 'Null prefix/suffix not allowed'));
  });

  it('reports a number it cannot compare without a location', () => {
    expect(refusal('{"a": [{"anything-but": 1e400}]}')).toBe(plain('Cannot compare number : 1e400'));
  });
});

describe('cidr', () => {
  it('wants a string (and says prefix, as AWS does)', () => {
    const pattern = '{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}';
    expect(refusal(pattern)).toBe(at(pattern, 43, 'prefix match pattern must be a string'));
  });

  it('refuses malformed blocks without a location', () => {
    expect(refusal({ ip: [{ cidr: 'bad-filter' }] })).toBe(plain("Malformed CIDR, one '/' required"));
    expect(refusal({ ip: [{ cidr: 'bad-/64filter' }] })).toBe(
      plain('Malformed CIDR, mask bits must be an integer'),
    );
    expect(refusal({ ip: [{ cidr: '10.0.0.0/-1' }] })).toBe(
      plain('Malformed CIDR, mask bits must not be negative'),
    );
    expect(refusal({ ip: [{ cidr: 'xx.11.xx/8' }] })).toBe(plain('Nonstandard IP address: xx.11.xx'));
    expect(refusal({ ip: [{ cidr: 'xxxx:db8:1234:1a00::/64' }] })).toBe(
      plain('Nonstandard IP address: xxxx:db8:1234:1a00::'),
    );
    expect(refusal({ ip: [{ cidr: '300.0.0.0/8' }] })).toBe(plain('Invalid IP address: 300.0.0.0'));
    expect(refusal({ ip: [{ cidr: '10.0.0.1/32' }] })).toBe(plain('IPv4 mask bits must be < 32'));
    expect(refusal({ ip: [{ cidr: '::1/128' }] })).toBe(plain('IPv6 mask bits must be < 128'));
  });
});

describe('$or', () => {
  it('wants an array of at least two objects', () => {
    expect(refusal('{"$or": {"a": ["1"]}}')).toBe(
      at('{"$or": {"a": ["1"]}}', 10, 'It must be an Array followed with $or.'),
    );
    expect(refusal('{"$or": [{"a": ["1"]}]}')).toBe(
      at('{"$or": [{"a": ["1"]}]}', 23, 'There must have at least 2 Objects in $or relationship.'),
    );
    expect(refusal('{"$or": [{"a": ["1"]}, ["b"]]}')).toBe(
      at('{"$or": [{"a": ["1"]}, ["b"]]}', 25, 'Only JSON object is allowed in array of $or relationship.'),
    );
  });

  it('refuses operator names as fields inside its branches', () => {
    const pattern = '{"$or": [{"a": ["1"]}, {"prefix": ["2"]}]}';
    expect(refusal(pattern)).toBe(
      at(pattern, 36, 'prefix is Ruler reserved fieldName which cannot be used inside $or.'),
    );
  });
});
