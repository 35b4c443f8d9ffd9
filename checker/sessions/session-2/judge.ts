/** The behaviour checks of session 2: HTTP requests as the board sends them, judged. */
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip } from '../../core/result.ts';
import { show } from '../../core/template.ts';
import { explainFailure } from '../session-1/errors.ts';
import { UUID } from '../session-1/judge.ts';
import type { Exchange, Observation } from './observe.ts';
import { BOARD_ORIGIN } from './static.ts';

export function judge(o: Observation): CheckResult[] {
  return [list(o), post(o), kill(o), unknown(o), invalid(o), badInput(o), cors(o)];
}

const at = (todo: number) => ({ todo });
const noRoute = (key: string, todo: number) => `no route ${key} yet (TODO ${todo})`;
const answered = (ex: Exchange) =>
  `${ex.request} answered ${ex.status}${ex.text && ex.text.length < 200 ? ` ${ex.text}` : ''}`;

/**
 * Why a request went wrong, when it says so: a starter placeholder (501 "... TODO n"), or a
 * 5xx whose function failed (the local trace names the error; on AWS, the logs do).
 */
function trouble(ex: Exchange, todo: number): { observed: string; hint: string; todo: number } | undefined {
  const message = String((ex.body as { message?: unknown } | undefined)?.message ?? '');
  const placeholder = /\bTODOs? ([\d, and]+)/.exec(message);
  if (placeholder) {
    // "TODOs 8 and 9": the one this check is about, if it is among them.
    const named = (placeholder[1].match(/\d+/g) ?? []).map(Number);
    const n = named.includes(todo) ? todo : named[0];
    return {
      observed: answered(ex),
      hint: `That answer is the starter's placeholder: write TODO ${n}.`,
      todo: n,
    };
  }
  if (ex.status < 500) return undefined;
  if (!ex.failure)
    return {
      observed: answered(ex),
      hint: 'The function behind the route failed: read its logs (CloudWatch on AWS; npm run dev shows them locally).',
      todo,
    };
  const e = explainFailure(ex.failure.fn, ex.failure.error, { permission: 3 });
  return {
    observed: `${ex.request} answered ${ex.status}. ${e.observed}`,
    hint: e.hint,
    todo: e.todo ?? todo,
  };
}

const isJson = (ex: Exchange) => (ex.headers['content-type'] ?? '').includes('application/json');

function jsonProblem(ex: Exchange, id: string, title: string): CheckResult | undefined {
  if (!isJson(ex)) {
    return fail(id, title, {
      observed: `${ex.request} answered with content-type ${show(ex.headers['content-type'] ?? 'none')}`,
      expected: 'content-type: application/json',
      hint: "Answer through json() in lib/http.ts: it sets the header and JSON.stringify's the body.",
      ...at(4),
    });
  }
  if (typeof ex.body === 'string' || ex.body === undefined) {
    return fail(id, title, {
      observed: `${ex.request} answered a body that is not JSON: ${show(ex.text)}`,
      expected: 'a JSON body',
      hint: 'The body must be a string of JSON: body: JSON.stringify(body), as json() in lib/http.ts does.',
      ...at(4),
    });
  }
  return undefined;
}

