/**
 * The two ports a learner's machine needs free (the local cloud's, the guide's): whether one
 * is, and, when it is not, who holds it and what to do. `npm start` refuses a busy port with
 * this explanation and `npm run doctor` reports it in the same words, so they never disagree.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import pc from 'picocolors';
import { CLOUD_PORT, GUIDE_PORT } from './defaults.ts';

export type PortUse = 'cloud' | 'guide';

/** What listens on each port when the dojo runs, for messages. */
export const PORT_USES: Record<PortUse, { what: string; option: string; default: number }> = {
  cloud: { what: 'the local cloud', option: '--port', default: CLOUD_PORT },
  guide: { what: 'the guide', option: '--docs-port', default: GUIDE_PORT },
};

/** True when nothing listens on the port, on IPv4 or IPv6 loopback (Vite listens on either). */
export async function portIsFree(port: number): Promise<boolean> {
  for (const host of ['127.0.0.1', '::1']) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'EADDRINUSE'));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}

/** Who may hold a busy port, and how to choose another: the lines after "✖ Port N is busy". */
export function busyPortAdvice(port: number, use: PortUse): string[] {
  const holder = portHolder(port);
  const { option } = PORT_USES[use];
  return [
    holder ? `It is held by ${holder}.` : '',
    use === 'cloud'
      ? `Another npm start or npm run dev is probably running (look in your other terminals)${port === CLOUD_PORT ? ', or LocalStack, which uses the same port' : ''}.`
      : `Another npm start or npm run docs:dev is probably running (look in your other terminals)${port === GUIDE_PORT ? ', or another Vite app' : ''}.`,
    `Stop it, or choose another port: ${pc.cyan(`npm start -- ${option} ${port + 1}`)}`,
  ].filter(Boolean);
}

/** Why a port is busy, who may hold it, and how to choose another. */
export function busyPort(port: number, use: PortUse): string {
  return [
    pc.red(`✖ Port ${port} is busy, so ${PORT_USES[use].what} cannot listen on it.`),
    ...busyPortAdvice(port, use).map((l) => `  ${l}`),
  ].join('\n');
}

/** Best effort: `lsof` names the process on macOS and most Linux machines; silence otherwise. */
function portHolder(port: number): string | undefined {
  try {
    const r = spawnSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], {
      encoding: 'utf8',
      timeout: 2000,
    });
    if (r.status !== 0 || !r.stdout) return undefined;
    const pid = /^p(\d+)$/m.exec(r.stdout)?.[1];
    const command = /^c(.+)$/m.exec(r.stdout)?.[1];
    return pid ? `${command ?? 'a process'} (pid ${pid})` : undefined;
  } catch {
    return undefined;
  }
}
