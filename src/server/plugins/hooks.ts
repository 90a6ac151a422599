/**
 * The hook routes: POST /hooks/<kind>/<customize|sync|finalize|plan> for each kind, and the
 * DecoratorControllers' under the same scheme. Routes are thin: the schema validates,
 * every payload is walked once before anything recursive runs on it, the bearer token is
 * checked first, and the kernel does the rest.
 */
import fp from 'fastify-plugin';
import type { FastifyPluginAsync, FastifyRequest, RawServerDefault } from 'fastify';
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
} from '../../kernel/contract.js';
import { runHook, type HookName } from '../../kernel/reconciler.js';
import type { DecoratorKind, HookEnvironment, KindController } from '../../kernel/hook-kind.js';
import type { HookMetrics } from '../metrics.js';
import { payloadProblem, truncate } from '../payload-guard.js';
import type { BearerToken } from '../transport.js';
import { badRequest } from './errors.js';

export interface HooksOptions {
  env: HookEnvironment;
  kinds: KindController[];
  decorators: DecoratorKind[];
  metrics: HookMetrics;
  /** How much of Metacontroller's webhook timeout a hook may spend working. */
  hookBudgetMs: number;
  bearerToken?: BearerToken;
}

type HookApp = Parameters<FastifyPluginAsync<HooksOptions, RawServerDefault, TypeBoxTypeProvider, Logger>>[0];

const hooks: FastifyPluginAsync<HooksOptions, RawServerDefault, TypeBoxTypeProvider, Logger> = async (app, options) => {
  if (!(options.hookBudgetMs > 0)) throw new Error('hooks plugin: hookBudgetMs must be positive');
  const { metrics } = options;
  if (options.bearerToken) {
    const token = options.bearerToken;
    const served = servedRoutes(options.kinds, options.decorators);
    // Health, readiness and metrics stay open for kubelet and Prometheus; they carry no secret.
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/hooks/')) return;
      const check = token.check(request.headers.authorization);
      if (check.ok) return;
      const route = hookRoute(request.url, served);
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
  for (const controller of options.kinds) registerKind(app, controller, options, metrics);
  for (const decorator of options.decorators) registerDecorator(app, decorator, metrics);
};

export const hooksPlugin = fp(hooks, { name: 'atlas-metacontroller-hooks', fastify: '5.x' });

function registerKind(
  app: HookApp,
  controller: KindController,
  options: HooksOptions,
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

  /** One hook call through the kernel, with its metrics and its one log line. */
  const call = async (hook: HookName, body: SyncRequest, log: Logger) => {
    const started = performance.now();
    const { parent } = body;
    const result = await runHook(controller, hook, body, options.env, options.hookBudgetMs, log);
    const seconds = (performance.now() - started) / 1000;
    metrics.hookDuration.observe({ kind: controller.route, hook }, seconds);
    metrics.hookCalls.inc({ kind: controller.route, hook, outcome: result.outcome });
    // The parent's identity goes into the line itself: a child logger per call costs more.
    const fields = { kind: controller.kind, namespace: parent.metadata.namespace, name: parent.metadata.name, hook, outcome: result.outcome, durationMs: Math.round(seconds * 1000), atlasCalls: result.atlasCalls };
    if (result.outcome === 'internal_error') log.error({ ...fields, err: result.error }, 'hook call');
    else log.info(fields, 'hook call');
    return result;
  };
  for (const hook of ['sync', 'finalize'] as const satisfies HookName[]) {
    app.post(`${base}/${hook}`, { schema: { body: SyncRequest, response: { 200: SyncResponse } } }, async (request) => {
      checkParent(request.body.parent);
      return (await call(hook, request.body, request.log)).response;
    });
  }
  if (controller.plan) {
    // What a sync would write, from reads only: the kernel lists the writes instead of sending them.
    app.post(`${base}/plan`, { schema: { body: SyncRequest, response: { 200: PlanResponse } } }, async (request) => {
      checkParent(request.body.parent);
      const result = await call('plan', request.body, request.log);
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

/** The routes of the kinds and decorators served: the only kind label values a metric may take. */
export function servedRoutes(kinds: readonly { route: string }[], decorators: readonly { route: string }[]): ReadonlySet<string> {
  return new Set([...kinds, ...decorators].map((served) => served.route));
}

/**
 * The hook a URL names, if this server serves its kind. Anyone can send any URL, so a kind
 * not served must not become a label: each would be a new metric series.
 */
export function hookRoute(url: string, served: ReadonlySet<string>): { kind: string; hook: string } | undefined {
  const match = /^\/hooks\/([a-z]+)\/(customize|sync|finalize|plan)$/.exec(url.split('?')[0] ?? '');
  return match && served.has(match[1]!) ? { kind: match[1]!, hook: match[2]! } : undefined;
}
