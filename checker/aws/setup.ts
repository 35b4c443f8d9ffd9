/**
 * The start of every --aws command that talks to AWS: the region, the learner's stage and
 * whose credentials these are, printed so that the learner can read them before anything
 * happens (deploying to the wrong account is the expensive mistake).
 */
import { REPO_ROOT } from '../core/repo.ts';
import type { AwsContext } from './context.ts';
import { describeTarget, resolveRegion, whoAmI, type Identity, type Region } from './preflight.ts';
import { readGitIdentity, resolveStage } from './stage.ts';

export interface AwsSetup {
  region: Region;
  stage: string;
  identity: Identity;
}

export async function setUp(ctx: AwsContext, options: { dir?: string; stage?: string }): Promise<AwsSetup> {
  const stage = resolveStage(options.stage, () => readGitIdentity(REPO_ROOT));
  const region = await resolveRegion(options.dir);
  const identity = await whoAmI(region.region);
  ctx.print(describeTarget(identity, region, stage));
  return { region, stage, identity };
}