function list(o: Observation): CheckResult {
  const id = 's2.list';
  const title = 'GET /viruses answers 200 { viruses } with every virus, newest first';
  const todo = 6;
  if (!o.list)
    return skip(id, title, o.hasApi ? noRoute('GET /viruses', 1) : 'no HTTP API yet (TODOs 1 and 2)');
  const ex = o.list;
  const t = trouble(ex, todo);
  if (t)
    return fail(id, title, {
      observed: t.observed,
      expected: '200 with { "viruses": [...] }',
      hint: t.hint,
      ...at(t.todo),
    });
  if (ex.status !== 200)
    return fail(id, title, {
      observed: answered(ex),
      expected: '200 OK',
      hint: 'Answer json(200, { viruses }).',
      ...at(todo),
    });
  const bad = jsonProblem(ex, id, title);
  if (bad) return bad;
  if (Array.isArray(ex.body)) {
    return fail(id, title, {
      observed: 'GET /viruses answered a bare array',
      expected: '{ "viruses": [...] }: the board reads body.viruses',
      hint: 'Answer json(200, { viruses: newestFirst(Items) }).',
      ...at(todo),
    });
  }
  const viruses = (ex.body as { viruses?: unknown }).viruses;
  if (!Array.isArray(viruses))
    return fail(id, title, {
      observed: `GET /viruses answered ${show(ex.body)}`,
      expected: '{ "viruses": [...] }',
      hint: 'Answer json(200, { viruses: newestFirst(Items) }).',
      ...at(todo),
    });
  const listed = viruses as Array<{ id?: unknown; createdAt?: unknown }>;
  const missing = o.seeds.filter((s) => !listed.some((v) => v.id === s.id));
  if (missing.length) {
    return fail(id, title, {
      observed: `${missing.length} of the ${o.seeds.length} viruses the checker put in the table are not listed (${listed.length} listed)`,
      expected: 'every virus in the table',
      hint: 'Scan the whole table: ScanCommand({ TableName: virusTableName() }), and answer all its Items.',
      ...at(todo),
    });
  }
  const order = listed.map((v) => String(v.createdAt));
  const unsorted = order.findIndex((c, i) => i > 0 && order[i - 1] < c);
  if (unsorted > 0) {
    return fail(id, title, {
      observed: `the list is not newest first: ${show(order[unsorted - 1])} comes before ${show(order[unsorted])}`,
      expected: 'createdAt from newest to oldest',
      hint: 'A Scan returns items in no particular order: sort them with newestFirst(Items) from lib/virus.ts.',
      ...at(todo),
    });
  }
  return pass(id, `${title} (${listed.length} viruses)`);
}

function post(o: Observation): CheckResult {
  const id = 's2.post';
  const title = 'POST /viruses answers 201 with the new virus, which is then in the table';
  const todo = 7;
  if (!o.post)
    return skip(id, title, o.hasApi ? noRoute('POST /viruses', 2) : 'no HTTP API yet (TODOs 1 and 2)');
  const ex = o.post;
  const t = trouble(ex, todo);
  if (t)
    return fail(id, title, {
      observed: t.observed,
      expected: '201 with the new virus',
      hint: t.hint,
      ...at(t.todo),
    });
  if (ex.status !== 201) {
    return fail(id, title, {
      observed: answered(ex),
      expected: '201 Created',
      hint:
        ex.status === 200
          ? 'A POST that creates something answers 201 Created: json(201, virus).'
          : 'Answer json(201, virus).',
      ...at(todo),
    });
  }
  const bad = jsonProblem(ex, id, title);
  if (bad) return bad;
  const virus = ex.body as { id?: unknown; createdAt?: unknown };
  if (typeof virus.id !== 'string' || !UUID.test(virus.id) || typeof virus.createdAt !== 'string') {
    return fail(id, title, {
      observed: `POST /viruses answered ${show(ex.body)}`,
      expected: 'the new virus: { "id": "<uuid>", "createdAt": "<ISO time>" }',
      hint: 'Answer json(201, virus) with the virus from newVirus().',
      ...at(todo),
    });
  }
  if (!o.postedItem) {
    return fail(id, title, {
      observed: `the virus ${virus.id} that POST /viruses answered is not in the table`,
      expected: 'the virus written before the answer',
      hint: 'Write it with a PutCommand, as createVirus does, and await it before answering.',
      ...at(todo),
    });
  }
  if (o.postedItem.createdAt !== virus.createdAt) {
    return fail(id, title, {
      observed: `the table holds ${show(o.postedItem)}, the answer was ${show(virus)}`,
      expected: 'the same virus',
      hint: 'Answer with the very virus you wrote.',
      ...at(todo),
    });
  }
  return pass(id, title);
}

