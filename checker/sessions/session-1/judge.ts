/** The behaviour checks of session 1: each turns the observation into a ✔ or a ✖. */
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip } from '../../core/result.ts';
import { show } from '../../core/template.ts';
import { explainFailure } from './errors.ts';
import { INVOCATIONS, type Observation } from './observe.ts';

export function judge(o: Observation): CheckResult[] {
  const invoked = invocations(o);
  if (invoked.status !== 'pass') {
    const why = 'no virus came back from createVirus (see above)';
    return [
      invoked,
      skip('s1.ids', 'Every virus has an id of its own, a UUID', why),
      skip('s1.created-at', 'createdAt is the moment of the invocation, in ISO 8601', why),
      skip('s1.written', 'Each virus createVirus returns is in the table', why),
    ];
  }
  return [invoked, ids(o), createdAt(o), written(o)];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How far createdAt may be from the invocation: clocks of the checker and of AWS differ a little. */
export const TOLERANCE_MS = 5000;

interface VirusLike {
  id?: unknown;
  createdAt?: unknown;
}

const virusOf = (payload: unknown): VirusLike =>
  payload && typeof payload === 'object' ? (payload as VirusLike) : {};

function invocations(o: Observation): CheckResult {
  const id = 's1.invoke';
  const title = `createVirus answers ${INVOCATIONS} invocations with a virus { id, createdAt }`;
  if (!o.fn)
    return fail(id, title, {
      observed: 'no createVirus function was deployed',
      hint: "Keep functions.createVirus in serverless.ts, with handler 'functions/createVirus/handler.main'.",
      todo: 5,
    });
  const failed = o.calls.filter((c) => c.error);
  if (failed.length) {
    const e = explainFailure('createVirus', failed[0].error!, { env: 2, permission: 3 });
    const todo = e.todo ?? 5;
    return fail(id, title, {
      observed: `${failed.length} of ${o.calls.length} invocations failed. ${e.observed}`,
      expected: 'each invocation to return the virus it wrote',
      hint: e.hint,
      todo,
    });
  }
  const bad = o.calls.find((c) => {
    const v = virusOf(c.payload);
    return v.id === undefined || v.createdAt === undefined;
  });
  if (bad) {
    return fail(id, title, {
      observed: `createVirus returned ${show(bad.payload)}`,
      expected: 'the virus it wrote: { id, createdAt }',
      hint:
        bad.payload === undefined || bad.payload === null
          ? 'End main with return virus; (a handler that returns nothing gives null to the caller).'
          : 'Return the virus object itself, with its id and createdAt.',
      todo: 5,
    });
  }
  return pass(id, title);
}

function ids(o: Observation): CheckResult {
  const id = 's1.ids';
  const title = 'Every virus has an id of its own, a UUID';
  const where = { todo: 4 };
  const values = o.calls.map((c) => virusOf(c.payload).id);
  const notText = values.find((v) => typeof v !== 'string');
  if (notText !== undefined) {
    return fail(id, title, {
      observed: `id is ${typeof notText === 'number' ? `a number (${notText})` : show(notText)}`,
      expected: "a string: the table's key is declared as S",
      hint: "id: randomUUID() (from 'node:crypto') gives a string.",
      ...where,
    });
  }
  const distinct = new Set(values);
  if (distinct.size < values.length) {
    return fail(id, title, {
      observed:
        distinct.size === 1
          ? `all ${values.length} invocations returned the same id, ${show(values[0])}`
          : `${values.length} invocations returned only ${distinct.size} different ids`,
      expected: `${values.length} different ids`,
      hint: "PutItem replaces the item that has the same key, so viruses with the same id overwrite each other. Use randomUUID() from 'node:crypto' in newVirus().",
      ...where,
    });
  }
  const notUuid = values.find((v) => !UUID.test(String(v)));
  if (notUuid !== undefined) {
    return fail(id, title, {
      observed: `ids like ${show(notUuid)} are not UUIDs`,
      expected: 'a UUID such as 0b6a3c1e-5f7d-4e2a-9c1b-2d3e4f5a6b7c',
      hint: "Use randomUUID() from 'node:crypto': unique without coordination, and the kill route of session 2 accepts only UUIDs.",
      ...where,
    });
  }
  return pass(id, title);
}

function createdAt(o: Observation): CheckResult {
  const id = 's1.created-at';
  const title = 'createdAt is the moment of the invocation, in ISO 8601';
  const where = { todo: 4 };
  const hint =
    'Use new Date().toISOString(), inside newVirus(): ISO text sorts by time, and every language reads it.';
  for (const c of o.calls) {
    const v = virusOf(c.payload).createdAt;
    if (typeof v === 'number') {
      return fail(id, title, {
        observed: `createdAt is a number (${v})${v > 1e12 ? ': milliseconds since 1970, as Date.now() gives' : ''}`,
        expected: 'an ISO 8601 string such as 2026-11-21T10:00:00.000Z',
        hint,
        ...where,
      });
    }
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v)) || new Date(Date.parse(v)).toISOString() !== v) {
      return fail(id, title, {
        observed: `createdAt is ${show(v)}`,
        expected: 'an ISO 8601 string in UTC such as 2026-11-21T10:00:00.000Z',
        hint,
        ...where,
      });
    }
    const t = Date.parse(v);
    if (t < c.before - TOLERANCE_MS || t > c.after + TOLERANCE_MS) {
      return fail(id, title, {
        observed: `an invocation at ${new Date(c.before).toISOString()} returned createdAt ${v}`,
        expected: `the time of the invocation, within ${TOLERANCE_MS / 1000} s`,
        hint: 'Take the time when the virus is made, in newVirus(): a time computed once, outside the function, is the same for every virus of a warm sandbox.',
        ...where,
      });
    }
  }
  return pass(id, title);
}

