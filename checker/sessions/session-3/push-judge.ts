/**
 * The behaviour checks of session 3's bonus part: each turns what two WebSocket clients and
 * the connection table showed into a ✔ or a ✖ (skipped while the bonus is not tried).
 */
import { fail, pass, skip, type CheckResult } from '../../core/result.ts';
import { show } from '../../core/template.ts';
import { isMessage, type PushObservation } from './push-observe.ts';

const CONNECTIONS = 's3.ws-connections' as const;
const PUSH = 's3.ws-push' as const;
const GONE = 's3.ws-gone' as const;
const TITLES = {
  [CONNECTIONS]: 'Bonus: a board that connects is in the connection table, and leaves it when it closes',
  [PUSH]: 'Bonus: every connected board gets each new virus (INSERT) and each kill (REMOVE)',
  [GONE]: 'Bonus: a connection that is gone (GoneException) is dropped, and the push goes on',
};

/** `why` says why nothing could be observed: the bonus not tried, or a static check above that failed. */
export function judgePush(o: PushObservation | undefined, why: string): CheckResult[] {
  if (!o) return [CONNECTIONS, PUSH, GONE].map((id) => skip(id, TITLES[id], why));
  return [connections(o), push(o), gone(o)];
}

function connections(o: PushObservation): CheckResult {
  const id = CONNECTIONS;
  const title = TITLES[id];
  const where = { todo: 4 };
  if (o.opened < 2)
    return fail(id, title, {
      observed: `a WebSocket client could not connect to ${o.url}: ${o.refused ?? 'the handshake failed'}`,
      expected: 'the handshake accepted: $connect answers { statusCode: 200 }',
      hint: o.refused?.includes('(')
        ? 'connect threw (the error is above): it should put the connection into the table and return { statusCode: 200 }.'
        : 'connect must return { statusCode: 200 }: any other status refuses the board.',
      ...where,
    });
  if (o.added !== 2)
    return fail(id, title, {
      observed: `2 boards connected, and the connection table gained ${o.added ?? 0} item${o.added === 1 ? '' : 's'}`,
      expected: 'one item per connection: 2',
      hint: 'In functions/connect/handler.ts, put { connectionId: event.requestContext.connectionId, connectedAt } into the table connectionTableName() names.',
      ...where,
    });
  const c = o.closing;
  if (c && c.after >= c.before)
    return fail(id, title, {
      observed: `a board closed its WebSocket, and its connection stayed in the table (${c.before} items before, ${c.after} after): $disconnect did not delete it`,
      expected: `${c.before - 1} item${c.before - 1 === 1 ? '' : 's'}`,
      hint: 'In functions/disconnect/handler.ts, delete Key: { connectionId: event.requestContext.connectionId } from the table: else every push to that board meets GoneException.',
      ...where,
    });
  return pass(id, title);
}

function push(o: PushObservation): CheckResult {
  const id = PUSH;
  const title = TITLES[id];
  if (o.opened < 2) return skip(id, title, 'no board could connect (see above).');
  const insert = (r: unknown[]) =>
    r.find((m) => isMessage(m) && m.type === 'INSERT' && m.virus.id === o.first.id) as
      { virus: { createdAt?: unknown } } | undefined;
  const removed = (r: unknown[]) =>
    r.some((m) => isMessage(m) && m.type === 'REMOVE' && m.virus.id === o.first.id);
  const both = o.received.filter((r) => insert(r) && removed(r)).length;
  if (both === 2) {
    const wrongTime = o.received.map(insert).find((m) => m?.virus.createdAt !== o.first.createdAt);
    if (wrongTime)
      return fail(id, title, {
        observed: `the INSERT of ${o.first.id} said createdAt ${show(wrongTime.virus.createdAt)}`,
        expected: `"${o.first.createdAt}", the item's own`,
        hint: "Post boardMessage(record): it reads createdAt from the record's NewImage.",
        todo: 6,
      });
    return pass(id, `${title} (2 boards, INSERT and REMOVE)`);
  }
  const endpoint = endpointProblem(o);
  if (endpoint) return fail(id, title, { ...endpoint, todo: 5 });
  const failed = o.runs?.find((r) => !r.ok);
  if (failed?.error && failed.error.errorType !== 'GoneException')
    return fail(id, title, {
      observed: `${o.pushFunction} failed: ${failed.error.errorType}: ${failed.error.errorMessage}`,
      expected: 'each batch of records pushed, and the invocation ending well',
      hint: `Its logs are in the check's trace (npm run dev shows them live); ${o.pushFunction} is in functions/pushVirus/handler.ts.`,
      todo: 6,
    });
  if (o.runs && o.runs.length === 0)
    return fail(id, title, {
      observed: `a virus was written and deleted, and the stream never invoked ${o.pushFunction}`,
      expected: `${o.pushFunction} invoked with the stream's records`,
      hint: "Check the stream event of pushVirus in serverless.ts: arn: { 'Fn::GetAtt': ['VirusTable', 'StreamArn'] }.",
      todo: 5,
    });
  if (both === 1)
    return fail(id, title, {
      observed: `only 1 of the 2 connected boards got the new virus and its kill`,
      expected: 'every connection of the table: 2 boards',
      hint: 'Post to every item of the Scan, not to the first one only: Promise.all(Items.map(...)).',
      todo: 6,
    });
  const odd = o.received.flat().find((m) => !isMessage(m));
  if (odd !== undefined)
    return fail(id, title, {
      observed: `a board received ${show(odd)}`,
      expected: `{ "type": "INSERT", "virus": { "id": "${o.first.id}", "createdAt": "…" } }`,
      hint: 'Post JSON.stringify(message), each message as boardMessage(record) made it.',
      todo: 6,
    });
  const inserts = o.received.filter((r) => insert(r)).length;
  return fail(id, title, {
    observed:
      inserts === 2
        ? `both boards got the new virus ${o.first.id}, and neither its kill`
        : `no board received anything for the new virus ${o.first.id}`,
    expected: 'an INSERT message, then a REMOVE message, on each board',
    hint:
      inserts === 2
        ? 'Push every record of the batch: boardMessage gives a REMOVE message for a kill, too.'
        : 'In functions/pushVirus/handler.ts, post each message to each connectionId of the table by sending connections() a PostToConnectionCommand for each one.',
    todo: 6,
  });
}