function kill(o: Observation): CheckResult {
  const id = 's2.delete';
  const title = 'DELETE /viruses/{id} answers 204 and the virus is gone from the table';
  const todo = 9;
  if (!o.kill)
    return skip(id, title, o.hasApi ? noRoute('DELETE /viruses/{id}', 2) : 'no HTTP API yet (TODOs 1 and 2)');
  const ex = o.kill;
  const t = trouble(ex, todo);
  if (t)
    return fail(id, title, { observed: t.observed, expected: '204 No Content', hint: t.hint, ...at(t.todo) });
  if (ex.status === 400)
    return fail(id, title, {
      observed: `${answered(ex)}, for the id of a virus in the table`,
      expected: '204 No Content',
      hint: 'isVirusId() refuses a real UUID: check its regular expression (8-4-4-4-12 hexadecimal digits, any case).',
      ...at(5),
    });
  if (ex.status === 404)
    return fail(id, title, {
      observed: `${answered(ex)}, for a virus that is in the table`,
      expected: '204 No Content',
      hint: 'Delete with Key: { id }, the id from event.pathParameters.id.',
      ...at(todo),
    });
  if (ex.status !== 204) {
    return fail(id, title, {
      observed: answered(ex),
      expected: '204 No Content: it worked, and there is nothing to say',
      hint: 'Answer noContent() from lib/http.ts once the virus is deleted.',
      ...at(todo),
    });
  }
  if (o.killedItem)
    return fail(id, title, {
      observed: 'DELETE answered 204, but the virus is still in the table',
      expected: 'the virus deleted',
      hint: 'Send the DeleteCommand, with Key: { id }, and await it before answering.',
      ...at(todo),
    });
  return pass(id, title);
}

/** What to do about a 2xx for a missing virus, given the condition killVirus already writes (if any). */
function deleteHint(condition: string | undefined): string {
  if (condition === undefined)
    return "DynamoDB deletes a missing item without a word. Add ConditionExpression: 'attribute_exists(id)' to the DeleteCommand, and answer 404 when it fails.";
  if (condition.replace(/\s+/g, '') !== 'attribute_exists(id)') {
    return `killVirus's DeleteCommand has ConditionExpression: '${condition}', which a missing virus passes. The condition that fails for a missing virus is 'attribute_exists(id)'.`;
  }
  return "The ConditionExpression is right, so DynamoDB refuses to delete a missing virus with ConditionalCheckFailedException: killVirus catches it and still answers 2xx. Answer errorResponse(404, '...') in that catch.";
}

function unknown(o: Observation): CheckResult {
  const id = 's2.delete-unknown';
  const title = 'DELETE answers 404 for a virus that is not there (an unknown id, or one killed already)';
  const todo = 9;
  if (!o.unknown.length)
    return skip(id, title, o.hasApi ? noRoute('DELETE /viruses/{id}', 2) : 'no HTTP API yet (TODOs 1 and 2)');
  for (const ex of o.unknown) {
    if (ex.status === 404) continue;
    if (ex.failure?.error.errorType === 'ConditionalCheckFailedException') {
      return fail(id, title, {
        observed: `${ex.request} answered ${ex.status}: killVirus threw ConditionalCheckFailedException`,
        expected: '404 Not Found',
        hint: "The condition did its job: DynamoDB refused to delete a missing virus. Catch that error (error instanceof ConditionalCheckFailedException) and answer errorResponse(404, '...').",
        ...at(todo),
      });
    }
    if (ex.status >= 500 && !ex.failure && !/\bTODO/.test(ex.text)) {
      // On AWS there is no trace to name the error; this is by far the likeliest one.
      return fail(id, title, {
        observed: answered(ex),
        expected: '404 Not Found',
        hint: "Is killVirus letting ConditionalCheckFailedException through? Catch it and answer errorResponse(404, '...'); its logs in CloudWatch tell for sure.",
        ...at(todo),
      });
    }
    const t = trouble(ex, todo);
    if (t)
      return fail(id, title, {
        observed: t.observed,
        expected: '404 Not Found',
        hint: t.hint,
        ...at(t.todo),
      });
    if (ex.status >= 200 && ex.status < 300) {
      return fail(id, title, {
        observed: `${answered(ex)} for a virus that is not in the table`,
        expected: '404 Not Found',
        hint: deleteHint(o.killCondition),
        ...at(todo),
      });
    }
    return fail(id, title, {
      observed: answered(ex),
      expected: '404 Not Found',
      hint:
        ex.status === 400
          ? 'The id is a valid UUID: only ids that are not UUIDs get a 400.'
          : "Answer errorResponse(404, '...') when DynamoDB throws ConditionalCheckFailedException.",
      ...at(todo),
    });
  }
  return pass(id, title);
}

