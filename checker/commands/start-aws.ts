/**
 * `npm start -- --aws`: the guide, and the board on the backend the learner deployed to AWS
 * (npm run deploy -- --aws). No local cloud: the board follows the stack's HTTP API itself,
 * polling GET /viruses (or what the stack's WebSocket API pushes, when it has one), and a
 * click kills through DELETE /viruses/{id}.
 */
import pc from 'picocolors';
import { defaultContext, type AwsContext } from '../aws/context.ts';
import { deployedApi } from '../aws/board-api.ts';
import { setUp } from '../aws/setup.ts';
import { GUIDE_PORT } from '../core/defaults.ts';
import { busyPort, portIsFree } from '../core/ports.ts';
import { backendDir } from '../core/repo.ts';
import { startGuide } from '../core/guide-process.ts';

export interface StartOnAwsOptions {
  dir?: string;
  /** The guide's port (default GUIDE_PORT). */
  docsPort?: number;
  print?: (line: string) => void;
  ctx?: AwsContext;
}

export async function startOnAws(options: StartOnAwsOptions): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const ctx = options.ctx ?? defaultContext();
  const { region, stage } = await setUp(ctx, { dir: options.dir ?? backendDir() });
  const api = await deployedApi(ctx, region.region, stage);
  if (!api) {
    print(
      pc.red(
        `✖ Nothing of yours with an HTTP API is deployed on AWS (stage ${stage}, ${region.region}), so the board has nothing to follow.`,
      ),
    );
    print(
      `  Deploy your backend/ first (session 2 or later has the API): ${pc.cyan('npm run deploy -- --aws')}, then ${pc.cyan('npm start -- --aws')} again.`,
    );
    return 1;
  }
  const docsPort = options.docsPort ?? GUIDE_PORT;
  if (!(await portIsFree(docsPort))) {
    print(busyPort(docsPort, 'guide'));
    return 1;
  }
  const guide = startGuide(docsPort);
  const base = (await guide.ready).replace(/\/$/, '');
  print('');
  print(pc.bold('Serverless Dojo is running, on AWS:'));
  print(`  Guide   ${pc.cyan(`${base}/`)}`);
  const ws = api.webSocket ? `&ws=${encodeURIComponent(api.webSocket)}` : '';
  print(`  Board   ${pc.cyan(`${base}/board?api=${encodeURIComponent(api.url)}${ws}`)}`);
  print(`  API     ${pc.cyan(api.url)} ${pc.dim(`(${api.stackName})`)}`);
  if (api.webSocket) {
    print(`  WebSocket ${pc.cyan(api.webSocket)}`);
    print(
      pc.dim(
        '  The board follows what your WebSocket API pushes (polling GET /viruses only while it is down); a click kills through DELETE /viruses/{id}.',
      ),
    );
  } else
    print(pc.dim('  The board polls GET /viruses of your API; a click kills through DELETE /viruses/{id}.'));
  print(
    pc.dim('  The stack runs, and costs, until npm run teardown -- --aws. Press Ctrl-C to stop the guide.'),
  );
  const code = await new Promise<number | null>((resolve) => {
    process.once('SIGINT', () => resolve(0));
    process.once('SIGTERM', () => resolve(0));
    void guide.exited.then(resolve);
  });
  await guide.stop();
  return code === 0 || code === null ? 0 : 1;
}
