/**
 * Step Functions conformance cases: each one taken from AWS's documentation or the States
 * Language specification (its `source`), with the input and the outcome the source states.
 * runner.ts runs them against the local cloud through the real @aws-sdk/client-sfn: an
 * `execution` case with CreateStateMachine + StartExecution + DescribeExecution, a
 * `testState` case with TestState, a `validate` case with ValidateStateMachineDefinition.
 */
export type Expected = {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
  nextState?: string;
};

/** Objects put in the local S3 before the execution starts: buckets made, then `"bucket/key": body`. */
export type S3Setup = { buckets: string[]; objects?: Record<string, string> };

export type ConformanceCase =
  | {
      name: string;
      source: string;
      execution: { definition: object; input: unknown; s3?: S3Setup };
      expect: Expected;
    }
  | {
      name: string;
      source: string;
      testState: {
        definition: object;
        input?: unknown;
        mock?: { result?: unknown; errorOutput?: { error: string; cause: string } };
        variables?: Record<string, unknown>;
      };
      expect: Expected;
    }
  | {
      name: string;
      source: string;
      validate: object;
      expect: { result: 'OK' | 'FAIL'; code?: string; message?: string };
    };

const PATHS = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html';
const RESULT_PATH = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html';
const EXAMPLE = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html';
const INTRINSICS = 'https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html';
const JSONATA = 'https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html';
const VARIABLES = 'https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html';
const SPEC = 'https://states-language.net/spec.html';
const CONTEXT = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html';
const FAIL = 'https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html';
const ERRORS = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html';
const DISTRIBUTED = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html';
const ITEM_READER = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html';
const RESULT_WRITER = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html';

/** A Distributed Map whose children return their item unchanged, items read by `reader`. */
function readerMap(reader: object, extra: object = {}): object {
  return {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemReader: reader,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Same',
          States: { Same: { Type: 'Pass', End: true } },
        },
        ...extra,
        End: true,
      },
    },
  };
}

/** A one-Pass machine computing `parameters` from the input (how the intrinsics page shows them). */
function pass(parameters: object, language: 'JSONPath' | 'JSONata' = 'JSONPath'): object {
  const field = language === 'JSONata' ? { Output: parameters } : { Parameters: parameters };
  return { QueryLanguage: language, StartAt: 'P', States: { P: { Type: 'Pass', ...field, End: true } } };
}

function intrinsic(name: string, call: string, input: unknown, output: unknown): ConformanceCase {
  return {
    name,
    source: INTRINSICS,
    execution: { definition: pass({ 'value.$': call }), input },
    expect: { status: 'SUCCEEDED', output: { value: output } },
  };
}

const DOCS_INPUT = {
  comment: 'This is a test of the input and output of a Task state.',
  details: 'Default example',
  who: 'AWS Step Functions',
};