function invalid(o: Observation): CheckResult {
  const id = 's2.delete-invalid';
  const title = 'DELETE answers 400 { message } for an id that is not a UUID';
  const todo = 8;
  if (!o.invalid)
    return skip(id, title, o.hasApi ? noRoute('DELETE /viruses/{id}', 2) : 'no HTTP API yet (TODOs 1 and 2)');
  const ex = o.invalid;
  const t = trouble(ex, todo);
  if (t)
    return fail(id, title, {
      observed: t.observed,
      expected: '400 Bad Request',
      hint: t.hint,
      ...at(t.todo),
    });
  if (ex.status !== 400) {
    return fail(id, title, {
      observed: answered(ex),
      expected: '400 Bad Request',
      hint:
        ex.status === 404 || ex.status === 204
          ? 'The id went to DynamoDB as it was. Check it first: if (!isVirusId(id)) return errorResponse(400, ...), without touching the table.'
          : "Answer errorResponse(400, '...') when isVirusId(id) is false.",
      ...at(todo),
    });
  }
  if (typeof (ex.body as { message?: unknown } | undefined)?.message !== 'string') {
    return fail(id, title, {
      observed: `${answered(ex)}`,
      expected: '{ "message": "..." } saying what is wrong: the board shows it',
      hint: "Answer errorResponse(400, 'A virus id is a UUID.').",
      ...at(todo),
    });
  }
  return pass(id, title);
}

function badInput(o: Observation): CheckResult {
  const id = 's2.bad-input';
  const title = 'Bad input gets a 4xx, never a 500';
  const todo = 8;
  if (!o.badInput.length)
    return skip(
      id,
      title,
      o.hasApi ? 'no routes to try yet (TODOs 1 and 2)' : 'no HTTP API yet (TODOs 1 and 2)',
    );
  const crashed = o.badInput.filter((ex) => ex.status >= 500);
  if (crashed.length) {
    const ex = crashed[0];
    const validation = ex.failure?.error.errorType === 'ValidationException';
    const t = trouble(ex, todo);
    return fail(id, title, {
      observed: `${crashed.length} of ${o.badInput.length} bad requests got a 5xx: ${t?.observed ?? answered(ex)}`,
      expected: "a 4xx that says what is wrong: the caller's mistake, not ours",
      hint: validation
        ? 'DynamoDB refused the key as it came. Check the id with isVirusId(id) before touching the table, and answer 400.'
        : (t?.hint ?? 'Check the input before using it, and answer 400 when it is wrong.'),
      ...at(t && !validation ? t.todo : todo),
    });
  }
  const accepted = o.badInput.filter((ex) => ex.request.startsWith('DELETE') && ex.status < 400);
  if (accepted.length) {
    return fail(id, title, {
      observed: `${accepted[0].request} answered ${accepted[0].status}`,
      expected: '400: that id is not a UUID',
      hint: 'Check the id with isVirusId(id) first, and answer errorResponse(400, ...).',
      ...at(todo),
    });
  }
  return pass(id, `${title} (${o.badInput.length} bad requests)`);
}

function cors(o: Observation): CheckResult {
  const id = 's2.cors-headers';
  const title = `Answers carry CORS headers for the board (Origin: ${BOARD_ORIGIN})`;
  const ex = o.list ?? o.post;
  if (!ex) return skip(id, title, o.hasApi ? noRoute('GET /viruses', 1) : 'no HTTP API yet (TODOs 1 and 2)');
  const allow = ex.headers['access-control-allow-origin'];
  if (allow !== '*' && allow !== BOARD_ORIGIN) {
    return fail(id, title, {
      observed: allow
        ? `access-control-allow-origin: ${allow}`
        : `${ex.request} has no access-control-allow-origin header`,
      expected: `access-control-allow-origin: * (or ${BOARD_ORIGIN})`,
      hint: 'Without it, the browser hides the answer from the board. Set provider.httpApi.cors: true in serverless.ts.',
      ...at(1),
    });
  }
  const pre = o.preflight;
  if (pre) {
    const methods = (pre.headers['access-control-allow-methods'] ?? '').toUpperCase();
    if (pre.status >= 300 || !(methods.includes('DELETE') || methods.includes('*'))) {
      return fail(id, title, {
        observed: `the browser's preflight (${pre.request}, Access-Control-Request-Method: DELETE) got ${pre.status}${methods ? `, allow-methods ${methods}` : ' without access-control-allow-methods'}`,
        expected: 'a 2xx that allows DELETE',
        hint: 'API Gateway answers preflights itself when CORS is on: set provider.httpApi.cors: true.',
        ...at(1),
      });
    }
  }
  return pass(id, title);
}
