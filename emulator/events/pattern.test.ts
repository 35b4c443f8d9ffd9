import { describe, expect, it } from 'vitest';
import { matchesPattern, parseEventPattern } from './pattern.ts';

/** The EC2 event the EventBridge docs use throughout their content-filtering examples. */
const ec2 = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

function withDetail(detail: object): object {
  return { ...ec2, detail };
}

function matches(pattern: string | object, event: object = ec2): boolean {
  return matchesPattern(parseEventPattern(pattern), event);
}

describe('exact values', () => {
  it('matches the envelope fields and the detail, all fields required (AND)', () => {
    expect(
      matches({
        source: ['aws.ec2'],
        'detail-type': ['EC2 Instance State-change Notification'],
        detail: { state: ['running'] },
      }),
    ).toBe(true);
    expect(matches({ source: ['aws.ec2'], detail: { state: ['stopped'] } })).toBe(false);
    expect(matches({ account: ['012345679012'], region: ['us-east-1'] })).toBe(true);
    expect(matches({ region: ['eu-west-1'] })).toBe(false);
  });

  it('matches any of the values listed (OR)', () => {
    expect(matches({ detail: { state: ['initializing', 'running'] } })).toBe(true);
    expect(matches({ detail: { state: ['initializing', 'stopped'] } })).toBe(false);
  });

  it('matches an array in the event when any element is listed (resources)', () => {
    expect(
      matches({
        resources: [
          'arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000',
          'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        ],
      }),
    ).toBe(true);
    expect(matches({ resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] })).toBe(false);
    expect(matches({ detail: { tags: ['blue'] } }, withDetail({ tags: ['red', 'blue'] }))).toBe(true);
  });

  it('is case-sensitive in field names and values', () => {
    expect(matches({ SOURCE: ['aws.ec2'] })).toBe(false);
    expect(matches({ source: ['AWS.EC2'] })).toBe(false);
  });

  it('compares numbers as numbers, and never a number with a string', () => {
    expect(matches({ detail: { 'x-limit': [301.8] } })).toBe(true);
    expect(matches({ detail: { 'x-limit': [3.018e2] } })).toBe(true);
    expect(matches({ number: [300] }, { ...ec2, number: 300.0 })).toBe(true);
    expect(matches({ detail: { 'c-count': ['5'] } })).toBe(false);
    expect(matches({ detail: { code: [5] } }, withDetail({ code: '5' }))).toBe(false);
  });

  it('matches booleans, null and empty strings by their JSON type', () => {
    const event = withDetail({ eventVersion: '', responseElements: null, enabled: false });
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [null] } }, withDetail({ responseElements: 'null' }))).toBe(
      false,
    );
    expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matches({ detail: { enabled: [false] } }, event)).toBe(true);
    expect(matches({ detail: { enabled: ['false'] } }, event)).toBe(false);
    expect(matches({ detail: { enabled: [true] } }, event)).toBe(false);
  });

  it('never matches an empty array in the event, not even with [null]', () => {
    expect(matches({ resources: [null] }, { ...ec2, resources: [] })).toBe(false);
  });

  it('does not look inside a string that happens to hold JSON', () => {
    expect(
      matches({ detail: { 'my-key': ['my-value'] } }, { ...ec2, detail: '{"my-key": "my-value"}' }),
    ).toBe(false);
  });

  it('keeps the last array when a field is named twice', () => {
    const pattern =
      '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}';
    expect(matches(pattern, withDetail({ location: 'eu-central-1' }))).toBe(true);
  });

  it('keeps unicode intact', () => {
    const text = 'A CamelCase string with an emoji 🚀 and trailing whitespace ';
    expect(matches({ string: [text] }, { ...ec2, string: text })).toBe(true);
  });
});

describe('nested fields', () => {
  const dynamodb = { ...ec2, dynamodb: { NewImage: { homemade: { S: 'ABCD', N: '1234' } } } };

  it('follows the event structure at any depth', () => {
    expect(matches({ dynamodb: { NewImage: { homemade: { N: ['1234'] } } } }, dynamodb)).toBe(true);
    expect(matches({ dynamodb: { NewImage: { homemade: { N: ['9999'] } } } }, dynamodb)).toBe(false);
  });

  it('treats a dotted name like the nesting it spells, both ways', () => {
    const nested = withDetail({ state: { status: 'running' } });
    const dotted = withDetail({ 'state.status': 'running' });
    expect(matches({ detail: { 'state.status': ['running'] } }, nested)).toBe(true);
    expect(matches({ detail: { state: { status: ['running'] } } }, dotted)).toBe(true);
    expect(matches({ detail: { 'state.status': { status: ['running'] } } }, nested)).toBe(false);
  });

  it('reaches into arrays of objects', () => {
    const event = withDetail({
      automations: [{ key1: 'value1' }, { id: 'match-does-exist' }, { key2: 'value2' }],
    });
    expect(matches({ detail: { automations: { id: [{ exists: true }] } } }, event)).toBe(true);
    expect(matches({ detail: { automations: { id: ['match-does-exist'] } } }, event)).toBe(true);
  });

  it('requires fields under one array to come from the same element', () => {
    const event = withDetail({
      items: [
        { colour: 'red', size: 1 },
        { colour: 'blue', size: 2 },
      ],
    });
    expect(matches({ detail: { items: { colour: ['red'], size: [1] } } }, event)).toBe(true);
    expect(matches({ detail: { items: { colour: ['red'], size: [2] } } }, event)).toBe(false);
  });
});

