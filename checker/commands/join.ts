/**
 * `npm run join <url> -- --name NAME`: from now on each check reports to the instructor's
 * room (what it sends is said once, here). `npm run join -- --leave` stops it; `npm run join`
 * alone says which room this kit reports to.
 */
import pc from 'picocolors';
import { REPO_ROOT, UsageError } from '../core/repo.ts';
import { parseJoinUrl, readMembership, removeMembership, writeMembership } from '../room/membership.ts';
import { WHAT_IS_SENT } from '../room/payload.ts';
import type { JoinAnswer } from '../room/protocol.ts';
import { cleanName } from '../room/validate.ts';

export interface JoinArgs {
  url?: string;
  name?: string;
  leave?: boolean;
  root?: string;
  print?: (line: string) => void;
}

const EXAMPLE = 'npm run join http://192.168.1.5:4577/join/ABCD-EFGH -- --name "Your name"';
const JOIN_TIMEOUT_MS = 5000;

export async function join(args: JoinArgs = {}): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((line: string) => console.log(line));
  const current = readMembership(root);
  if (args.leave) return leave(root, print);
  if (!args.url) {
    if (!current)
      throw new UsageError(
        `You are in no room. Join one with the line the instructor shows, e.g. ${EXAMPLE}`,
      );
    print(
      `You are in the room at ${current.room} as ${pc.bold(current.name)}: each check sends it ${WHAT_IS_SENT}`,
    );
    print(pc.dim('To stop: npm run join -- --leave'));
    return 0;
  }
  const target = parseJoinUrl(args.url);
  if (!target)
    throw new UsageError(
      `"${args.url}" is not a room's join URL. It looks like http://192.168.1.5:4577/join/ABCD-EFGH: copy it from the instructor's screen.`,
    );
  if (args.name === undefined || typeof args.name !== 'string')
    throw new UsageError(`Say the name the instructor should see: ${EXAMPLE}`);
  let name: string;
  try {
    name = cleanName(args.name);
  } catch (err) {
    throw new UsageError(`--${(err as Error).message}`);
  }

  let res: Response;
  try {
    res = await fetch(`${target.room}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: target.code, name }),
      signal: AbortSignal.timeout(JOIN_TIMEOUT_MS),
    });
  } catch (err) {
    const why =
      (err as Error).name === 'TimeoutError'
        ? `no answer within ${JOIN_TIMEOUT_MS / 1000} s`
        : 'nothing answers there';
    throw new UsageError(
      `Could not reach the room at ${target.room} (${why}). Is it on this network, and is npm run room running with --host set to an address this laptop can reach?`,
    );
  }
  const body = (await res.json().catch(() => ({}))) as Partial<JoinAnswer> & { message?: string };
  if (res.status !== 201 || !body.secret || !body.learner)
    throw new UsageError(
      `The room refused to let you in (${res.status}): ${body.message ?? 'no reason given'}`,
    );
  writeMembership(root, {
    room: target.room,
    name: body.name ?? name,
    learner: body.learner,
    secret: body.secret,
    joinedAt: new Date().toISOString(),
  });
  if (current && current.room !== target.room) print(pc.dim(`You left the room at ${current.room}.`));
  print(pc.green(`✔ You joined the room at ${target.room} as ${pc.bold(body.name ?? name)}.`));
  print(`  From now on each npm run check (local or --aws) sends the room ${WHAT_IS_SENT}`);
  print(pc.dim('  To stop: npm run join -- --leave'));
  return 0;
}

async function leave(root: string, print: (line: string) => void): Promise<number> {
  const current = readMembership(root);
  if (!current) {
    print('You are in no room: checks report to nobody.');
    return 0;
  }
  // Best effort: a room that is gone has nothing left to forget.
  await fetch(`${current.room}/api/learner`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${current.secret}` },
    signal: AbortSignal.timeout(3000),
  }).catch(() => undefined);
  removeMembership(root);
  print(`You left the room at ${current.room}: checks no longer send it anything.`);
  return 0;
}
