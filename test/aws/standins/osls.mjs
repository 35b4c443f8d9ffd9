// A stand-in for osls in tests of --aws (there is no AWS here): the CLI runs it instead of
// osls when DOJO_OSLS_BIN names it. It logs every call as a JSON line to DOJO_STANDIN_LOG,
// and plays `deploy` and `remove` against the CloudFormation stand-in (DOJO_STANDIN_CFN):
//
//   deploy   loads the --config wrapper (as osls would: it proves the tags are there),
//            registers the stack, prints progress for DOJO_STANDIN_DEPLOY_MS (default 0)
//            and marks it complete; logs "killed" when stopped by a signal meanwhile.
//   remove   reads serverless.json, deletes the stack, or says it does not exist the way
//            osls does (exit 1) when it is not there.
//
// DOJO_STANDIN_FAIL=deploy|remove makes that command fail.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const args = process.argv.slice(2);
const command = args[0];
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const stage = option('stage');
const region = option('region');
const env = process.env;
const say = (line) => process.stdout.write(`${line}\n`);
const log = (entry) => {
  if (env.DOJO_STANDIN_LOG)
    appendFileSync(
      env.DOJO_STANDIN_LOG,
      `${JSON.stringify({ command, stage, region, pid: process.pid, at: Date.now(), ...entry })}\n`,
    );
};

function cfn(method, path, body) {
  if (!env.DOJO_STANDIN_CFN) return Promise.resolve(204);
  return new Promise((resolve, reject) => {
    const req = request(
      `${env.DOJO_STANDIN_CFN}${path}`,
      { method, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log({ event: 'killed', signal });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

if (command === 'deploy') {
  const config = option('config');
  const loaded = config ? createRequire(join(process.cwd(), 'x.cjs'))(join(process.cwd(), config)) : {};
  const service = typeof loaded.service === 'string' ? loaded.service : 'dojo-serverless';
  const stackName = `${service}-${stage}`;
  const stackTags = loaded.provider?.stackTags ?? {};
  log({ event: 'start', stackName, config, stackTags, cwd: process.cwd() });
  say(`Deploying ${service} to stage ${stage} (${region})`);
  await cfn('POST', '/_standin/stacks', {
    stackName,
    status: 'CREATE_IN_PROGRESS',
    tags: stackTags,
    outputs: { HttpApiUrl: `https://standin.execute-api.${region}.amazonaws.com` },
  });
  const deployMs = Number(env.DOJO_STANDIN_DEPLOY_MS ?? 0);
  const end = Date.now() + deployMs;
  let n = 0;
  while (Date.now() < end) {
    say(`CREATE_IN_PROGRESS - AWS::Lambda::Function - Resource${++n}`);
    await sleep(Math.min(200, end - Date.now()));
  }
  if (env.DOJO_STANDIN_FAIL === 'deploy') {
    await cfn('POST', '/_standin/stacks', { stackName, status: 'ROLLBACK_COMPLETE' });
    say(`✖ Stack ${stackName} failed to deploy (1s)`);
    say(
      'Error:\nCREATE_FAILED: VirusTable (AWS::DynamoDB::Table)\nResource handler returned message: "stand-in failure"',
    );
    log({ event: 'failed', stackName });
    process.exit(1);
  }
  await cfn('POST', '/_standin/stacks', { stackName, status: 'CREATE_COMPLETE' });
  say(`✔ Service deployed to stack ${stackName} (1s)`);
  log({ event: 'done', stackName });
} else if (command === 'remove') {
  const file = join(process.cwd(), 'serverless.json');
  const config = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const stackName = config.provider?.stackName ?? `${config.service}-${stage}`;
  log({ event: 'start', stackName, service: config.service });
  say(`Removing ${config.service} from stage ${stage} (${region})`);
  await sleep(Number(env.DOJO_STANDIN_REMOVE_MS ?? 0));
  if (env.DOJO_STANDIN_FAIL === 'remove') {
    say(
      `✖ Stack ${stackName} failed to remove\nError:\nDELETE_FAILED: ServerlessDeploymentBucket (AWS::S3::Bucket)\nThe bucket you tried to delete is not empty`,
    );
    process.exit(1);
  }
  const status = await cfn('DELETE', `/_standin/stacks/${encodeURIComponent(stackName)}`);
  if (status === 404) {
    say(`Error:\nStack with id ${stackName} does not exist`);
    log({ event: 'missing', stackName });
    process.exit(1);
  }
  say(`✔ Service ${config.service} has been successfully removed (1s)`);
  log({ event: 'done', stackName });
} else {
  log({ event: 'unknown' });
  say(`The osls stand-in does not play "${command}".`);
  process.exit(2);
}