describe('prefix and suffix', () => {
  it('matches the start of a string value', () => {
    expect(matches({ time: [{ prefix: '2017-10-02' }] })).toBe(true);
    expect(matches({ time: [{ prefix: '2017-10-03' }] })).toBe(false);
    expect(matches({ region: [{ prefix: 'us-' }] })).toBe(true);
  });

  it('matches the start regardless of case with equals-ignore-case', () => {
    const event = withDetail({ service: 'EvEnTb' });
    expect(matches({ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, event)).toBe(
      true,
    );
    expect(matches({ detail: { service: [{ prefix: 'EventB' }] } }, event)).toBe(false);
  });

  it('matches the end of a string value, with or without case', () => {
    const event = withDetail({ FileName: 'image.PNG' });
    expect(matches({ detail: { FileName: [{ suffix: '.PNG' }] } }, event)).toBe(true);
    expect(matches({ detail: { FileName: [{ suffix: '.png' }] } }, event)).toBe(false);
    expect(matches({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, event)).toBe(
      true,
    );
    expect(matches({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.jpg' } }] } }, event)).toBe(
      false,
    );
  });

  it('only ever matches strings; an empty prefix or suffix matches every string', () => {
    expect(matches({ detail: { 'c-count': [{ prefix: '5' }] } })).toBe(false);
    expect(matches({ source: [{ prefix: '' }] })).toBe(true);
    expect(matches({ source: [{ suffix: '' }] })).toBe(true);
    expect(matches({ detail: { 'c-count': [{ prefix: '' }] } })).toBe(false);
  });
});

describe('equals-ignore-case', () => {
  it('matches a string in any casing', () => {
    expect(
      matches({ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }),
    ).toBe(true);
    expect(matches({ 'detail-type': [{ 'equals-ignore-case': 'I do not match' }] })).toBe(false);
    expect(matches({ detail: { value: [{ 'equals-ignore-case': '' }] } }, withDetail({ value: '' }))).toBe(
      true,
    );
    expect(matches({ detail: { value: [{ 'equals-ignore-case': '' }] } }, withDetail({ value: 'x' }))).toBe(
      false,
    );
  });
});

describe('wildcard', () => {
  const arn = { ...ec2, EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' };

  it('lets * stand for any run of characters', () => {
    expect(matches({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, arn)).toBe(
      true,
    );
    expect(matches({ EventBusArn: [{ wildcard: 'arn:aws:events:eu-west-1:*:event-bus/*' }] }, arn)).toBe(
      false,
    );
    expect(
      matches(
        { FileName: [{ wildcard: '/Users/*/doc.txt' }] },
        { ...ec2, FileName: '/Users/ls_user/dir/dir/doc.txt' },
      ),
    ).toBe(true);
    expect(
      matches(
        { FileName: [{ wildcard: '/Users/*/doc.txt' }] },
        { ...ec2, FileName: '/Users/ls_user/notmatchingdoc.txt' },
      ),
    ).toBe(false);
    expect(matches({ EventBusArn: [{ wildcard: '' }] }, arn)).toBe(false);
  });

  it('reads \\* as a star and \\\\ as a backslash', () => {
    expect(matches({ name: [{ wildcard: 'a\\*b' }] }, { ...ec2, name: 'a*b' })).toBe(true);
    expect(matches({ name: [{ wildcard: 'a\\*b' }] }, { ...ec2, name: 'axb' })).toBe(false);
    expect(matches({ name: [{ wildcard: 'a\\\\b*' }] }, { ...ec2, name: 'a\\bcd' })).toBe(true);
  });
});

describe('anything-but', () => {
  it('matches any value but the one given, string or number', () => {
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } })).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': 'running' }] } })).toBe(false);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } })).toBe(true);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 301.8 }] } })).toBe(false);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 0 }] } })).toBe(true);
  });

  it('matches any value but those listed', () => {
    expect(matches({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } })).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } })).toBe(false);
    expect(
      matches(
        { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
        withDetail({ 'x-limit': 999 }),
      ),
    ).toBe(true);
    expect(
      matches(
        { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
        withDetail({ 'x-limit': 300.0 }),
      ),
    ).toBe(false);
  });

  it('excludes by prefix, suffix, case-insensitive value or wildcard', () => {
    expect(
      matches(
        { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
        withDetail({ state: 'post-init' }),
      ),
    ).toBe(true);
    expect(
      matches(
        { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
        withDetail({ state: 'init-prefix' }),
      ),
    ).toBe(false);
    expect(
      matches(
        { detail: { state: [{ 'anything-but': { prefix: ['init', 'post'] } }] } },
        withDetail({ state: 'post-init' }),
      ),
    ).toBe(false);
    expect(
      matches(
        { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
        withDetail({ FileName: 'file.txt.bak' }),
      ),
    ).toBe(true);
    expect(
      matches(
        { detail: { FileName: [{ 'anything-but': { suffix: ['.txt', '.jpg'] } }] } },
        withDetail({ FileName: 'file.jpg' }),
      ),
    ).toBe(false);
    expect(
      matches(
        { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
        withDetail({ state: 'INITIALIZING' }),
      ),
    ).toBe(false);
    expect(
      matches(
        { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } },
        withDetail({ state: 'pending' }),
      ),
    ).toBe(true);
    expect(
      matches(
        { detail: { FilePath: [{ 'anything-but': { wildcard: '*/dir/*' } }] } },
        withDetail({ FilePath: 'dir/init/file' }),
      ),
    ).toBe(true);
    expect(
      matches(
        { detail: { FilePath: [{ 'anything-but': { wildcard: '*/init/*' } }] } },
        withDetail({ FilePath: 'dir/init/file' }),
      ),
    ).toBe(false);
  });

  it('matches null and values of another type, but never a missing field', () => {
    expect(
      matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({ state: null })),
    ).toBe(true);
    expect(
      matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 12 })),
    ).toBe(true);
    expect(
      matches(
        { detail: { state: [{ 'anything-but': { wildcard: '*/dir/*' } }] } },
        withDetail({ state: 123 }),
      ),
    ).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({}))).toBe(false);
    expect(matches({ detail: { state: [{ 'anything-but': { suffix: '.txt' } }] } }, withDetail({}))).toBe(
      false,
    );
  });

  it('matches an array in the event when any element is not excluded', () => {
    expect(
      matches({ detail: { price: [{ 'anything-but': [100, 500] }] } }, withDetail({ price: [100, 50] })),
    ).toBe(true);
    expect(
      matches({ detail: { price: [{ 'anything-but': [100, 500] }] } }, withDetail({ price: [100, 500] })),
    ).toBe(false);
  });
});

