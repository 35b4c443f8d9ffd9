/**
 * The template a check deploys in its AWS configuration: the session's shorter periods
 * (deployed-periods.ts) and the check-only resources the session asks for (a capture of the
 * bus: bus-capture.ts). Check-only resources go into the learner's own stack, so that the
 * stack's removal (osls remove, npm run teardown -- --aws) takes them too; each is marked in
 * its Metadata, which is how the AWS target finds the ones to add to the config osls deploys.
 */
import type { Template } from '../../emulator/index.ts';
import { withDeployedPeriods } from './deployed-periods.ts';
import type { SessionCheck } from './session-check.ts';

const CHECK_ONLY = 'dojo:check-only';

type Resources = Template['Resources'];

/** The template as the check's AWS configuration deploys it; `template` is left as it is. */
export function awsConfiguration(
  session: Pick<SessionCheck, 'periods' | 'checkResources'>,
  template: Template,
): Template {
  const periods = withDeployedPeriods(template, session.periods);
  const extra = session.checkResources?.(template) ?? {};
  const clash = Object.keys(extra).find((id) => id in template.Resources);
  if (clash)
    throw new Error(
      `The template already has a resource ${clash}, a name the check keeps for its own: rename yours in serverless.ts.`,
    );
  const marked = Object.fromEntries(
    Object.entries(extra).map(([id, r]) => [id, { ...r, Metadata: { ...r.Metadata, [CHECK_ONLY]: true } }]),
  );
  return { ...periods, Resources: { ...periods.Resources, ...marked } };
}

/** The check-only resources of a deployed template (what the AWS wrapper adds to the learner's config). */
export function checkResourcesOf(template: Template): Resources {
  return Object.fromEntries(
    Object.entries(template.Resources).filter(([, r]) => r.Metadata?.[CHECK_ONLY] === true),
  );
}
