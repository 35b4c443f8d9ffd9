import { describe, expect, it } from 'vitest';
import {
  approvalSummary,
  BoardState,
  type ExecutionItem,
  type InvocationItem,
} from '../../docs/.vitepress/theme/board/state.ts';
import { minuteRows, waitBins, waitMean } from '../../docs/.vitepress/theme/board/stats.ts';
import { virusLook } from '../../docs/.vitepress/theme/board/look.ts';
import { cloudUrlFrom, DEFAULT_CLOUD_URL } from '../../docs/.vitepress/theme/board/cloud-api.ts';
import type { TraceEntry, TraceKind } from '../../docs/.vitepress/theme/board/types.ts';

/** The board's reading of the trace, without a browser: entries in, viruses and timeline out. */
const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const TABLE = 'dojo-serverless-local-viruses';
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:dojo-serverless-local-virusCreation';

function trace() {
  let seq = 0;
  // Entries carry only the fields a test is about: the board reads what is there.
  return (kind: TraceKind, seconds: number, fields: Record<string, unknown> = {}) =>
    ({ seq: ++seq, time: T0 + seconds * 1000, kind, ...fields }) as TraceEntry;
}

const put = (id: string) => ({
  table: TABLE,
  op: 'PutItem',
  item: { id: { S: id }, createdAt: { S: new Date(T0).toISOString() } },
  function: 'dojo-serverless-local-createVirus',
});
const del = (id: string) => ({ table: TABLE, op: 'DeleteItem', key: { id: { S: id } } });