function written(o: Observation): CheckResult {
  const id = 's1.written';
  const title = 'Each virus createVirus returns is in the table';
  const where = { todo: 5 };
  if (!o.items) return skip(id, title, 'there is no table to read');
  // With repeated ids, the table keeps the last write of each id.
  const returned = new Map<string, VirusLike>();
  for (const c of o.calls) returned.set(String(virusOf(c.payload).id), virusOf(c.payload));
  const byId = new Map(o.items.map((item) => [String(item.id), item]));
  const missing = [...returned.keys()].filter((k) => !byId.has(k));
  if (missing.length === returned.size) {
    return fail(id, title, {
      observed:
        o.items.length === 0
          ? `the table is empty after ${o.calls.length} invocations`
          : `none of the ${returned.size} viruses createVirus returned is in the table (it holds ${o.items.length} others)`,
      expected: 'each returned virus written with PutItem',
      hint:
        o.items.length === 0
          ? 'Send a PutCommand through ddb and await it: await ddb.send(new PutCommand({ TableName: virusTableName(), Item: virus })).'
          : 'Write the very virus you return: Item: virus.',
      ...where,
    });
  }
  if (missing.length) {
    return fail(id, title, {
      observed: `${missing.length} of ${returned.size} returned viruses are not in the table, e.g. ${show(missing[0])}`,
      expected: 'every one of them',
      hint: 'Await the write before returning: a function that returns first may be frozen (on AWS) before the write is sent.',
      ...where,
    });
  }
  for (const [key, virus] of returned) {
    const item = byId.get(key)!;
    if (item.createdAt !== virus.createdAt) {
      return fail(id, title, {
        observed: `the table holds ${show(item)} for the virus returned as ${show(virus)}`,
        expected: 'the same virus in the table and in the answer',
        hint: 'Write the very object you return: Item: virus.',
        ...where,
      });
    }
  }
  return pass(id, `${title} (${returned.size} viruses)`);
}
