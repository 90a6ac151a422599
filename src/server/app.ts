/**
 * The hook server, assembled from fastify plugins: errors (every refusal a 4xx naming the
 * field), health and readiness, metrics, and the hook routes. Decisions are in the kinds,
 * the sequence in the kernel; nothing here but wiring.
 */
import type { ServerOptions as HttpsOptions } from 'node:https';
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import Fastify, { LogController } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { DecoratorKind, HookEnvironment, KindController } from '../kernel/hook-kind.js';
import { createHookMetrics, type HookMetrics } from './metrics.js';
import { errorsPlugin, schemaErrorFormatter } from './plugins/errors.js';
import { healthPlugin } from './plugins/health.js';
import { hookRoute, hooksPlugin, servedRoutes } from './plugins/hooks.js';
import { metricsPlugin } from './plugins/metrics.js';
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

/**
 * A route compiler that compiles each schema object once, on first use: every kind's routes
 * share the same few request and response schemas, and compiling them per route before
 * listening cost start-up time. `defer` makes the stand-in that compiles when first called.
 */
function onFirstUse<Route extends { schema?: unknown }, Compiled>(
  compile: (route: Route) => Compiled,
  defer: (compiled: () => Compiled) => Compiled,
): (route: Route) => Compiled {
  const shared = new WeakMap<object, Compiled>();
  return (route) => {
    if (typeof route.schema !== 'object' || route.schema === null) return compile(route);
    const known = shared.get(route.schema);
    if (known) return known;
    let compiled: Compiled | undefined;
    const standIn = defer(() => (compiled ??= compile(route)));
    shared.set(route.schema, standIn);
    return standIn;
  };
}

const buildAjvValidator = AjvCompiler();

/**
 * fastify's own validator compiler (the library it ships with), on first use: per route at
 * start-up it was a third of the time to listening. fastify reads a failed validation's
 * `errors` from the function it was given, so the stand-in mirrors them.
 */
const buildValidator: typeof buildAjvValidator = (externalSchemas, options) =>
  onFirstUse(buildAjvValidator(externalSchemas, options), (compiled) => {
    const validate = ((data: unknown) => {
      const compiledValidate = compiled();
      const valid = compiledValidate(data);
      validate.errors = compiledValidate.errors;
      return valid;
    }) as ReturnType<typeof compiled>;
    return validate;
  });

const buildFastSerializer = SerializerSelector();

/**
 * fastify's own serializer compiler, on first use: building every route's before listening
 * was 20 ms of serve's ~370 ms start (CPU profile of the start).
 */
const buildSerializer: typeof buildFastSerializer = (externalSchemas, options) =>
  onFirstUse(buildFastSerializer(externalSchemas, options), (compiled) => (doc) => compiled()(doc));

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
    schemaErrorFormatter,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    schemaController: { compilersFactory: { buildValidator, buildSerializer } },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

type HookApp = ReturnType<typeof createFastify>;

export function buildHookServer(options: HookServerOptions): HookServer {
  const metrics = options.metrics ?? createHookMetrics();
  const app = createFastify(options);
  // Hooks take JSON only; without this a text/plain body would reach schema validation.
  app.removeContentTypeParser('text/plain');
  const served = servedRoutes(options.kinds, options.decorators ?? []);
  app.register(errorsPlugin, {
    bodyLimitBytes: options.bodyLimitBytes,
    onError(url, status) {
      const route = hookRoute(url, served);
      if (route) metrics.hookCalls.inc({ kind: route.kind, hook: route.hook, outcome: status >= 500 ? 'internal_error' : 'bad_request' });
    },
  });
  app.register(healthPlugin);
  app.register(metricsPlugin, { metrics });
  app.register(hooksPlugin, {
    env: options.env,
    kinds: options.kinds,
    decorators: options.decorators ?? [],
    metrics,
    hookBudgetMs: options.hookBudgetMs,
    ...(options.bearerToken ? { bearerToken: options.bearerToken } : {}),
  });
  return { app, metrics, startDraining: () => app.startDraining() };
}
