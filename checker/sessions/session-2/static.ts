/** Static checks for session 2, on the template `osls package` produced. */
import type { Template } from '../../../emulator/index.ts';
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip } from '../../core/result.ts';
import type { StaticContext } from '../../core/session-check.ts';
import { lambdaFor, referencedIds, resourcesOfType, show } from '../../core/template.ts';
import { permissionCheck } from '../session-1/table.ts';
import { GUIDE_URL } from '../../core/defaults.ts';

/** The board's origin when it runs locally (`npm start`): the guide's. */
export const BOARD_ORIGIN = GUIDE_URL;

export interface ExpectedRoute {
  id: string;
  method: string;
  path: string;
  fn: string;
  todo: number;
}

export const ROUTES: ExpectedRoute[] = [
  { id: 's2.route-get', method: 'GET', path: '/viruses', fn: 'listViruses', todo: 1 },
  { id: 's2.route-post', method: 'POST', path: '/viruses', fn: 'spawnVirus', todo: 2 },
  { id: 's2.route-delete', method: 'DELETE', path: '/viruses/{id}', fn: 'killVirus', todo: 2 },
];

export interface RouteSeen {
  routeKey: string;
  /** Logical id of the Lambda behind the route, when the integration leads to one. */
  lambdaId?: string;
  /** The function's name as in serverless.ts (the last part of its FunctionName). */
  fn?: string;
}

/** Every route of the HTTP API, with the function its integration invokes. */
export function routesOf(template: Template): RouteSeen[] {
  return resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map((route) => {
    const integrationId = referencedIds(route.Properties?.Target)[0];
    const integration = integrationId ? template.Resources[integrationId] : undefined;
    const lambdaId = referencedIds(integration?.Properties?.IntegrationUri)[0];
    const name = lambdaId ? template.Resources[lambdaId]?.Properties?.FunctionName : undefined;
    return {
      routeKey: String(route.Properties?.RouteKey ?? ''),
      lambdaId,
      fn: typeof name === 'string' ? name.split('-').pop() : undefined,
    };
  });
}

export function hasRoute(template: Template, r: ExpectedRoute): boolean {
  return routeCheck(template, r).status === 'pass';
}

export function staticChecks({ template }: StaticContext): CheckResult[] {
  return [
    ...ROUTES.map((r) => routeCheck(template, r)),
    permissionCheck(template, {
      id: 's2.permission',
      title:
        'The functions may put, scan and delete viruses (dynamodb:PutItem, Scan, DeleteItem on the table)',
      actions: ['dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:DeleteItem'],
      todo: 3,
    }),
    corsCheck(template),
  ];
}

function routeCheck(template: Template, r: ExpectedRoute): CheckResult {
  const key = `${r.method} ${r.path}`;
  const title = `${key} goes to ${r.fn}`;
  const where = { todo: r.todo };
  const snippet = `events: [{ httpApi: { method: '${r.method}', path: '${r.path}' } }]`;
  const lambda = lambdaFor(template, r.fn);
  if (!lambda)
    return fail(r.id, title, {
      observed: `no ${r.fn} function in serverless.ts`,
      expected: `functions.${r.fn}, with ${snippet}`,
      hint: `Keep the ${r.fn} function from the starter and give it ${snippet}.`,
      ...where,
    });
  const routes = routesOf(template);
  const same = routes.find((x) => x.routeKey === key);
  if (same && same.lambdaId === lambda.logicalId) return pass(r.id, title);
  if (same)
    return fail(r.id, title, {
      observed: `${key} goes to ${same.fn ?? 'another integration'}`,
      expected: r.fn,
      hint: `Move ${snippet} to ${r.fn} in serverless.ts.`,
      ...where,
    });
  const own = routes.filter((x) => x.lambdaId === lambda.logicalId).map((x) => x.routeKey);
  if (own.length) {
    const [method, path = ''] = own[0].split(' ');
    const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const observed = `${r.fn} answers ${own.join(', ')}`;
    if (r.path.includes('{id}') && method === r.method && params.length === 0) {
      return fail(r.id, title, {
        observed,
        expected: key,
        hint: `Without {id} in the path, ${r.method} /viruses/<id> matches no route (API Gateway answers 404 before ${r.fn} runs), and event.pathParameters.id is undefined. Write path: '${r.path}'.`,
        ...where,
      });
    }
    if (r.path.includes('{id}') && method === r.method && !params.includes('id')) {
      return fail(r.id, title, {
        observed,
        expected: key,
        hint: `The handler reads event.pathParameters.id: the path parameter must be called {id}, not {${params[0]}}.`,
        ...where,
      });
    }
    return fail(r.id, title, {
      observed,
      expected: key,
      hint: `Give ${r.fn} ${snippet} in serverless.ts.`,
      ...where,
    });
  }
  return fail(r.id, title, {
    observed: routes.length
      ? `no route ${key}; the API has ${show(routes.map((x) => x.routeKey))}`
      : `no route ${key}: the service has no HTTP API routes yet`,
    expected: `${r.fn} with ${snippet}`,
    hint: `Give ${r.fn} ${snippet} in serverless.ts.`,
    ...where,
  });
}

function corsCheck(template: Template): CheckResult {
  const id = 's2.cors';
  const title = `The HTTP API lets the board (${BOARD_ORIGIN}) call it (CORS)`;
  const where = { todo: 1 };
  const api = resourcesOfType(template, 'AWS::ApiGatewayV2::Api')[0];
  if (!api) return skip(id, title, 'no HTTP API yet: it comes with the first httpApi route (TODO 1).');
  const cors = api.Properties?.CorsConfiguration as
    { AllowOrigins?: string[]; AllowMethods?: string[] } | undefined;
  if (!cors) {
    return fail(id, title, {
      observed: 'the HTTP API has no CORS configuration',
      expected: 'provider.httpApi.cors: true in serverless.ts',
      hint: `The board is a web page from another origin (${BOARD_ORIGIN}): without CORS headers, the browser refuses it the API's answers. Put httpApi: { cors: true } back under provider.`,
      ...where,
    });
  }
  const origins = cors.AllowOrigins ?? [];
  if (!origins.includes('*') && !origins.includes(BOARD_ORIGIN)) {
    return fail(id, title, {
      observed: `CORS allows the origins ${show(origins)}`,
      expected: `"*" or "${BOARD_ORIGIN}" among them`,
      hint: `Add ${BOARD_ORIGIN} to provider.httpApi.cors.allowedOrigins, or use cors: true.`,
      ...where,
    });
  }
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  const missing = ['GET', 'POST', 'DELETE'].filter((m) => !methods.includes(m) && !methods.includes('*'));
  if (missing.length) {
    return fail(id, title, {
      observed: `CORS allows the methods ${show(methods)}`,
      expected: 'GET, POST and DELETE',
      hint: `The browser asks first (a preflight) before a ${missing[0]} from the board: allow it in provider.httpApi.cors.allowedMethods, or use cors: true.`,
      ...where,
    });
  }
  return pass(id, title);
}
