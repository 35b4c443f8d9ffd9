/**
 * What osls deploys and removes on AWS, prepared under the dojo's state folder (.dojo/aws/):
 *
 * - a snapshot of the service folder with a wrapper config that adds the dojo's tags. The
 *   learner's files stay untouched, the deploy does not write the stage's template over the
 *   local check's cached one in `.serverless/`, and editing during a long check is safe.
 * - for removal, a config of a few lines naming the stack: removing never depends on the
 *   learner's code still compiling.
 *
 * Both live inside the repository so that osls finds its plugins in the root node_modules.
 */
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { deployedPeriodsSource, type DeployedPeriod } from '../core/deployed-periods.ts';
import { UsageError } from '../core/repo.ts';
import type { Template } from '../../emulator/index.ts';

export const WRAPPER = 'serverless.dojo-aws.cjs';
export const DOJO_TAG = 'dojo';
export const DOJO_TAG_VALUE = 'serverless-dojo';
export const STAGE_TAG = 'dojo:stage';
export const SERVICE_TAG = 'dojo:service';

const BUILD_OUTPUT = /(^|\/)(\.serverless|\.esbuild|node_modules|\.dojo)(\/|$)/;
const require = createRequire(import.meta.url);

export function dojoTags(stage: string): Record<string, string> {
  return { [DOJO_TAG]: DOJO_TAG_VALUE, [STAGE_TAG]: stage };
}

/** What a check's AWS configuration changes in the config osls deploys. */
export interface CheckConfiguration {
  /** Set in the deployed state machines. */
  periods?: DeployedPeriod[];
  /** Added to the stack's resources (the check's own, removed with the stack). */
  resources?: Template['Resources'];
}

/**
 * Copies `dir` to `into` (replacing what was there) and writes the wrapper config; returns
 * `into`. A check's AWS configuration sets its periods and adds its resources.
 */
export function prepareSnapshot(
  dir: string,
  into: string,
  stage: string,
  configuration: CheckConfiguration = {},
): string {
  if (!existsSync(join(dir, 'serverless.ts'))) {
    throw new UsageError(
      `${dir} has no serverless.ts: --aws deploys a service written in serverless.ts. Point --dir at the folder that holds it.`,
    );
  }
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  cpSync(dir, into, { recursive: true, filter: (src) => !BUILD_OUTPUT.test(relative(dir, src)) });
  // A service with dependencies of its own keeps them.
  if (existsSync(join(dir, 'node_modules')))
    symlinkSync(join(dir, 'node_modules'), join(into, 'node_modules'), 'dir');
  writeFileSync(join(into, WRAPPER), wrapperSource(stage, configuration));
  return into;
}

/**
 * osls's own way to load serverless.ts (tsx's require), then the tags on top: stackTags tag
 * the stack (CloudFormation passes them on to what it creates), tags the functions, state
 * machines and API. Tags the learner set stay; ours win on the dojo's own keys.
 */
export function wrapperSource(
  stage: string,
  { periods = [], resources = {} }: CheckConfiguration = {},
): string {
  const tsx = require.resolve('tsx/cjs/api');
  return `// Written by the dojo for --aws: the service's serverless.ts, with the dojo's tags added.
const { require: load } = require(${JSON.stringify(tsx)});
const loaded = load('./serverless.ts', __filename);
const config = loaded.default || loaded;
${deployedPeriodsSource(periods)}${checkResourcesSource(resources)}const service = typeof config.service === 'string' ? config.service : config.service && config.service.name;
const tags = { ...${JSON.stringify(dojoTags(stage))}, ${JSON.stringify(SERVICE_TAG)}: String(service) };
const provider = config.provider || {};
module.exports = { ...config, provider: { ...provider, stackTags: { ...provider.stackTags, ...tags }, tags: { ...provider.tags, ...tags } } };
`;
}

/** The check-only resources, added to the config's own (osls merges resources.Resources into the stack's template). */
function checkResourcesSource(resources: Template['Resources']): string {
  if (Object.keys(resources).length === 0) return '';
  return `// The check's own resources (its AWS configuration), removed with the stack.
config.resources = { ...config.resources, Resources: { ...(config.resources && config.resources.Resources), ...${JSON.stringify(resources)} } };
`;
}

export interface StackRef {
  stackName: string;
  service: string;
  stage: string;
  region: string;
}

/** A folder with the smallest config osls needs to remove `stack`; returns the folder. */
export function prepareRemoval(stack: StackRef, into: string): string {
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  const config = {
    service: stack.service,
    provider: { name: 'aws', stage: stack.stage, region: stack.region, stackName: stack.stackName },
  };
  writeFileSync(join(into, 'serverless.json'), `${JSON.stringify(config, null, 2)}\n`);
  return into;
}
