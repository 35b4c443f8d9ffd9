/**
 * The room trusts nothing it is sent: each field is checked for type and size, and a bad
 * report is refused whole with a message saying which field is wrong. What passes is
 * exactly a RoomReport (unknown fields are dropped).
 */
import {
  LIMITS,
  ROOM_SESSIONS,
  type CheckStatus,
  type JoinRequest,
  type ReportedCheck,
  type RoomReport,
} from './protocol.ts';

export class RoomInputError extends Error {
  name = 'RoomInputError';
  constructor(
    message: string,
    /** The HTTP status that says it: 400, or 413 for a body too large. */
    readonly status = 400,
  ) {
    super(message);
  }
}

const STATUSES: readonly CheckStatus[] = ['pass', 'fail', 'warn', 'skip'];

export function parseJoin(body: unknown): JoinRequest {
  const o = object(body, 'the join request');
  return { code: text(o.code, 'code', 64), name: cleanName(o.name) };
}

/** A learner's name as the room keeps it: trimmed, no control characters, 1 to 40 characters. */
export function cleanName(value: unknown): string {
  if (typeof value !== 'string')
    throw new RoomInputError('name: a string is required (npm run join <url> -- --name "Your name").');
  const name = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!name) throw new RoomInputError('name: it is empty; give the name the instructor should see.');
  if ([...name].length > LIMITS.nameChars)
    throw new RoomInputError(`name: at most ${LIMITS.nameChars} characters (got ${[...name].length}).`);
  return name;
}

export function parseReport(body: unknown): RoomReport {
  const o = object(body, 'the report');
  const session = text(o.session, 'session', 20);
  if (!(ROOM_SESSIONS as readonly string[]).includes(session))
    throw new RoomInputError(`session: "${session}" is not one of ${ROOM_SESSIONS.join(', ')}.`);
  if (typeof o.ok !== 'boolean') throw new RoomInputError('ok: true or false is required.');
  if (o.target !== 'local' && o.target !== 'aws')
    throw new RoomInputError('target: "local" or "aws" is required.');
  const kit = text(o.kit, 'kit', LIMITS.kitChars);
  const durations = object(o.durations ?? {}, 'durations');
  const stages = Object.entries(durations);
  if (stages.length > LIMITS.durations)
    throw new RoomInputError(`durations: at most ${LIMITS.durations} stages (got ${stages.length}).`);
  const cleanDurations: Record<string, number> = {};
  for (const [stage, ms] of stages) {
    if (!/^[a-z][a-z0-9-]{0,19}$/i.test(stage))
      throw new RoomInputError(`durations: "${stage.slice(0, 30)}" is not a stage name.`);
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
      throw new RoomInputError(`durations.${stage}: a number of milliseconds is required.`);
    cleanDurations[stage] = Math.round(ms);
  }
  if (!Array.isArray(o.checks)) throw new RoomInputError('checks: a list is required.');
  if (o.checks.length > LIMITS.checks)
    throw new RoomInputError(`checks: at most ${LIMITS.checks} (got ${o.checks.length}).`);
  const checks = o.checks.map((c, i) => parseCheck(c, `checks[${i}]`));
  return { session, ok: o.ok, target: o.target, kit, durations: cleanDurations, checks };
}

function parseCheck(value: unknown, where: string): ReportedCheck {
  const c = object(value, where);
  const status = c.status as CheckStatus;
  if (!STATUSES.includes(status))
    throw new RoomInputError(`${where}.status: one of ${STATUSES.join(', ')} is required.`);
  const check: ReportedCheck = {
    id: text(c.id, `${where}.id`, LIMITS.idChars),
    title: text(c.title, `${where}.title`, LIMITS.titleChars),
    status,
  };
  if (c.todo !== undefined) {
    if (!Number.isInteger(c.todo) || (c.todo as number) < 1 || (c.todo as number) > 99)
      throw new RoomInputError(`${where}.todo: a TODO number from 1 to 99 is required.`);
    check.todo = c.todo as number;
  }
  if (c.hint !== undefined) check.hint = text(c.hint, `${where}.hint`, LIMITS.hintChars);
  return check;
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new RoomInputError(`${what}: a JSON object is required.`);
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new RoomInputError(`${field}: a non-empty string is required.`);
  if (value.length > max)
    throw new RoomInputError(`${field}: at most ${max} characters (got ${value.length}).`);
  return value;
}
