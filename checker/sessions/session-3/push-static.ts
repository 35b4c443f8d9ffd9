/**
 * The static checks of session 3's bonus part (TODOs 4 and 5), read from the template: a
 * WebSocket API whose $connect and $disconnect keep a connection table, and a stream on the
 * virus table that invokes a function. Until the template has a WebSocket API or a stream,
 * the bonus is "not tried yet": skipped, never a ✖.
 */
import type { Template } from '../../../emulator/index.ts';
import { fail, pass, skip, type CheckResult } from '../../core/result.ts';
import { referencedIds } from '../../core/template.ts';
import { pushPart, shortFunction, type PushPart } from './push-part.ts';

const CONNECT = "{ websocket: { route: '$connect' } }";
const DISCONNECT = "{ websocket: { route: '$disconnect' } }";
const STREAM_EVENT = "{ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['VirusTable', 'StreamArn'] } } }";
/** The view types whose INSERT records carry the new item (NewImage), and so its createdAt. */
const WITH_NEW_IMAGE = ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES'];

/** Whether the learner has started the bonus: a WebSocket API, a stream, or a mapping on it. */
export function triedBonus(part: PushPart): boolean {
  return Boolean(part.api || part.viewType || part.mapping);
}

export function pushStaticChecks(template: Template): CheckResult[] {
  const part = pushPart(template);
  // One line for a bonus not tried: its other checks would only repeat it.
  if (!triedBonus(part))
    return [
      skip(
        's3.ws-routes',
        'Bonus: the board follows over a WebSocket',
        'not tried yet (TODOs 4 to 6, a bonus): without a WebSocket API the board polls GET /viruses.',
      ),
    ];
  return [routesCheck(template, part), streamCheck(template, part)];
}

function routesCheck(template: Template, part: PushPart): CheckResult {
  const id = 's3.ws-routes';
  const title = 'Bonus: a WebSocket API whose $connect and $disconnect keep the connection table';
  const where = { todo: 4 };
  if (!part.api)
    return skip(
      id,
      title,
      'not tried yet (TODO 4, a bonus): without a WebSocket API the board polls GET /viruses.',
    );
  const connect = part.routes.get('$connect');
  const disconnect = part.routes.get('$disconnect');
  if (!connect)
    return fail(id, title, {
      observed: 'the WebSocket API has no $connect route to a function',
      expected: `a function connect with the event ${CONNECT}`,
      hint: `Give connect the event ${CONNECT}: it runs when a board connects, and remembers its connection id.`,
      ...where,
    });
  if (!disconnect)
    return fail(id, title, {
      observed:
        'the WebSocket API has no $disconnect route: a board that leaves stays in the connection table, and every push to it meets GoneException',
      expected: `a function disconnect with the event ${DISCONNECT}`,
      hint: `Give disconnect the event ${DISCONNECT}; its handler deletes the connection from the table.`,
      ...where,
    });
  const table = part.connectionTable;
  if (!table)
    return fail(id, title, {
      observed: `${shortFunction(template, connect)} is not given a connection table in its environment`,
      expected: "CONNECTION_TABLE_NAME: { Ref: 'ConnectionTable' }",
      hint: "Give connect and disconnect environment: { CONNECTION_TABLE_NAME: { Ref: 'ConnectionTable' } } (the connections have a table of their own, not the viruses').",
      ...where,
    });
  const variables = template.Resources[disconnect]?.Properties?.Environment?.Variables ?? {};
  if (!referencedIds(Object.values(variables)).includes(table.logicalId))
    return fail(id, title, {
      observed: `${shortFunction(template, disconnect)} is not given ${table.logicalId} in its environment: it cannot delete what ${shortFunction(template, connect)} put there`,
      expected: `CONNECTION_TABLE_NAME: { Ref: '${table.logicalId}' }`,
      hint: `Give disconnect environment: { CONNECTION_TABLE_NAME: { Ref: '${table.logicalId}' } }, as connect has.`,
      ...where,
    });
  return pass(
    id,
    `Bonus: a WebSocket API: $connect → ${shortFunction(template, connect)}, $disconnect → ${shortFunction(template, disconnect)}, connections in ${table.logicalId}`,
  );
}

function streamCheck(template: Template, part: PushPart): CheckResult {
  const id = 's3.stream';
  const title = "Bonus: the virus table's stream invokes pushVirus";
  const where = { todo: 5 };
  if (!part.viewType)
    return fail(id, title, {
      observed: 'VirusTable has no stream (no StreamSpecification)',
      expected: "StreamSpecification: { StreamViewType: 'NEW_IMAGE' }",
      hint: "In resources/dynamodb.ts, give VirusTable StreamSpecification: { StreamViewType: 'NEW_IMAGE' }: every write of the table then becomes a record for pushVirus.",
      ...where,
    });
  if (!WITH_NEW_IMAGE.includes(part.viewType))
    return fail(id, title, {
      observed: `VirusTable's stream is ${part.viewType}: an INSERT record carries no NewImage, so the board gets no createdAt`,
      expected: "StreamViewType 'NEW_IMAGE' (or 'NEW_AND_OLD_IMAGES')",
      hint: `${part.viewType === 'KEYS_ONLY' ? 'KEYS_ONLY gives the key alone' : 'OLD_IMAGE gives the item as it was before the write, nothing for a new one'}: use StreamViewType 'NEW_IMAGE'.`,
      ...where,
    });
  const mapping = part.mapping;
  if (!mapping?.functionId)
    return fail(id, title, {
      observed: "no function reads the virus table's stream (no event source mapping on it)",
      expected: `pushVirus with the event ${STREAM_EVENT}`,
      hint: `Declare pushVirus in serverless.ts with events: [${STREAM_EVENT}].`,
      ...where,
    });
  const fn = shortFunction(template, mapping.functionId);
  if (mapping.resource.Properties?.Enabled === false)
    return fail(id, title, {
      observed: `the stream's mapping to ${fn} is disabled: no record reaches it`,
      expected: 'Enabled: true',
      hint: 'Remove enabled: false from the stream event.',
      ...where,
    });
  const variables = template.Resources[mapping.functionId]?.Properties?.Environment?.Variables ?? {};
  if (
    !variables.WEBSOCKET_ENDPOINT ||
    !referencedIds(variables.WEBSOCKET_ENDPOINT).includes(part.api?.logicalId ?? '')
  )
    return fail(id, title, {
      observed: variables.WEBSOCKET_ENDPOINT
        ? `${fn}'s WEBSOCKET_ENDPOINT does not name the WebSocket API (${part.api?.logicalId ?? 'none in serverless.ts'})`
        : `${fn} has no WEBSOCKET_ENDPOINT in its environment: a stream record does not say where the boards are`,
      expected: 'https://{api}.execute-api.{region}.amazonaws.com/{stage}',
      hint: "Give pushVirus WEBSOCKET_ENDPOINT: { 'Fn::Join': ['', ['https://', { Ref: 'WebsocketsApi' }, '.execute-api.', { Ref: 'AWS::Region' }, '.amazonaws.com/${sls:stage}']] }.",
      ...where,
    });
  return pass(id, `Bonus: VirusTable's stream (${part.viewType}) invokes ${fn}`);
}
