/**
 * `npm run demo session-N [-- --aws --stage NAME]`: the demo of a session's opener, run
 * against the running local cloud (the one `npm start` or `npm run dev` runs, found in
 * .dojo/run/clouds/) or, with --aws, against the stage on AWS. Each step prints what it
 * shows, the AWS CLI (or curl) line that does it, for the room to copy, then what came back.
 * The steps are data: checker/sessions/session-N/demo.ts.
 */
import pc from 'picocolors';
import { runningClouds } from '../core/clouds.ts';
import {
  DemoError,
  demoClients,
  destroyDemoClients,
  runStep,
  type DemoStep,
  type DemoWorld,
} from '../core/demo.ts';
import { parseSessionId, REPO_ROOT, UsageError } from '../core/repo.ts';
import { exportLine } from './dev.ts';

export interface DemoArgs {
  session?: string;
  aws?: boolean;
  stage?: string;
  /** The repository whose .dojo/run/clouds/ lists the local cloud (default: this one). */
  root?: string;
  print?: (line: string) => void;
  /** How long a step waits for what an earlier one set off, in real seconds (default 20). */
  waitSeconds?: number;
  /** Where the steps keep the ids they make (tests read them). */
  kept?: Record<string, string>;
}

/** The service's name, as every session's serverless.ts has it. */
const SERVICE = 'dojo-serverless';

export async function loadDemo(id: string): Promise<DemoStep[]> {
  // A path esbuild can follow: the built CLI (checker/bin/cli-build.mjs) carries every session's demo.
  return ((await import(`../sessions/${id}/demo.ts`)) as { demo: DemoStep[] }).demo;
}

export async function demo(args: DemoArgs): Promise<number> {
  const root = args.root ?? REPO_ROOT;
  const print = args.print ?? ((line: string) => console.log(line));
  const id = parseSessionId(args.session);
  const steps = await loadDemo(id);
  let stage: string;
  let config: Parameters<typeof demoClients>[0];
  if (args.aws) {
    const { readGitIdentity, resolveStage } = await import('../aws/stage.ts');
    stage = resolveStage(args.stage, () => readGitIdentity(root));
    config = { region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'eu-west-1' };
    print(pc.dim(`# ${id} on AWS, stage ${stage}, region ${config.region}`));
  } else {
    const cloud = runningClouds(root)[0];
    if (!cloud)
      throw new UsageError(
        `No local cloud runs: start one with the session's solution, e.g. npm start -- --dir solutions/${id}, then npm run demo ${id} again (or add --aws for your stage on AWS).`,
      );
    stage = 'local';
    config = {
      region: cloud.region,
      endpoint: cloud.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    print(
      pc.dim(
        `# ${id} on the local cloud of ${cloud.command ?? 'npm run dev'} at ${cloud.endpoint}; first, in your terminal:`,
      ),
    );
    print(exportLine(cloud.endpoint, cloud.region));
  }
  const world: DemoWorld = {
    clients: demoClients(config),
    prefix: `${SERVICE}-${stage}-`,
    apiName: `${stage}-${SERVICE}`,
    kept: args.kept ?? {},
    waitMs: (args.waitSeconds ?? 20) * 1000,
  };
  try {
    for (const [i, step] of steps.entries()) {
      print('');
      print(pc.bold(`${i + 1}. ${step.say}`));
      const outcome = await runStep(step, world);
      for (const line of outcome.command.split('\n')) print(pc.cyan(`$ ${line}`));
      for (const line of outcome.result.split('\n')) print(pc.dim(`  ${line}`));
    }
    return 0;
  } catch (err) {
    if (!(err instanceof DemoError)) throw err;
    print(pc.red(`✖ ${err.message}`));
    return 1;
  } finally {
    destroyDemoClients(world.clients);
  }
}
