/**
 * A Distributed Map's ItemReader: its items read from S3 instead of the state input.
 * `arn:aws:states:::s3:getObject` reads one object, by ReaderConfig.InputType: JSON (an array),
 * JSONL (one value a line) or CSV (one object a row, keyed by the first row or by CSVHeaders,
 * every value a string); `arn:aws:states:::s3:listObjectsV2` lists a bucket (under Prefix):
 * each object is an item `{ Etag, Key, LastModified, Size, StorageClass }`. ReaderConfig.MaxItems
 * (MaxItemsPath in JSONPath) keeps the first n. As AWS's "ItemReader (Map)" page describes:
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 *
 * A bucket or key that is not there fails the state with States.ItemReaderFailed.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/errors.ts';
import { javaSdkCause } from '../errors.ts';
import { pathData, where, type StateRun } from './context.ts';
import { jsonata, maybeExpression, payloadTemplate } from './data-flow.ts';
import { StatesItemReaderFailed, StatesRuntime } from './errors.ts';
import { select } from './paths.ts';

export const READ_OBJECT = 'arn:aws:states:::s3:getObject';
export const LIST_OBJECTS = 'arn:aws:states:::s3:listObjectsV2';
/** The InputTypes of getObject the local cloud reads (AWS also has PARQUET and MANIFEST). */
export const INPUT_TYPES = ['JSON', 'JSONL', 'CSV'];
/** CSVDelimiter's names and the character each stands for. */
const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

interface ReaderConfig {
  InputType?: string;
  CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
  CSVHeaders?: string[];
  CSVDelimiter?: string;
  MaxItems?: unknown;
  MaxItemsPath?: string;
}

interface ItemReader {
  Resource?: string;
  Parameters?: unknown;
  Arguments?: unknown;
  ReaderConfig?: ReaderConfig;
}

/** The items of a Map state with an ItemReader; `input` is the state's input after InputPath. */
export async function readItems(run: StateRun, input: unknown): Promise<unknown[]> {
  const reader = run.state.ItemReader as ItemReader;
  const config = reader.ReaderConfig ?? {};
  const params = (
    run.language === 'JSONata'
      ? await jsonata(run, reader.Arguments ?? {}, 'ItemReader.Arguments')
      : payloadTemplate(reader.Parameters ?? {}, pathData(run, input), run)
  ) as { Bucket?: unknown; Key?: unknown; Prefix?: unknown };
  const bucket = String(params.Bucket ?? '');
  const items =
    reader.Resource === LIST_OBJECTS
      ? listed(run, bucket, typeof params.Prefix === 'string' ? params.Prefix : '')
      : parsed(run, bucket, String(params.Key ?? ''), config);
  const max = await maxItems(run, config, input);
  return max === undefined ? items : items.slice(0, max);
}

/** S3's answer to a read, or States.ItemReaderFailed with S3's error in the Cause. */
function fromS3<T>(run: StateRun, call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    throw new StatesItemReaderFailed(
      javaSdkCause(err.message, 'Amazon S3', err.status, err.code, randomUUID()),
    );
  }
}

function listed(run: StateRun, bucket: string, prefix: string): unknown[] {
  const items: unknown[] = [];
  let after: string | undefined;
  for (;;) {
    const page = fromS3(run, () => run.engine.deps.s3.list(bucket, { prefix, after }));
    for (const o of page.contents)
      items.push({
        Etag: o.etag,
        Key: o.key,
        // Unix seconds, as AWS's listObjectsV2 items give it.
        LastModified: Math.floor(o.lastModified / 1000),
        Size: o.body.length,
        StorageClass: 'STANDARD',
      });
    if (!page.truncated) return items;
    after = page.nextToken;
  }
}

function parsed(run: StateRun, bucket: string, key: string, config: ReaderConfig): unknown[] {
  const text = fromS3(run, () => run.engine.deps.s3.getObject(bucket, key)).body.toString('utf8');
  const at = `s3://${bucket}/${key}`;
  const bad = (what: string) =>
    new StatesItemReaderFailed(`${where(run)}The ItemReader could not read ${at}: ${what}`);
  switch (config.InputType) {
    case 'JSON': {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw bad(`it is not valid JSON (${(err as Error).message})`);
      }
      if (!Array.isArray(value)) throw bad('InputType JSON needs a JSON array of items, and this holds none');
      return value;
    }
    case 'JSONL':
      return lines(text).map((line, i) => {
        try {
          return JSON.parse(line);
        } catch {
          throw bad(`line ${i + 1} is not a JSON value: ${line.slice(0, 80)}`);
        }
      });
    case 'CSV':
      return csvItems(text, config, bad);
    default:
      // Validation refuses the others; kept as a guard for TestState's unvalidated definitions.
      throw bad(
        `ReaderConfig.InputType ${JSON.stringify(config.InputType)} is not one of ${INPUT_TYPES.join(', ')}`,
      );
  }
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** CSV rows as objects: every value a string, as AWS gives them. */
function csvItems(text: string, config: ReaderConfig, bad: (what: string) => Error): unknown[] {
  const rows = csvRows(text, DELIMITERS[config.CSVDelimiter ?? 'COMMA'] ?? ',');
  const headers = config.CSVHeaderLocation === 'GIVEN' ? (config.CSVHeaders ?? []) : rows.shift();
  if (!headers || headers.length === 0) throw bad('the CSV file has no header row');
  return rows.map((row, i) => {
    if (row.length > headers.length)
      throw bad(`row ${i + 1} has ${row.length} fields, more than the ${headers.length} headers`);
    return Object.fromEntries(headers.map((h, j) => [h, row[j] ?? '']));
  });
}

/** RFC 4180 rows: quoted fields may hold the delimiter, newlines and doubled quotes; blank lines are skipped. */
function csvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

async function maxItems(run: StateRun, config: ReaderConfig, input: unknown): Promise<number | undefined> {
  let value = await maybeExpression(run, config.MaxItems, 'ReaderConfig.MaxItems');
  if (typeof config.MaxItemsPath === 'string') {
    const s = select(config.MaxItemsPath, pathData(run, input));
    value = s.found ? s.value : undefined;
  }
  if (value === undefined) return undefined;
  // The States Language: MaxItems "MUST be a positive integer".
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new StatesRuntime(
      `${where(run)}Expected a positive integer for MaxItems, got '${JSON.stringify(value)}' instead.`,
    );
  return value;
}