describe('numeric', () => {
  it('matches the docs example of ranges and equality', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matches(pattern)).toBe(true);
    expect(matches(pattern, withDetail({ ...ec2.detail, 'c-count': 42 }))).toBe(false);
  });

  it('respects open and closed bounds', () => {
    const at = (value: number, range: unknown[]): boolean =>
      matches({ detail: { n: [{ numeric: range }] } }, withDetail({ n: value }));
    expect(at(0, ['>', 0])).toBe(false);
    expect(at(0, ['>=', 0])).toBe(true);
    expect(at(10, ['<', 10])).toBe(false);
    expect(at(10, ['<=', 10])).toBe(true);
    expect(at(5, ['>=', 5, '<', 6])).toBe(true);
    expect(at(6, ['>=', 5, '<', 6])).toBe(false);
    expect(at(-1.5, ['>', -2, '<=', -1])).toBe(true);
    expect(at(101.0, ['>', 100])).toBe(true);
  });

  it('only ever matches JSON numbers', () => {
    expect(matches({ number: [{ numeric: ['>', 100] }] }, { ...ec2, number: '300' })).toBe(false);
    expect(matches({ number: [{ numeric: ['>', 100] }] }, { ...ec2, number: null })).toBe(false);
  });

  it('can be offered next to other filters for the same field', () => {
    const pattern = {
      dynamodb: { NewImage: { numericFilter: { N: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] } } },
    };
    expect(matches(pattern, { ...ec2, dynamodb: { NewImage: { numericFilter: { N: '42' } } } })).toBe(true);
    expect(matches(pattern, { ...ec2, dynamodb: { NewImage: { numericFilter: { N: '101' } } } })).toBe(false);
  });
});

