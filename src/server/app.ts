/**
 * The hook server: POST /hooks/<kind>/<customize|sync|finalize|plan>, plus health, readiness
 * and Prometheus metrics. Routes are thin: validation by schema, decisions in the kinds,
 * everything else in the kernel.
 */
import type { ServerOptions as HttpsOptions } from 'node:https';
import Fastify, { LogController, type FastifyError, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import {
  CustomizeRequest,
  CustomizeResponse,
  DecoratorRequest,
  DecoratorResponse,
  PlanResponse,
  SyncRequest,
  SyncResponse,
  type KubeObject,
  type ObjectMap,
} from '../kernel/contract.js';
import { runHook, type HookName, type Outcome } from '../kernel/reconciler.js';
import type { DecoratorKind, HookEnvironment, KindController } from '../kernel/hook-kind.js';
import { createHookMetrics, type HookMetrics } from './metrics.js';
import { payloadProblem, truncate } from './payload-guard.js';
import type { BearerToken } from './transport.js';

export interface HookServerOptions {
  logger: Logger;
  env: HookEnvironment;
  kinds: KindController[];
  /** DecoratorControllers, under the same /hooks/<route>/<hook> scheme. */
  decorators?: DecoratorKind[];
  metrics?: HookMetrics;
  /** Metacontroller's webhook timeout for our hooks. */
  hookTimeoutMs: number;
  /** How much of it a hook may spend working before it answers with what is unfinished. */
  hookBudgetMs: number;
  bodyLimitBytes: number;
  /** Serve HTTPS with these options (transport.ts); plain HTTP without. */
  https?: HttpsOptions;
  /** Require this bearer token on every /hooks/ request. */
  bearerToken?: BearerToken;
}

export interface HookServer {
  app: HookApp;
  metrics: HookMetrics;
  /** Fail readiness from now on, so the Service stops sending new hook calls here. */
  startDraining(): void;
}

export function buildHookServer(options: HookServerOptions): HookServer {
  const metrics = options.metrics ?? createHookMetrics();
  let draining = false;
  const app = createFastify(options);

  // Hooks take JSON only; without this a text/plain body would reach schema validation.
  app.removeContentTypeParser('text/plain');
  // While draining, close each connection after its answer: close() only reaps the sockets
  // idle when it starts, and a keep-alive one freed later would hold shutdown for 72s.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });

  if (options.bearerToken) {
    const token = options.bearerToken;
    // Health, readiness and metrics stay open for kubelet and Prometheus; they carry no secret.
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/hooks/')) return;
      const check = token.check(request.headers.authorization);
      if (check.ok) return;
      const route = hookRoute(request);
      if (route) metrics.hookCalls.inc({ kind: route.kind, hook: route.hook, outcome: 'unauthorized' });
      request.log.warn({ url: request.url, error: check.message }, 'rejected hook request');
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Unauthorized', message: check.message });
    });
  }

  // Before schema validation and any hook walk the payload: nothing recursive runs on it first.
  app.addHook('preValidation', async (request) => {
    if (!request.url.startsWith('/hooks/')) return;
    const problem = payloadProblem(request.body);
    if (problem) throw badRequest(problem.field, problem.message);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = clientError(error, options.bodyLimitBytes);
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'hook failed');
    else request.log.warn({ url: request.url, status, error: body.message }, 'rejected hook request');
    const route = hookRoute(request);
    if (route) metrics.hookCalls.inc({ kind: route.kind, hook: route.hook, outcome: status >= 500 ? 'internal_error' : 'bad_request' });
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${request.url}` }),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) =>
    draining ? reply.code(503).send({ status: 'shutting down' }) : { status: 'ready' },
  );
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  for (const controller of options.kinds) registerKind(app, controller, options, metrics);
  for (const decorator of options.decorators ?? []) registerDecorator(app, decorator, metrics);

  return {
    app,
    metrics,
    startDraining() {
      draining = true;
    },
  };
}

function createFastify(options: HookServerOptions) {
  return Fastify({
    // The https server differs from http only in how connections start; routes are the same.
    ...((options.https ? { https: options.https } : {}) as object),
    loggerInstance: options.logger,
    // One line per hook call is written by the route itself, with the parent and outcome.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    // The hook must answer before Metacontroller gives up; never hold a socket past that.
    requestTimeout: options.hookTimeoutMs + 5_000,
    // A "__proto__" key is dropped rather than refused: a Secret may legally have a data key
    // of that name, and no hook reads one.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

type HookApp = ReturnType<typeof createFastify>;

function registerKind(
  app: HookApp,
  controller: KindController,
  options: HookServerOptions,
  metrics: HookMetrics,
): void {
  const base = `/hooks/${controller.route}`;
  const checkParent = (parent: { kind: string; apiVersion: string }) => checkKind(parent, '/parent', controller, `${base} serves`);

  app.post(
    `${base}/customize`,
    { schema: { body: CustomizeRequest, response: { 200: CustomizeResponse } } },
    async (request) => {
      checkParent(request.body.parent);
      const end = metrics.hookDuration.startTimer({ kind: controller.route, hook: 'customize' });
      const relatedResources = controller.customize(request.body.parent as KubeObject, options.env.identity);
      end();
      metrics.hookCalls.inc({ kind: controller.route, hook: 'customize', outcome: 'ok' });
      return { relatedResources };
    },
  );

  for (const hook of ['sync', 'finalize'] as const satisfies HookName[]) {
    app.post(
      `${base}/${hook}`,
      { schema: { body: SyncRequest, response: { 200: SyncResponse } } },
      async (request) => {
        checkParent(request.body.parent);
        const started = performance.now();
        const parent = request.body.parent as KubeObject;
        const log = request.log.child({
          kind: controller.kind,
          namespace: parent.metadata.namespace,
          name: parent.metadata.name,
          hook,
        });
        const result = await runHook(controller, hook, request.body, options.env, options.hookBudgetMs, log);
        const seconds = (performance.now() - started) / 1000;
        metrics.hookDuration.observe({ kind: controller.route, hook }, seconds);
        metrics.hookCalls.inc({ kind: controller.route, hook, outcome: result.outcome });
        logHookCall(log, result.outcome, seconds, result.atlasCalls, result.error);
        return result.response;
      },
    );
  }

  if (controller.plan) {
    // What a sync would write, from reads only: the kernel lists the writes instead of sending them.
    app.post(`${base}/plan`, { schema: { body: SyncRequest, response: { 200: PlanResponse } } }, async (request) => {
      checkParent(request.body.parent);
      const started = performance.now();
      const parent = request.body.parent as KubeObject;
      const log = request.log.child({ kind: controller.kind, namespace: parent.metadata.namespace, name: parent.metadata.name, hook: 'plan' });
      const result = await runHook(controller, 'plan', request.body, options.env, options.hookBudgetMs, log);
      const seconds = (performance.now() - started) / 1000;
      metrics.hookDuration.observe({ kind: controller.route, hook: 'plan' }, seconds);
      metrics.hookCalls.inc({ kind: controller.route, hook: 'plan', outcome: result.outcome });
      logHookCall(log, result.outcome, seconds, result.atlasCalls, result.error);
      return { changes: result.changes ?? [], status: result.response.status };
    });
  }
}

function registerDecorator(app: HookApp, decorator: DecoratorKind, metrics: HookMetrics): void {
  const base = `/hooks/${decorator.route}`;
  const decorates = { kind: decorator.targetKind, apiVersion: decorator.targetApiVersion };
  const checkTarget = (object: { kind: string; apiVersion: string }, field: string) => checkKind(object, field, decorates, `${base} decorates`);
  const observe = (hook: string, started: number, outcome: string, target: KubeObject, log: FastifyRequest['log']) => {
    const seconds = (performance.now() - started) / 1000;
    metrics.hookDuration.observe({ kind: decorator.route, hook }, seconds);
    metrics.hookCalls.inc({ kind: decorator.route, hook, outcome });
    log.info({ kind: decorator.targetKind, name: target.metadata.name, hook, outcome, durationMs: Math.round(seconds * 1000), atlasCalls: 0 }, 'hook call');
  };

  app.post(`${base}/customize`, { schema: { body: CustomizeRequest, response: { 200: CustomizeResponse } } }, async (request) => {
    checkTarget(request.body.parent, '/parent');
    const started = performance.now();
    const relatedResources = decorator.customize(request.body.parent as KubeObject);
    observe('customize', started, 'ok', request.body.parent as KubeObject, request.log);
    return { relatedResources };
  });
  for (const hook of ['sync', 'finalize'] as const) {
    app.post(`${base}/${hook}`, { schema: { body: DecoratorRequest, response: { 200: DecoratorResponse } } }, async (request) => {
      checkTarget(request.body.object, '/object');
      const started = performance.now();
      const target = request.body.object as KubeObject;
      const attachments = (request.body.attachments ?? {}) as ObjectMap;
      const related = (request.body.related ?? {}) as ObjectMap;
      if (hook === 'sync') {
        const answer = decorator.sync(target, attachments, related);
        observe(hook, started, 'ready', target, request.log);
        return answer;
      }
      const answer = decorator.finalize(target, attachments, related);
      observe(hook, started, answer.finalized ? 'finalized' : 'finalizing', target, request.log);
      return answer;
    });
  }
}

/** A 400 naming `<field>/kind` unless the object is of the kind the route is for. */
function checkKind(object: { kind: string; apiVersion: string }, field: string, want: { kind: string; apiVersion: string }, route: string): void {
  if (object.kind === want.kind && object.apiVersion === want.apiVersion) return;
  throw badRequest(`${field}/kind`, `${field.slice(1)} is ${truncate(object.kind)} ${truncate(object.apiVersion)}, but ${route} ${want.kind} ${want.apiVersion}`);
}

function logHookCall(log: Logger, outcome: Outcome, seconds: number, atlasCalls: number, error: unknown): void {
  const fields = { outcome, durationMs: Math.round(seconds * 1000), atlasCalls };
  if (outcome === 'internal_error') log.error({ ...fields, err: error }, 'hook call');
  else log.info(fields, 'hook call');
}

function hookRoute(request: FastifyRequest): { kind: string; hook: string } | undefined {
  const match = /^\/hooks\/([a-z]+)\/(customize|sync|finalize|plan)$/.exec(request.url.split('?')[0] ?? '');
  return match ? { kind: match[1]!, hook: match[2]! } : undefined;
}

class BadRequest extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function badRequest(field: string, message: string): BadRequest {
  return new BadRequest(field, message);
}

interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

function clientError(error: FastifyError | BadRequest, bodyLimit: number): { status: number; body: ErrorBody } {
  if (error instanceof BadRequest) {
    return { status: 400, body: { error: 'Bad Request', message: error.message, field: error.field } };
  }
  if (error.validation && error.validation.length > 0) {
    const first = error.validation[0]!;
    const missing = (first.params as { missingProperty?: string }).missingProperty;
    const field = `${first.instancePath}${missing ? `/${missing}` : ''}` || '/';
    const message = `request body ${truncate(field, 200)} ${first.message ?? 'is invalid'}`;
    return { status: 400, body: { error: 'Bad Request', message, field } };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: {
          error: 'Payload Too Large',
          message: `request body exceeds the ${bodyLimit}-byte limit; raise --body-limit (BODY_LIMIT) for parents with this many children or related objects`,
        },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'Bad Request', message: `request body is not JSON: ${error.message}` } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'Unsupported Media Type', message: 'hooks take Content-Type: application/json' } };
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  return {
    status,
    body: { error: status === 500 ? 'Internal Server Error' : 'Bad Request', message: truncate(error.message, 500) },
  };
}