function gone(o: PushObservation): CheckResult {
  const id = GONE;
  const title = TITLES[id];
  const where = { todo: 6 };
  if (o.opened < 2) return skip(id, title, 'no board could connect (see above).');
  const crashed = o.runs?.find((r) => r.error?.errorType === 'GoneException');
  const pushed = o.received.some((r) => r.some((m) => isMessage(m) && m.virus.id === o.first.id));
  if (!crashed && !pushed) return skip(id, title, 'nothing reaches the boards yet (see above).');
  if (crashed)
    return fail(id, title, {
      observed: `PostToConnection to a connection that is gone (${o.staleId}) threw GoneException, and ${o.pushFunction} failed: Lambda retries the whole batch, and every change behind it waits`,
      expected: 'the gone connection deleted from the table, the other boards pushed to',
      hint: 'Catch GoneException around the posts to one connection and delete that connection from the table (Key: { connectionId }); let any other error through.',
      ...where,
    });
  if (!o.staleRemoved)
    return fail(id, title, {
      observed: `a connection that is gone (${o.staleId}) stayed in the connection table after a push`,
      expected: 'it deleted when PostToConnection answers GoneException',
      hint: 'When PostToConnection throws GoneException, delete that connection from the table (Key: { connectionId }): $disconnect does not always run.',
      ...where,
    });
  const missed = o.received.filter(
    (r) => !r.some((m) => isMessage(m) && m.type === 'INSERT' && m.virus.id === o.second.id),
  ).length;
  if (missed)
    return fail(id, title, {
      observed: `with a gone connection in the table, ${missed} of the 2 boards missed the new virus ${o.second.id}`,
      expected: 'every live board pushed to',
      hint: 'One gone board must not stop the others: handle GoneException per connection.',
      ...where,
    });
  return pass(id, title);
}

/** The endpoint pushVirus was deployed with, when it cannot be the @connections address of the stage. */
function endpointProblem(
  o: PushObservation,
): { observed: string; expected: string; hint: string } | undefined {
  if (!o.endpoint || !o.stage) return undefined;
  const m = /^https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\/[^/?#]*)?\/?$/i.exec(
    o.endpoint,
  );
  const expected = `https://{api}.execute-api.{region}.amazonaws.com/${o.stage}`;
  if (!m)
    return {
      observed: `${o.pushFunction}'s WEBSOCKET_ENDPOINT is ${o.endpoint}: not a WebSocket API's address`,
      expected,
      hint: "Build it in serverless.ts: 'Fn::Join' of 'https://', { Ref: 'WebsocketsApi' }, '.execute-api.', { Ref: 'AWS::Region' }, '.amazonaws.com/${sls:stage}'.",
    };
  if (m[2] !== `/${o.stage}`)
    return {
      observed: `${o.pushFunction}'s WEBSOCKET_ENDPOINT is ${o.endpoint}: ${m[2] ? `the stage is ${m[2].slice(1)}, not ${o.stage}` : `the stage (/${o.stage}) is missing`}, so @connections is not found there`,
      expected,
      hint: "End WEBSOCKET_ENDPOINT with the stage: '.amazonaws.com/${sls:stage}'. The @connections API answers under the stage, as the WebSocket does.",
    };
  return undefined;
}