describe('cidr and IP addresses', () => {
  it('matches IPv4 addresses inside a block', () => {
    expect(matches({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } })).toBe(true);
    expect(matches({ detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } })).toBe(false);
    expect(matches({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, withDetail({ ip: '10.0.0.255' }))).toBe(
      true,
    );
    expect(matches({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, withDetail({ ip: '10.0.0.256' }))).toBe(
      false,
    );
    expect(matches({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, withDetail({ ip: 123 }))).toBe(false);
  });

  it('matches IPv6 addresses inside a block, whatever their spelling', () => {
    const pattern = { detail: { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] } };
    expect(matches(pattern, withDetail({ ip: '2001:0db8:1234:1a00:0000:0000:0000:0000' }))).toBe(true);
    expect(matches(pattern, withDetail({ ip: '2001:db8:1234:1a00::9' }))).toBe(true);
    expect(matches(pattern, withDetail({ ip: '2001:0db8:123f:1a01:0000:0000:0000:0000' }))).toBe(false);
    expect(matches(pattern, withDetail({ ip: '10.0.0.1' }))).toBe(false);
  });

  it('compares a plain string that is an address as an address', () => {
    expect(
      matches(
        { detail: { ip: ['2001:db8::1'] } },
        withDetail({ ip: '2001:0db8:0000:0000:0000:0000:0000:0001' }),
      ),
    ).toBe(true);
  });
});

describe('exists', () => {
  it('matches on the presence or absence of a leaf', () => {
    expect(matches({ detail: { state: [{ exists: true }] } })).toBe(true);
    expect(matches({ detail: { missing: [{ exists: true }] } })).toBe(false);
    expect(matches({ detail: { missing: [{ exists: false }] } })).toBe(true);
    expect(matches({ detail: { state: [{ exists: false }] } })).toBe(false);
  });

  it('counts null as present, and an object or empty array as absent (only leaves exist)', () => {
    expect(matches({ detail: { state: [{ exists: true }] } }, withDetail({ state: null }))).toBe(true);
    expect(
      matches({ detail: { 'c-count': [{ exists: true }] } }, withDetail({ 'c-count': { c1: 100 } })),
    ).toBe(false);
    expect(
      matches({ detail: { 'c-count': [{ exists: false }] } }, withDetail({ 'c-count': { c1: 100 } })),
    ).toBe(true);
    expect(matches({ resources: [{ exists: true }] }, { ...ec2, resources: [] })).toBe(false);
    expect(
      matches(
        { detail: { level1: { 'level2:': { level3: [{ exists: false }] } } } },
        withDetail({ level1: { level2: 'x' } }),
      ),
    ).toBe(true);
  });

  it('combines with other filters of the same field', () => {
    const pattern = {
      dynamodb: { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } },
    };
    expect(matches(pattern, { ...ec2, dynamodb: { NewImage: { homemade: { N: '789' } } } })).toBe(true);
    expect(matches(pattern, { ...ec2, dynamodb: { NewImage: { homemade: { S: 'tulips' } } } })).toBe(true);
    expect(matches(pattern, { ...ec2, dynamodb: { NewImage: { homemade: { S: 'roses' } } } })).toBe(false);
  });
});

describe('$or', () => {
  it('matches when any branch matches', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    expect(matches(pattern, withDetail({ 'c-count': 0, 'd-count': 0, 'x-limit': 9.018e2 }))).toBe(true);
    expect(matches(pattern, withDetail({ 'c-count': 0, 'd-count': 10, 'x-limit': 9.018e2 }))).toBe(false);
  });

  it('ands its result with the fields around it, and nests', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    };
    const cloudwatch = { ...ec2, source: 'aws.cloudwatch' };
    expect(matches(pattern, { ...cloudwatch, metricName: 'ReadLatency' })).toBe(true);
    expect(
      matches(pattern, { ...cloudwatch, metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 }),
    ).toBe(true);
    expect(
      matches(pattern, { ...cloudwatch, metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1001 }),
    ).toBe(false);
    expect(matches(pattern, { ...ec2, scope: 'Service' })).toBe(false);
  });
});

describe('the complex example of the docs', () => {
  it('combines prefix, anything-but, numeric ranges and cidr', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    };
    expect(matches(pattern)).toBe(true);
    expect(matches(pattern, withDetail({ ...ec2.detail, 'x-limit': 300 }))).toBe(false);
  });
});

describe('parseEventPattern', () => {
  it('keeps the text it was given, or the compact JSON of an object', () => {
    expect(parseEventPattern('{ "source": ["a"] }').text).toBe('{ "source": ["a"] }');
    expect(parseEventPattern({ source: ['a'] }).text).toBe('{"source":["a"]}');
  });
});