describe('the board state', () => {
  it('puts a virus on the board for each PutItem and takes it off for each DeleteItem', () => {
    const at = trace();
    const s = new BoardState();
    s.apply(at('stack.deploy', 0, { stack: 'dojo-serverless-local' }));
    s.apply(at('dynamodb.write', 1, put('a')));
    s.apply(at('dynamodb.write', 2, put('b')));
    s.apply(at('dynamodb.write', 3, { table: 'other-table', op: 'PutItem', item: { id: { S: 'c' } } }));
    expect(s.virusList().map((v) => v.id)).toEqual(['b', 'a']);
    s.apply(at('dynamodb.write', 4, del('a')));
    expect(s.virusList().map((v) => v.id)).toEqual(['b']);
    expect(s.arrivals).toEqual([T0 + 1000, T0 + 2000]);
    const writes = s.timelineNewestFirst().filter((i) => i.type === 'write');
    expect(writes[writes.length - 1]).toMatchObject({
      op: 'PutItem',
      table: 'viruses',
      id: 'a',
      fn: 'createVirus',
    });
  });

  it('takes the GET /viruses answer as the table, except what the trace said after the call left', () => {
    const at = trace();
    const s = new BoardState();
    s.apply(at('dynamodb.write', 1, put('old')));
    const asOf = s.lastSeq;
    s.apply(at('dynamodb.write', 2, put('new')));
    s.apply(at('dynamodb.write', 3, del('listed-but-killed')));
    s.mergeList([{ id: 'from-before' }, { id: 'listed-but-killed' }], asOf);
    expect(
      s
        .virusList()
        .map((v) => v.id)
        .sort(),
    ).toEqual(['from-before', 'new']);
  });

  it('groups an execution with its states, and counts one wait per execution', () => {
    const at = trace();
    const s = new BoardState();
    s.apply(at('stack.deploy', 0, { stack: 'dojo-serverless-local' }));
    const arn = `${MACHINE.replace(':stateMachine:', ':execution:')}:e1`;
    s.apply(at('sfn.execution.start', 60, { executionArn: arn, stateMachineArn: MACHINE, name: 'e1' }));
    const enter = at('sfn.state.enter', 60, { executionArn: arn, state: 'ChooseWaitTime', type: 'Task' });
    s.apply(enter);
    s.apply(
      at('sfn.state.exit', 60, {
        executionArn: arn,
        state: 'ChooseWaitTime',
        type: 'Task',
        output: { numberOfSeconds: 23 },
        enterSeq: enter.seq,
      }),
    );
    const wait = at('sfn.state.enter', 60, { executionArn: arn, state: 'WaitXSeconds', type: 'Wait' });
    s.apply(wait);
    s.apply(
      at('sfn.state.exit', 83, {
        executionArn: arn,
        state: 'WaitXSeconds',
        type: 'Wait',
        output: { numberOfSeconds: 23 },
        enterSeq: wait.seq,
      }),
    );
    s.apply(at('sfn.execution.end', 83, { executionArn: arn, name: 'e1', status: 'SUCCEEDED' }));
    const [execution] = s.timeline.filter((i): i is ExecutionItem => i.type === 'execution');
    expect(execution).toMatchObject({ machine: 'virusCreation', status: 'SUCCEEDED', endTime: T0 + 83_000 });
    expect(
      execution.states.map((st) => [
        st.name,
        st.exitTime === undefined ? undefined : (st.exitTime - st.enterTime) / 1000,
      ]),
    ).toEqual([
      ['ChooseWaitTime', 0],
      ['WaitXSeconds', 23],
    ]);
    expect(s.waitTotal).toBe(1);
    expect(s.waitCounts[23]).toBe(1);
  });

  it('measures the Wait state when nothing says how long it waits', () => {
    const at = trace();
    const s = new BoardState();
    const arn = 'arn:aws:states:eu-west-1:1:execution:m:e2';
    s.apply(
      at('sfn.execution.start', 0, {
        executionArn: arn,
        stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:m',
        name: 'e2',
      }),
    );
    const wait = at('sfn.state.enter', 0, { executionArn: arn, state: 'Pause', type: 'Wait' });
    s.apply(wait);
    s.apply(
      at('sfn.state.exit', 90, {
        executionArn: arn,
        state: 'Pause',
        type: 'Wait',
        output: {},
        enterSeq: wait.seq,
      }),
    );
    expect(s.waitCounts[61]).toBe(1);
    expect(waitBins(s.waitCounts).at(-1)).toEqual({ label: 'over 60 s', count: 1 });
  });

  it("attaches logs to their invocation, and keeps the board's own GET /viruses out unless it fails", () => {
    const at = trace();
    const s = new BoardState();
    s.apply(at('stack.deploy', 0, { stack: 'dojo-serverless-local' }));
    const start = at('invoke.start', 1, {
      function: 'dojo-serverless-local-createVirus',
      requestId: 'r1',
      source: 'sfn dojo-serverless-local-virusCreation CreateVirus',
    });
    s.apply(start);
    s.apply(
      at('log', 1, {
        function: 'dojo-serverless-local-createVirus',
        requestId: 'r1',
        level: 'INFO',
        message: 'virus created',
      }),
    );
    s.apply(at('invoke.end', 1, { requestId: 'r1', ok: true, durationMs: 12 }));
    for (const [id, ok] of [
      ['poll-ok', true],
      ['poll-ko', false],
    ] as const) {
      const req = at('http.request', 2, { method: 'GET', path: '/viruses' });
      s.apply(req);
      s.apply(
        at('invoke.start', 2, {
          function: 'dojo-serverless-local-listViruses',
          requestId: id,
          cause: req.seq,
          source: 'GET /viruses',
        }),
      );
      s.apply(at('log', 2, { requestId: id, level: 'ERROR', message: 'scan failed' }));
      s.apply(
        at('invoke.end', 2, {
          requestId: id,
          ok,
          error: ok ? undefined : { errorType: 'Error', errorMessage: 'scan failed' },
        }),
      );
    }
    const invocations = s.timeline.filter((i): i is InvocationItem => i.type === 'invocation');
    expect(invocations.map((i) => [i.fn, i.ok, i.source, i.logs.map((l) => l.message)])).toEqual([
      ['createVirus', true, 'state CreateVirus of virusCreation', ['virus created']],
      ['listViruses', false, 'GET /viruses', ['scan failed']],
    ]);
    expect(s.timeline.some((i) => i.type === 'http')).toBe(false);
  });

  it('lists task tokens until their state exits or their execution ends', () => {
    const at = trace();
    const s = new BoardState();
    const arn = 'arn:aws:states:eu-west-1:1:execution:m:e3';
    s.apply(
      at('sfn.execution.start', 0, {
        executionArn: arn,
        stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:m',
        name: 'e3',
      }),
    );
    const enter = at('sfn.state.enter', 0, { executionArn: arn, state: 'Approve', type: 'Task' });
    s.apply(enter);
    s.apply(
      at('sfn.task.token', 0, { cause: enter.seq, token: 't1', executionArn: arn, stateName: 'Approve' }),
    );
    // A retry issues a new token: only the newest can be answered.
    s.apply(
      at('sfn.task.token', 5, { cause: enter.seq, token: 't2', executionArn: arn, stateName: 'Approve' }),
    );
    expect([...s.approvals.keys()]).toEqual(['t2']);
    expect(s.approvals.get('t2')).toMatchObject({ execution: 'e3', stateName: 'Approve' });
    s.apply(
      at('sfn.state.exit', 9, { executionArn: arn, state: 'Approve', type: 'Task', enterSeq: enter.seq }),
    );
    expect(s.approvals.size).toBe(0);
    const enter2 = at('sfn.state.enter', 10, { executionArn: arn, state: 'Approve again', type: 'Task' });
    s.apply(enter2);
    s.apply(
      at('sfn.task.token', 10, {
        cause: enter2.seq,
        token: 't3',
        executionArn: arn,
        stateName: 'Approve again',
      }),
    );
    s.apply(at('sfn.execution.end', 11, { executionArn: arn, status: 'FAILED', error: 'Rejected' }));
    expect(s.approvals.size).toBe(0);
    expect(s.approvalsSeen).toBe(true);
  });

  it('keeps the timeline to its limits, newest first: one per origin, one in all', () => {
    const at = trace();
    const s = new BoardState({ timelineLimit: 3, timelineTotal: 4 });
    for (let i = 0; i < 5; i++)
      s.apply(at('schedule.fire', i * 60, { rule: `r${i}`, schedule: 'rate(1 minute)' }));
    expect(s.timelineNewestFirst().map((i) => (i.type === 'tick' ? i.rule : ''))).toEqual([
      'r4',
      'r3',
      'r2',
      'r1',
    ]);
  });

  it("at 60x, spreadVirus's flood does not push the lab's few entries out of the timeline", () => {
    const at = trace();
    const s = new BoardState({ timelineLimit: 50 });
    s.apply(
      at('stack.deploy', 0, { stack: 'dojo-serverless-local', resources: [], changes: [], warnings: [] }),
    );
    s.apply(
      at('sfn.execution.start', 1, {
        executionArn: `${MACHINE}:lab-1`
          .replace('stateMachine', 'execution')
          .replace('virusCreation', 'labAlert'),
        stateMachineArn: MACHINE.replace('virusCreation', 'labAlert'),
        name: 'lab-1',
        input: {},
      }),
    );
    for (let i = 0; i < 500; i++) {
      s.apply(
        at('invoke.start', 2 + i, {
          function: 'dojo-serverless-local-spreadVirus',
          requestId: `r${i}`,
          event: {},
        }),
      );
      s.apply(
        at('events.put', 2 + i, {
          caller: 'dojo-serverless-local-spreadVirus',
          bus: 'b',
          eventId: `e${i}`,
          source: 'dojo-serverless',
          detailType: 'VIRUS_CREATION_REQUESTED',
          detail: {},
        }),
      );
    }
    const items = s.timelineNewestFirst();
    expect(items.filter((i) => i.origin === 'spreadVirus')).toHaveLength(50);
    expect(items.find((i) => i.type === 'execution')).toMatchObject({
      machine: 'labAlert',
      origin: 'labAlert',
    });
    expect(s.timelineOrigins()).toEqual([
      { origin: 'spreadVirus', count: 50 },
      { origin: '', count: 1 },
      { origin: 'labAlert', count: 1 },
    ]);
  });

  it('caps the viruses drawn, saying how many more there are', () => {
    const at = trace();
    const s = new BoardState();
    for (let i = 0; i < 130; i++) s.apply(at('dynamodb.write', i, put(`v${i}`)));
    const { shown, more } = s.virusesShown(100);
    expect(shown).toHaveLength(100);
    expect(shown[0].id).toBe('v129');
    expect(more).toBe(30);
    expect(s.virusesShown(200).more).toBe(0);
  });

  it("leads an approval with the task's own fields, the token left out and the function last", () => {
    expect(
      approvalSummary(
        {
          FunctionName:
            'arn:aws:lambda:eu-west-1:123456789012:function:dojo-serverless-local-requestApproval',
          Payload: { token: 'AAAA', strength: 9, virusId: 'v-42' },
        },
        (n) => n.replace('dojo-serverless-local-', ''),
      ),
    ).toEqual({
      facts: [
        ['virusId', 'v-42'],
        ['strength', '9'],
      ],
      via: 'requestApproval',
    });
    // An event's Detail (events:putEvents.waitForTaskToken), as a JSON string.
    expect(
      approvalSummary({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{"token":"T","virus":"v-7"}' }] }),
    ).toEqual({ facts: [['virus', 'v-7']] });
  });
});

describe('the board helpers', () => {
  it('bins waits by 5 s and averages them', () => {
    const counts = new Array(62).fill(0);
    counts[1] = 2;
    counts[5] = 1;
    counts[60] = 1;
    const bins = waitBins(counts);
    expect(bins).toHaveLength(12);
    expect(bins[0]).toEqual({ label: '1–5 s', count: 3 });
    expect(bins[11]).toEqual({ label: '56–60 s', count: 1 });
    expect(waitMean(counts)).toBeCloseTo((2 + 5 + 60) / 4);
    expect(waitMean(new Array(62).fill(0))).toBeUndefined();
  });

  it('puts each arrival in its minute row at its second', () => {
    const rows = minuteRows([T0 + 5_000, T0 + 65_500, T0 - 600_000], T0 + 70_000, 3);
    expect(rows.map((r) => [new Date(r.start).toISOString().slice(11, 16), r.seconds])).toEqual([
      ['09:01', [5.5]],
      ['09:00', [5]],
      ['08:59', []],
    ]);
  });

  it('draws the same virus for the same id, inside the arena', () => {
    const ids = Array.from(
      { length: 200 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect(virusLook(ids[0])).toEqual(virusLook(ids[0]));
    for (const look of ids.map(virusLook)) {
      expect(look.x).toBeGreaterThanOrEqual(7);
      expect(look.x).toBeLessThanOrEqual(93);
      expect(look.y).toBeGreaterThanOrEqual(12);
      expect(look.y).toBeLessThanOrEqual(88);
    }
    // Spread: a quarter of the arena holds roughly a quarter of them.
    const leftTop = ids.map(virusLook).filter((l) => l.x < 50 && l.y < 50).length;
    expect(leftTop).toBeGreaterThan(25);
    expect(leftTop).toBeLessThan(80);
  });

  it('talks to ?cloud= when the address says so, to 4566 otherwise', () => {
    expect(cloudUrlFrom('')).toBe(DEFAULT_CLOUD_URL);
    expect(cloudUrlFrom('?cloud=http://127.0.0.1:4599/')).toBe('http://127.0.0.1:4599');
    expect(cloudUrlFrom('?cloud=javascript:alert(1)')).toBe(DEFAULT_CLOUD_URL);
  });
});
