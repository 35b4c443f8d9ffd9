/**
 * An in-process stand-in for osls: records every call (command, stage, region, folder, and
 * whether the marker file existed at that moment), and plays deploy and remove against the
 * CloudFormation stand-in. A test can replace either command's behaviour.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OslsResult, OslsRun, OslsRunner } from '../../../checker/aws/osls.ts';
import { markerPath } from '../../../checker/aws/markers.ts';
import type { CloudFormationStandIn } from './cloudformation-standin.ts';

export interface StandInCall {
  command: string;
  stage?: string;
  region?: string;
  cwd: string;
  args: string[];
  detached?: boolean;
  /** Did .dojo/aws-deployed.json exist when osls was called? (It must, before a deploy.) */
  markerExisted: boolean;
}

export type Behaviour = (run: OslsRun, call: StandInCall) => Promise<OslsResult>;

export function standInRunner(options: {
  cfn: CloudFormationStandIn;
  stateDir: string;
  deploy?: Behaviour;
  remove?: Behaviour;
}): OslsRunner & { calls: StandInCall[] } {
  const calls: StandInCall[] = [];
  const option = (args: string[], name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const defaults: Record<string, Behaviour> = {
    async deploy(run, call) {
      const stackName = `dojo-serverless-${call.stage}`;
      run.onLine?.(`Deploying dojo-serverless to stage ${call.stage}`);
      options.cfn.put({
        stackName,
        tags: { dojo: 'serverless-dojo', 'dojo:stage': call.stage ?? '' },
        outputs: { HttpApiUrl: `https://standin.execute-api.${call.region}.amazonaws.com/` },
      });
      return { code: 0, output: `✔ Service deployed to stack ${stackName}` };
    },
    async remove(run) {
      const config = JSON.parse(readFileSync(join(run.cwd, 'serverless.json'), 'utf8')) as {
        provider: { stackName: string };
      };
      const name = config.provider.stackName;
      if (!options.cfn.stacks.delete(name))
        return { code: 1, output: `Error:\nStack with id ${name} does not exist` };
      return { code: 0, output: `✔ Service has been successfully removed` };
    },
  };
  return {
    calls,
    async run(run) {
      const call: StandInCall = {
        command: run.args[0],
        stage: option(run.args, 'stage'),
        region: option(run.args, 'region'),
        cwd: run.cwd,
        args: run.args,
        detached: run.detached,
        markerExisted: existsSync(markerPath(options.stateDir)),
      };
      calls.push(call);
      const behaviour =
        (call.command === 'deploy'
          ? options.deploy
          : call.command === 'remove'
            ? options.remove
            : undefined) ?? defaults[call.command];
      if (!behaviour) return { code: 2, output: `The stand-in does not play ${call.command}` };
      return behaviour(run, call);
    },
  };
}
