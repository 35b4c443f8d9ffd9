/**
 * `npm run room [-- --host ADDRESS --port N --stuck-minutes N --guide URL --new]`: the
 * instructor's room. Prints the instructor's URL (with its token) and the line learners
 * type, then serves until Ctrl-C. The room is kept in .dojo/room/ so a restart keeps the
 * code, the token and everyone's progress; --new opens another.
 */
import { join } from 'node:path';
import pc from 'picocolors';
import { REPO_ROOT, UsageError } from '../core/repo.ts';
import { dojoDir } from '../core/session-files.ts';
import { lanAddresses } from '../room/addresses.ts';
import { DEFAULT_ROOM_PORT, DEFAULT_STUCK_MINUTES } from '../room/protocol.ts';
import { startRoom, type RunningRoom } from '../room/server.ts';
import { GUIDE_URL } from '../core/defaults.ts';
import { guideUrl } from '../core/guides.ts';

export interface RoomArgs {
  host?: string;
  port?: number;
  stuckMinutes?: number;
  guide?: string;
  fresh?: boolean;
  root?: string;
  print?: (line: string) => void;
  /** Resolves when the room should close (default: Ctrl-C or SIGTERM). */
  until?: (room: RunningRoom) => Promise<void>;
}

export async function room(args: RoomArgs = {}): Promise<number> {
  const print = args.print ?? ((line: string) => console.log(line));
  const port = args.port ?? DEFAULT_ROOM_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port takes a port number, e.g. --port ${DEFAULT_ROOM_PORT} (got ${args.port}).`);
  const stuckMinutes = args.stuckMinutes ?? DEFAULT_STUCK_MINUTES;
  if (!(stuckMinutes > 0))
    throw new UsageError(`--stuck-minutes takes a positive number of minutes (got ${args.stuckMinutes}).`);
  if (args.guide !== undefined && !/^https?:\/\/\S+$/.test(args.guide))
    throw new UsageError(`--guide takes the guide's address, e.g. --guide ${GUIDE_URL} (got ${args.guide}).`);
  let running: RunningRoom;
  try {
    running = await startRoom({
      host: args.host,
      port,
      stuckMinutes,
      // The guide that runs (npm start, on whichever port it got), unless one is named.
      guideUrl: args.guide ?? guideUrl(args.root ?? REPO_ROOT),
      fresh: args.fresh,
      stateFile: join(dojoDir(args.root ?? REPO_ROOT), 'room', 'room.json'),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      throw new UsageError(
        `Port ${port} is busy on ${args.host ?? '127.0.0.1'}: another npm run room? Choose another with npm run room -- --port ${port + 1}.`,
      );
    if (e.code === 'EADDRNOTAVAIL')
      throw new UsageError(
        `${args.host} is not an address of this machine. Its addresses: ${lanAddresses().join(', ') || 'none but 127.0.0.1'}.`,
      );
    throw err;
  }
  const lan = lanAddresses();
  print('');
  print(
    pc.bold(
      `The room is open${running.store.size ? ` (${running.store.size} learners from before; --new starts an empty room)` : ''}.`,
    ),
  );
  print(`  Instructor  ${pc.cyan(running.instructorUrl)}`);
  print(
    pc.dim(
      '              opens the room page of the guide (npm start or npm run docs:dev must be running); keep the token to yourself',
    ),
  );
  print(`  Learners    ${pc.bold(`npm run join ${running.joinUrl} -- --name "Your name"`)}`);
  print(`  Export      ${pc.cyan(`${running.url}/api/progress.csv?token=${running.store.token}`)}`);
  if (['127.0.0.1', '::1', 'localhost'].includes(args.host ?? '127.0.0.1')) {
    print(
      pc.yellow(`  Only this machine can join: the room listens on ${running.host}.`) +
        (lan.length ? ` For the room's laptops: ${pc.cyan(`npm run room -- --host ${lan[0]}`)}` : ''),
    );
  }
  print(
    pc.dim(
      `  Stuck means the same failing TODO for ${stuckMinutes} minutes or more (--stuck-minutes). Ctrl-C closes the room.`,
    ),
  );

  await (args.until ?? untilSignal)(running);
  await running.close();
  print(pc.dim('The room is closed; its state is kept in .dojo/room/ for the next npm run room.'));
  return 0;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
