/**
 * The local cloud's catalogue: every resource type it deploys and every API action it serves,
 * read from the code itself. The resource types are the keys of a real cloud's providers
 * (each service's `<svc>Providers(deps)`); the APIs are each service's `<svc>Api`, exported by
 * its index.ts. A new service adds its provisioners to cloud.ts and its `<svc>Api` to
 * SERVICE_APIS below; `npm run docs:cloud` then rewrites the reference page's list
 * (docs/reference/local-cloud.md), and a test fails while page and code disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalCloud } from './cloud.ts';
import type { ApiCatalogue } from './gateway/api-catalogue.ts';
import { apigatewayApi } from './apigateway/index.ts';
import { dynamodbApi, dynamodbStreamsApi } from './dynamodb/index.ts';
import { eventsApi } from './events/index.ts';
import { lambdaApi } from './lambda/index.ts';
import { logsApi } from './logs/index.ts';
import { schedulerApi } from './scheduler/index.ts';
import { sqsApi } from './sqs/index.ts';
import { s3Api } from './s3/index.ts';
import { cloudformationApi } from './cloudformation/api.ts';
import { stepfunctionsApi } from './stepfunctions/index.ts';
import { stsApi } from './sts/index.ts';

export const SERVICE_APIS: ApiCatalogue[] = [
  lambdaApi,
  dynamodbApi,
  dynamodbStreamsApi,
  eventsApi,
  schedulerApi,
  stepfunctionsApi,
  apigatewayApi,
  sqsApi,
  s3Api,
  cloudformationApi,
  logsApi,
  stsApi,
];

export const CATALOGUE_PAGE = fileURLToPath(new URL('../docs/reference/local-cloud.md', import.meta.url));

/** The resource types a local cloud has providers for, sorted. */
export async function resourceTypes(): Promise<string[]> {
  const cloud = await LocalCloud.start();
  try {
    return Object.keys(cloud.providers).sort();
  } finally {
    await cloud.stop();
  }
}

/** The generated Markdown: resource types, then one row per service's API. */
export function catalogueBlock(types: string[], apis: ApiCatalogue[] = SERVICE_APIS): string {
  return [
    '**Resource types** (CloudFormation): ' + types.map((t) => `\`${t}\``).join(', ') + '.',
    '',
    '| service | protocol | actions |',
    '|---|---|---|',
    ...apis.map(
      (a) => `| ${a.service} | ${markdownCell(a.protocol)} | ${[...a.actions].sort().join(', ')} |`,
    ),
  ].join('\n');
}

/** Text for a table cell of the guide: `|` would end the cell and `<bucket>` open an HTML tag (VitePress compiles pages as Vue). */
function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page with its `<!-- catalogue -->` block brought up to date. */
export function renderCatalogue(page: string, block: string): string {
  const marker = /(<!-- catalogue -->\n)[\s\S]*?(<!-- \/catalogue -->)/;
  if (!marker.test(page))
    throw new Error(
      'docs/reference/local-cloud.md has no <!-- catalogue --> … <!-- /catalogue --> block: add one, then run npm run docs:cloud.',
    );
  return page.replace(marker, (_m, open: string, close: string) => `${open}${block}\n${close}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const block = catalogueBlock(await resourceTypes());
  writeFileSync(CATALOGUE_PAGE, renderCatalogue(readFileSync(CATALOGUE_PAGE, 'utf8'), block));
  console.log('docs/reference/local-cloud.md lists what the local cloud serves.');
}