export const CASES: ConformanceCase[] = [
  // ---- InputPath, Parameters, ResultSelector ----
  {
    name: 'InputPath selects a part of the input',
    source: PATHS,
    execution: {
      definition: { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.dataset2', End: true } } },
      input: {
        comment: 'Example for InputPath.',
        dataset1: { val1: 1, val2: 2, val3: 3 },
        dataset2: { val1: 'a', val2: 'b', val3: 'c' },
      },
    },
    expect: { status: 'SUCCEEDED', output: { val1: 'a', val2: 'b', val3: 'c' } },
  },
  {
    name: 'Parameters mixes static values and paths into the input',
    source: PATHS,
    execution: {
      definition: pass({
        comment: 'Selecting what I care about.',
        MyDetails: {
          'size.$': '$.product.details.size',
          'exists.$': '$.product.availability',
          StaticValue: 'foo',
        },
      }),
      input: {
        comment: 'Example for Parameters.',
        product: {
          details: { color: 'blue', size: 'small', material: 'cotton' },
          availability: 'in stock',
          sku: '2317',
          cost: '$23',
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {
        comment: 'Selecting what I care about.',
        MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' },
      },
    },
  },
  {
    name: 'ResultSelector picks fields of a task result',
    source: PATHS,
    testState: {
      definition: {
        Type: 'Task',
        Resource: 'arn:aws:states:::elasticmapreduce:createCluster.sync',
        ResultSelector: { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType' },
        End: true,
      },
      mock: {
        result: {
          resourceType: 'elasticmapreduce',
          resource: 'createCluster.sync',
          output: {
            SdkHttpMetadata: { HttpStatusCode: 200 },
            SdkResponseMetadata: { RequestId: '1234' },
            ClusterId: 'AKIAIOSFODNN7EXAMPLE',
          },
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce' },
    },
  },
  // ---- ResultPath ----
  {
    name: 'ResultPath adds the result to the input',
    source: RESULT_PATH,
    execution: {
      definition: {
        StartAt: 'P',
        States: {
          P: { Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$.taskresult', End: true },
        },
      },
      input: DOCS_INPUT,
    },
    expect: { status: 'SUCCEEDED', output: { ...DOCS_INPUT, taskresult: 'Hello, AWS Step Functions!' } },
  },
  {
    name: 'ResultPath null discards the result and keeps the input',
    source: RESULT_PATH,
    execution: {
      definition: {
        StartAt: 'P',
        States: { P: { Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: null, End: true } },
      },
      input: DOCS_INPUT,
    },
    expect: { status: 'SUCCEEDED', output: DOCS_INPUT },
  },
  {
    name: 'ResultPath $ replaces the input with the result',
    source: RESULT_PATH,
    execution: {
      definition: {
        StartAt: 'P',
        States: { P: { Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$', End: true } },
      },
      input: DOCS_INPUT,
    },
    expect: { status: 'SUCCEEDED', output: 'Hello, AWS Step Functions!' },
  },
  {
    name: 'ResultPath into a nested node of the input',
    source: RESULT_PATH,
    execution: {
      definition: {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Pass',
            Result: 'Hello, AWS Step Functions!',
            ResultPath: '$.strings.lambdaresult',
            End: true,
          },
        },
      },
      input: {
        comment: 'An input comment.',
        strings: { string1: 'foo', string2: 'bar', string3: 'baz' },
        who: 'AWS Step Functions',
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {
        comment: 'An input comment.',
        strings: {
          string1: 'foo',
          string2: 'bar',
          string3: 'baz',
          lambdaresult: 'Hello, AWS Step Functions!',
        },
        who: 'AWS Step Functions',
      },
    },
  },
  {
    name: 'a Catch with ResultPath adds the error to the input',
    source: RESULT_PATH,
    testState: {
      definition: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'f' },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'NextTask', ResultPath: '$.error' }],
        End: true,
      },
      input: DOCS_INPUT,
      mock: { errorOutput: { error: 'Error', cause: 'Failed!' } },
    },
    expect: {
      status: 'CAUGHT_ERROR',
      output: { ...DOCS_INPUT, error: { Error: 'Error', Cause: 'Failed!' } },
      nextState: 'NextTask',
    },
  },
  {
    name: 'InputPath, ResultPath and OutputPath together',
    source: EXAMPLE,
    testState: {
      definition: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:HelloFunction',
        InputPath: '$.lambda',
        ResultPath: '$.data.lambdaresult',
        OutputPath: '$.data',
        End: true,
      },
      input: {
        comment: 'An input comment.',
        data: { val1: 23, val2: 17 },
        extra: 'foo',
        lambda: { who: 'AWS Step Functions' },
      },
      mock: { result: 'Hello, AWS Step Functions!' },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { val1: 23, val2: 17, lambdaresult: 'Hello, AWS Step Functions!' },
    },
  },
  // ---- intrinsic functions ----
  intrinsic(
    'States.Format fills its placeholders',
    "States.Format('Hello, my name is {}.', $.name)",
    { name: 'Arnav' },
    'Hello, my name is Arnav.',
  ),
  intrinsic(
    'States.StringToJson parses JSON text',
    'States.StringToJson($.someString)',
    { someString: '{"number": 20}' },
    { number: 20 },
  ),
  intrinsic(
    'States.JsonToString writes JSON text',
    'States.JsonToString($.someJson)',
    { someJson: { name: 'Foo', year: 2020 } },
    '{"name":"Foo","year":2020}',
  ),
  intrinsic(
    'States.Array builds an array of its arguments',
    "States.Array('Foo', 2020, $.someJson, null)",
    { someJson: { random: 'abcdefghij' } },
    ['Foo', 2020, { random: 'abcdefghij' }, null],
  ),
  intrinsic(
    'States.ArrayPartition splits into chunks',
    'States.ArrayPartition($.inputArray,4)',
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
  ),
  intrinsic(
    'States.ArrayContains finds a value',
    'States.ArrayContains($.inputArray, $.lookingFor)',
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 },
    true,
  ),
  intrinsic(
    'States.ArrayRange counts from start to end by step',
    'States.ArrayRange(1, 9, 2)',
    {},
    [1, 3, 5, 7, 9],
  ),
  intrinsic(
    'States.ArrayGetItem reads an index',
    'States.ArrayGetItem($.inputArray, $.index)',
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 },
    6,
  ),
  intrinsic(
    'States.ArrayLength counts',
    'States.ArrayLength($.inputArray)',
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    9,
  ),
  intrinsic(
    'States.ArrayUnique removes duplicates',
    'States.ArrayUnique($.inputArray)',
    { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] },
    [1, 2, 3, 4],
  ),
  intrinsic(
    'States.Base64Encode',
    'States.Base64Encode($.input)',
    { input: 'Data to encode' },
    'RGF0YSB0byBlbmNvZGU=',
  ),
  intrinsic(
    'States.Base64Decode',
    'States.Base64Decode($.base64)',
    { base64: 'RGF0YSB0byBlbmNvZGU=' },
    'Data to encode',
  ),
  intrinsic(
    'States.Hash with SHA-1',
    'States.Hash($.Data, $.Algorithm)',
    { Data: 'input data', Algorithm: 'SHA-1' },
    'aaff4a450a104cd177d28d18d74485e8cae074b7',
  ),
  intrinsic(
    'States.JsonMerge merges shallowly',
    'States.JsonMerge($.json1, $.json2, false)',
    { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } },
    { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
  ),
  intrinsic('States.MathAdd adds', 'States.MathAdd($.value1, $.step)', { value1: 111, step: -1 }, 110),
  intrinsic(
    'States.StringSplit on one delimiter',
    'States.StringSplit($.inputString, $.splitter)',
    { inputString: '1,2,3,4,5', splitter: ',' },
    ['1', '2', '3', '4', '5'],
  ),
  intrinsic(
    'States.StringSplit on each of several delimiter characters',
    'States.StringSplit($.inputString, $.splitter)',
    { inputString: 'This.is+a,test=string', splitter: '.+,=' },
    ['This', 'is', 'a', 'test', 'string'],
  ),
  // ---- the States Language specification ----
  {
    name: 'Parameters with a path and a slice',
    source: SPEC,
    execution: {
      definition: pass({ flagged: true, parts: { 'first.$': '$.vals[0]', 'last3.$': '$.vals[-3:]' } }),
      input: { flagged: 7, vals: [0, 10, 20, 30, 40, 50] },
    },
    expect: { status: 'SUCCEEDED', output: { flagged: true, parts: { first: 0, last3: [30, 40, 50] } } },
  },
  {
    name: 'a Choice takes the first rule that matches, with And and Not',
    source: SPEC,
    execution: {
      definition: {
        StartAt: 'C',
        States: {
          C: {
            Type: 'Choice',
            Choices: [
              { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
              {
                And: [
                  { Variable: '$.value', NumericGreaterThanEquals: 20 },
                  { Variable: '$.value', NumericLessThan: 30 },
                ],
                Next: 'ValueInTwenties',
              },
            ],
            Default: 'DefaultState',
          },
          Public: { Type: 'Pass', Result: 'Public', End: true },
          ValueInTwenties: { Type: 'Pass', Result: 'ValueInTwenties', End: true },
          DefaultState: { Type: 'Pass', Result: 'Default', End: true },
        },
      },
      input: { type: 'Private', value: 22 },
    },
    expect: { status: 'SUCCEEDED', output: 'ValueInTwenties' },
  },
  {
    name: 'a Map with ItemsPath and an ItemSelector reading $$.Map.Item.Value',
    source: SPEC,
    execution: {
      definition: {
        StartAt: 'Validate-All',
        States: {
          'Validate-All': {
            Type: 'Map',
            InputPath: '$.detail',
            ItemsPath: '$.shipped',
            MaxConcurrency: 0,
            ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'courier.$': '$.delivery-partner' },
            ItemProcessor: { StartAt: 'Validate', States: { Validate: { Type: 'Pass', End: true } } },
            ResultPath: '$.detail.shipped',
            End: true,
          },
        },
      },
      input: {
        'ship-date': '2016-03-14T01:59:00Z',
        detail: {
          'delivery-partner': 'UQS',
          shipped: [
            { prod: 'R31', 'dest-code': 9511, quantity: 1344 },
            { prod: 'S39', 'dest-code': 9511, quantity: 40 },
          ],
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {
        'ship-date': '2016-03-14T01:59:00Z',
        detail: {
          'delivery-partner': 'UQS',
          shipped: [
            { parcel: { prod: 'R31', 'dest-code': 9511, quantity: 1344 }, courier: 'UQS' },
            { parcel: { prod: 'S39', 'dest-code': 9511, quantity: 40 }, courier: 'UQS' },
          ],
        },
      },
    },
  },
  {
    name: 'a Parallel gives its branches the same input and gathers their outputs in order',
    source: SPEC,
    execution: {
      definition: {
        StartAt: 'LookupCustomerInfo',
        States: {
          LookupCustomerInfo: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'LookupAddress',
                States: { LookupAddress: { Type: 'Pass', Parameters: { 'address.$': '$.id' }, End: true } },
              },
              {
                StartAt: 'LookupPhone',
                States: { LookupPhone: { Type: 'Pass', Parameters: { 'phone.$': '$.id' }, End: true } },
              },
            ],
            End: true,
          },
        },
      },
      input: { id: 7 },
    },
    expect: { status: 'SUCCEEDED', output: [{ address: 7 }, { phone: 7 }] },
  },
  // ---- context object, Fail, errors ----
  {
    name: 'the context object gives the state its own name',
    source: CONTEXT,
    execution: {
      definition: pass({
        'state.$': '$$.State.Name',
        'machine.$': '$$.StateMachine.Name',
        'retries.$': '$$.State.RetryCount',
      }),
      input: {},
    },
    expect: { status: 'SUCCEEDED', output: { state: 'P', machine: 'conformance-machine', retries: 0 } },
  },
  {
    name: 'Fail takes Error and Cause from ErrorPath and an intrinsic in CausePath',
    source: FAIL,
    execution: {
      definition: {
        StartAt: 'F',
        States: {
          F: {
            Type: 'Fail',
            ErrorPath: '$.Error',
            CausePath: "States.Format('this is the error: {}, and this is the cause: {}', $.Error, $.Cause)",
          },
        },
      },
      input: { Error: 'ErrorA', Cause: 'Kaiju attack' },
    },
    expect: {
      status: 'FAILED',
      error: 'ErrorA',
      cause: 'this is the error: ErrorA, and this is the cause: Kaiju attack',
    },
  },
  {
    name: 'a Catch on States.ALL takes a failed Parallel branch, and its error output',
    source: ERRORS,
    execution: {
      definition: {
        StartAt: 'Par',
        States: {
          Par: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Boom',
                States: { Boom: { Type: 'Fail', Error: 'CustomError', Cause: 'it broke' } },
              },
            ],
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recovered' }],
            Next: 'Recovered',
          },
          Recovered: { Type: 'Pass', End: true },
        },
      },
      input: {},
    },
    expect: { status: 'SUCCEEDED', output: { Error: 'CustomError', Cause: 'it broke' } },
  },
  {
    name: 'a state output over 256 KiB fails with States.DataLimitExceeded',
    source: ERRORS,
    execution: { definition: pass({ 'a.$': '$.s', 'b.$': '$.s' }), input: { s: 'x'.repeat(140_000) } },
    expect: { status: 'FAILED', error: 'States.DataLimitExceeded' },
  },
  {
    name: 'inside a Map iteration, $$.Execution.Input is still the execution input',
    source: CONTEXT,
    execution: {
      definition: {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemProcessor: {
              StartAt: 'Read',
              States: {
                Read: {
                  Type: 'Pass',
                  Parameters: { 'item.$': '$', 'all.$': '$$.Execution.Input.items' },
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      },
      input: { items: ['a', 'b'] },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [
        { item: 'a', all: ['a', 'b'] },
        { item: 'b', all: ['a', 'b'] },
      ],
    },
  },
  // ---- JSONata ----
  {
    name: 'a JSONata Catch reads the error as $states.errorOutput',
    source: JSONATA,
    execution: {
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'Par',
        States: {
          Par: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Boom',
                States: {
                  Boom: { Type: 'Fail', Error: 'VirusEscaped', Cause: '{% "from " & $states.input.lab %}' },
                },
              },
            ],
            Catch: [
              {
                ErrorEquals: ['VirusEscaped'],
                Output: { error: '{% $states.errorOutput.Error %}', why: '{% $states.errorOutput.Cause %}' },
                Next: 'Done',
              },
            ],
            End: true,
          },
          Done: { Type: 'Succeed' },
        },
      },
      input: { lab: 'B4' },
    },
    expect: { status: 'SUCCEEDED', output: { error: 'VirusEscaped', why: 'from B4' } },
  },
  {
    name: 'a JSONata Wait takes its Seconds from an expression',
    source: JSONATA,
    execution: {
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'W',
        States: {
          W: { Type: 'Wait', Seconds: '{% $states.input.delay * 2 %}', Next: 'Done' },
          Done: { Type: 'Pass', Output: '{% $states.context.State.Name %}', End: true },
        },
      },
      input: { delay: 2 },
    },
    expect: { status: 'SUCCEEDED', output: 'Done' },
  },
  {
    name: 'JSONata Arguments: expressions in {% %}, other strings as they are, variables by $name',
    source: JSONATA,
    execution: {
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'Name',
        States: {
          Name: { Type: 'Pass', Assign: { customerName: 'María' }, Next: 'Greet' },
          Greet: {
            Type: 'Pass',
            Output: {
              static: 'Hello',
              title: '{% $states.input.title %}',
              name: '{% $customerName %}',
              'not-evaluated': '$customerName',
            },
            End: true,
          },
        },
      },
      input: { title: 'Doctor' },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { static: 'Hello', title: 'Doctor', name: 'María', 'not-evaluated': '$customerName' },
    },
  },
  {
    name: 'JSONata functions Step Functions adds: $partition, $range, $hash, $parse',
    source: JSONATA,
    execution: {
      definition: pass(
        {
          partition: '{% $partition([1,2,3,4], 2) %}',
          range: '{% $range(0, 10, 2) %}',
          hash: "{% $hash('input data', 'SHA-1') %}",
          parse: '{% $parse($states.input.text).a %}',
        },
        'JSONata',
      ),
      input: { text: '{"a": 1}' },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {
        partition: [
          [1, 2],
          [3, 4],
        ],
        range: [0, 2, 4, 6, 8, 10],
        hash: 'aaff4a450a104cd177d28d18d74485e8cae074b7',
        parse: 1,
      },
    },
  },
  {
    name: 'a JSONata Choice Condition',
    source: JSONATA,
    execution: {
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'C',
        States: {
          C: {
            Type: 'Choice',
            Choices: [{ Condition: '{% $states.input.age >= 18 %}', Next: 'Adult' }],
            Default: 'Minor',
          },
          Adult: { Type: 'Pass', Output: 'adult', End: true },
          Minor: { Type: 'Pass', Output: 'minor', End: true },
        },
      },
      input: { age: 30 },
    },
    expect: { status: 'SUCCEEDED', output: 'adult' },
  },
  {
    name: 'a JSONata Map over Items, with $states.context.Map.Item in ItemSelector',
    source: JSONATA,
    execution: {
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            Items: '{% $states.input.animals %}',
            ItemSelector: {
              animalName: '{% $states.context.Map.Item.Value %}',
              position: '{% $states.context.Map.Item.Index %}',
            },
            ItemProcessor: { StartAt: 'NoOp', States: { NoOp: { Type: 'Pass', End: true } } },
            Output: { processResults: '{% $states.result %}' },
            End: true,
          },
        },
      },
      input: { animals: ['Lion', 'Cheetah'] },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {
        processResults: [
          { animalName: 'Lion', position: 0 },
          { animalName: 'Cheetah', position: 1 },
        ],
      },
    },
  },
  {
    name: 'a JSONPath field in a JSONata state is refused',
    source: JSONATA,
    validate: {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: { A: { Type: 'Pass', InputPath: '$.a', End: true } },
    },
    expect: {
      result: 'FAIL',
      code: 'SCHEMA_VALIDATION_FAILED',
      message:
        "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage",
    },
  },
  // ---- variables ----
  {
    name: 'Assign in JSONPath: `.$` values read the result, later states read $name',
    source: VARIABLES,
    execution: {
      definition: {
        StartAt: 'Store',
        States: {
          Store: {
            Type: 'Pass',
            Result: { productName: 'product1', count: 42 },
            Assign: { 'productName.$': '$.productName', available: true },
            Next: 'Use',
          },
          Use: {
            Type: 'Pass',
            Parameters: { 'name.$': '$productName', 'available.$': '$available' },
            End: true,
          },
        },
      },
      input: {},
    },
    expect: { status: 'SUCCEEDED', output: { name: 'product1', available: true } },
  },
  {
    name: 'an Assign reads the variables as they were when the state was entered',
    source: VARIABLES,
    execution: {
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'Init',
        States: {
          Init: { Type: 'Pass', Assign: { x: 1, y: 2 }, Next: 'Swap' },
          Swap: {
            Type: 'Pass',
            Assign: { x: '{% $y %}', y: '{% $x %}' },
            Output: { x: '{% $x %}' },
            Next: 'Show',
          },
          Show: {
            Type: 'Pass',
            Output: { before: '{% $states.input.x %}', x: '{% $x %}', y: '{% $y %}' },
            End: true,
          },
        },
      },
      input: {},
    },
    expect: { status: 'SUCCEEDED', output: { before: 1, x: 2, y: 1 } },
  },
  {
    name: 'states inside a Map read the outer variables',
    source: VARIABLES,
    execution: {
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'Init',
        States: {
          Init: { Type: 'Pass', Assign: { prefix: 'item-' }, Next: 'M' },
          M: {
            Type: 'Map',
            Items: '{% [1, 2] %}',
            ItemProcessor: {
              StartAt: 'Name',
              States: { Name: { Type: 'Pass', Output: '{% $prefix & $string($states.input) %}', End: true } },
            },
            End: true,
          },
        },
      },
      input: {},
    },
    expect: { status: 'SUCCEEDED', output: ['item-1', 'item-2'] },
  },
  {
    name: 'a Distributed Map batches inline items with ItemBatcher (Items and BatchInput)',
    source: DISTRIBUTED,
    execution: {
      definition: {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { factorX: 'valueX' } },
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'Count',
              States: {
                Count: {
                  Type: 'Pass',
                  Parameters: { 'n.$': 'States.ArrayLength($.Items)', 'factor.$': '$.BatchInput.factorX' },
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      },
      input: { items: [1, 2, 3] },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [
        { n: 2, factor: 'valueX' },
        { n: 1, factor: 'valueX' },
      ],
    },
  },

  // ---- Distributed Map on S3: ItemReader and ResultWriter ----
  {
    name: 'ItemReader reads a CSV file with its header in the first row: each row an item, every value a string',
    source: ITEM_READER,
    execution: {
      definition: readerMap({
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
        Resource: 'arn:aws:states:::s3:getObject',
        Parameters: { Bucket: 'amzn-s3-demo-bucket', Key: 'csvDataset/ratings.csv' },
      }),
      input: {},
      s3: {
        buckets: ['amzn-s3-demo-bucket'],
        objects: {
          'amzn-s3-demo-bucket/csvDataset/ratings.csv':
            'rating,movieId,userId,timestamp\n3.5,307,1,1256677221\n4.0,481,1,1256677456\n',
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [
        { rating: '3.5', movieId: '307', userId: '1', timestamp: '1256677221' },
        { rating: '4.0', movieId: '481', userId: '1', timestamp: '1256677456' },
      ],
    },
  },
  {
    name: 'ItemReader MaxItems passes only the first rows of the file',
    source: ITEM_READER,
    execution: {
      definition: readerMap({
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', MaxItems: 1 },
        Resource: 'arn:aws:states:::s3:getObject',
        Parameters: { Bucket: 'amzn-s3-demo-bucket', Key: 'csvDataset/ratings.csv' },
      }),
      input: {},
      s3: {
        buckets: ['amzn-s3-demo-bucket'],
        objects: {
          'amzn-s3-demo-bucket/csvDataset/ratings.csv':
            'rating,movieId,userId,timestamp\n3.5,307,1,1256677221\n4.0,481,1,1256677456\n',
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [{ rating: '3.5', movieId: '307', userId: '1', timestamp: '1256677221' }],
    },
  },
  {
    name: 'ItemReader with s3:listObjectsV2 gives one item per object: Etag, Key, LastModified, Size, StorageClass',
    source: ITEM_READER,
    execution: {
      // The keys of each item, since Etag and LastModified depend on the upload.
      definition: readerMap(
        {
          Resource: 'arn:aws:states:::s3:listObjectsV2',
          Parameters: { Bucket: 'amzn-s3-demo-bucket', Prefix: 'processData' },
        },
        {
          ResultSelector: {
            'fields.$': '$[*].Key',
            'sizes.$': '$[*].Size',
            'classes.$': '$[*].StorageClass',
          },
        },
      ),
      input: {},
      s3: {
        buckets: ['amzn-s3-demo-bucket'],
        objects: {
          'amzn-s3-demo-bucket/processData/images/n02085620_1073.jpg': 'jpeg!',
          'amzn-s3-demo-bucket/processData/images/n02085620_10074.jpg': 'jpg',
          'amzn-s3-demo-bucket/other/skipped.jpg': 'no',
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {
        fields: ['processData/images/n02085620_10074.jpg', 'processData/images/n02085620_1073.jpg'],
        sizes: [3, 5],
        classes: ['STANDARD', 'STANDARD'],
      },
    },
  },
  {
    name: 'ItemReader fails the Map with States.ItemReaderFailed when the object is not there',
    source: ERRORS,
    execution: {
      definition: readerMap({
        ReaderConfig: { InputType: 'JSON' },
        Resource: 'arn:aws:states:::s3:getObject',
        Parameters: { Bucket: 'amzn-s3-demo-bucket', Key: 'missing.json' },
      }),
      input: {},
      s3: { buckets: ['amzn-s3-demo-bucket'] },
    },
    expect: { status: 'FAILED', error: 'States.ItemReaderFailed' },
  },
  {
    name: 'ResultWriter: the Map returns its MapRunArn and the manifest at <Prefix>/<map run id>/manifest.json',
    source: RESULT_WRITER,
    execution: {
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            Items: '{% [1, 2, 3] %}',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'Same',
              States: { Same: { Type: 'Pass', End: true } },
            },
            ResultWriter: {
              Resource: 'arn:aws:states:::s3:putObject',
              Arguments: { Bucket: 'amzn-s3-demo-destination-bucket', Prefix: 'csvProcessJobs' },
            },
            // The run id is random: the output says whether the Key is built from it as the docs show.
            Output:
              "{% { 'fields': $keys($states.result), 'bucket': $states.result.ResultWriterDetails.Bucket, 'keyFromRun': $states.result.ResultWriterDetails.Key = 'csvProcessJobs/' & $split($states.result.MapRunArn, ':')[-1] & '/manifest.json' } %}",
            End: true,
          },
        },
      },
      input: {},
      s3: { buckets: ['amzn-s3-demo-destination-bucket'] },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {
        fields: ['MapRunArn', 'ResultWriterDetails'],
        bucket: 'amzn-s3-demo-destination-bucket',
        keyFromRun: true,
      },
    },
  },
  {
    name: 'ResultWriter fails the Map with States.ResultWriterFailed when the bucket is not there',
    source: RESULT_WRITER,
    execution: {
      definition: {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'Same',
              States: { Same: { Type: 'Pass', End: true } },
            },
            ResultWriter: {
              Resource: 'arn:aws:states:::s3:putObject',
              Parameters: { Bucket: 'amzn-s3-demo-missing-bucket', Prefix: 'csvProcessJobs' },
            },
            End: true,
          },
        },
      },
      input: [1],
    },
    expect: { status: 'FAILED', error: 'States.ResultWriterFailed' },
  },
];
