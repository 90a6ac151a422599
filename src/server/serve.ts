/** `atlas-metacontroller serve`: the hook server Metacontroller calls. */
import type { Server as HttpsServer } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';
import { formatDuration, parseDuration } from '../config/duration.js';
import { parseFlags, parsers, type FlagSpecs, type FlagValues } from '../config/flags.js';
import { operatorIdentity } from '../config/identity.js';
import type { DecoratorKind, KindController } from '../kernel/hook-kind.js';
import { buildHookServer, type HookServer } from './app.js';
import { createLogger } from '../logging.js';
import { createHookMetrics } from './metrics.js';
import { BearerToken, checkTransportOptions, ServerTls } from './transport.js';
import { AtlasHttp } from '../atlas/http.js';
import { createAtlasMetrics } from '../atlas/metrics.js';

export const serveFlags = {
  port: { env: 'PORT', help: 'TCP port of the hook server', default: 8080, parse: parsers.port },
  host: { env: 'HOST', help: 'address to listen on', default: '0.0.0.0', parse: parsers.string },
  'atlas-domain': {
    env: 'ATLAS_DOMAIN',
    help: 'Atlas Admin API base URL (as the official operator\'s --atlas-domain)',
    default: 'https://cloud.mongodb.com',
    parse: parsers.url,
  },
  'hook-timeout': {
    env: 'HOOK_TIMEOUT',
    help: 'the webhook timeout set in our CompositeControllers (Go duration)',
    default: 30_000,
    defaultText: '30s',
    parse: parseDuration,
  },
  'hook-budget': {
    env: 'HOOK_BUDGET',
    help: 'time a hook may work before answering with what is unfinished (Go duration)',
    default: undefined as number | undefined,
    defaultText: '80% of --hook-timeout',
    parse: parseDuration,
  },
  'atlas-connections': {
    env: 'ATLAS_CONNECTIONS',
    help: 'keep-alive connections to Atlas (per Atlas domain); size it to the hook concurrency (Metacontroller workers × controllers)',
    default: 20,
    parse: parsers.positiveInteger,
  },
  'operator-namespace': {
    env: 'OPERATOR_NAMESPACE',
    help: 'namespace of the global credentials Secret (set by the downward API in deploy/)',
    default: 'atlas-metacontroller',
    parse: parsers.string,
  },
  'operator-pod-name': {
    env: 'OPERATOR_POD_NAME',
    help: 'this pod\'s name; the Deployment name is derived from it (downward API)',
    default: '',
    parse: parsers.string,
  },
  'global-api-secret-name': {
    env: 'GLOBAL_API_SECRET_NAME',
    help: 'name of the global credentials Secret',
    default: '',
    defaultText: '<deployment>-api-key',
    parse: parsers.string,
  },
  'body-limit': {
    env: 'BODY_LIMIT',
    help: 'largest hook request body in bytes (a parent with hundreds of children)',
    default: 8 * 1024 * 1024,
    parse: parsers.positiveInteger,
  },
  'tls-cert-file': {
    env: 'TLS_CERT_FILE',
    help: 'serve HTTPS only (TLS 1.2+) with this PEM certificate; re-read when the file is replaced',
    default: '',
    parse: parsers.string,
  },
  'tls-key-file': { env: 'TLS_KEY_FILE', help: 'the PEM private key of --tls-cert-file', default: '', parse: parsers.string },
  'client-ca-file': {
    env: 'CLIENT_CA_FILE',
    help: 'require a client certificate signed by this PEM CA on every connection (mTLS; needs TLS)',
    default: '',
    parse: parsers.string,
  },
  'auth-token-file': {
    env: 'AUTH_TOKEN_FILE',
    help: 'every /hooks/ request must carry Authorization: Bearer <this file\'s content>; re-read when replaced',
    default: '',
    parse: parsers.string,
  },
  'shutdown-delay': {
    env: 'SHUTDOWN_DELAY',
    help: 'after SIGTERM, fail /readyz but keep answering hooks this long, so endpoints move away first (Go duration)',
    default: 5_000,
    defaultText: '5s',
    parse: parseDuration,
  },
  'log-level': { env: 'LOG_LEVEL', help: 'fatal|error|warn|info|debug|trace|silent', default: 'info', parse: parsers.logLevel },
} satisfies FlagSpecs;

export type ServeOptions = FlagValues<typeof serveFlags>;

export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv): ServeOptions {
  const options = parseFlags(serveFlags, argv, env);
  checkTransportOptions({
    tlsCertFile: options['tls-cert-file'],
    tlsKeyFile: options['tls-key-file'],
    clientCaFile: options['client-ca-file'],
  });
  if (options['hook-budget'] !== undefined && options['hook-budget'] > options['hook-timeout']) {
    throw new Error(
      `invalid --hook-budget: ${formatDuration(options['hook-budget'])} exceeds --hook-timeout ${formatDuration(options['hook-timeout'])}`,
    );
  }
  return options;
}

export interface RunningHookServer extends HookServer {
  url: string;
  logger: Logger;
  /** Drain in-flight hooks, then close. */
  shutdown(): Promise<void>;
}

export async function startHookServer(
  options: ServeOptions,
  kinds: KindController[],
  logger: Logger = createLogger(options['log-level']),
  /** The DecoratorControllers to serve, and the clock (tests and the demo pass the simulator's). */
  extras: { decorators?: DecoratorKind[]; now?: () => Date } = {},
): Promise<RunningHookServer> {
  const identity = operatorIdentity({
    namespace: options['operator-namespace'],
    podName: options['operator-pod-name'] || undefined,
    globalSecretName: options['global-api-secret-name'] || undefined,
  });
  const hookTimeoutMs = options['hook-timeout'];
  const tls = options['tls-cert-file']
    ? new ServerTls({ tlsCertFile: options['tls-cert-file'], tlsKeyFile: options['tls-key-file'], clientCaFile: options['client-ca-file'] || undefined }, logger)
    : undefined;
  const bearerToken = options['auth-token-file'] ? new BearerToken(options['auth-token-file']) : undefined;
  const metrics = createHookMetrics();
  const atlasHttp = new AtlasHttp({
    baseUrl: options['atlas-domain'],
    logger,
    metrics: createAtlasMetrics(metrics.registry),
    connections: options['atlas-connections'],
  });
  const server = buildHookServer({
    logger,
    kinds,
    decorators: extras.decorators ?? [],
    metrics,
    hookTimeoutMs,
    hookBudgetMs: options['hook-budget'] ?? Math.floor(hookTimeoutMs * 0.8),
    bodyLimitBytes: options['body-limit'],
    env: { identity, atlasHttp, now: extras.now ?? (() => new Date()) },
    ...(tls ? { https: tls.serverOptions() } : {}),
    ...(bearerToken ? { bearerToken } : {}),
  });
  if (tls) tls.attach(server.app.server as unknown as HttpsServer);
  const url = await server.app.listen({ port: options.port, host: options.host });
  logger.info(
    {
      url,
      atlasDomain: options['atlas-domain'],
      globalSecret: `${identity.namespace}/${identity.globalSecretName}`,
      tls: tls ? (options['client-ca-file'] ? 'mTLS' : 'TLS') : 'off',
      bearerToken: bearerToken ? 'required' : 'off',
    },
    'hook server listening',
  );
  // Whoever started us waits for that line; the rest may sit in the log buffer.
  logger.flush();
  return {
    ...server,
    url,
    logger,
    async shutdown() {
      server.startDraining();
      await server.app.close();
      await atlasHttp.close();
    },
  };
}

/**
 * On SIGTERM (or SIGINT): /readyz fails at once, hooks are still answered for
 * --shutdown-delay while endpoints move away from this pod, then in-flight hooks finish and
 * the process exits 0. close-with-grace owns the signals and force-exits if draining hangs.
 */
export function closeOnSignals(server: RunningHookServer, shutdownDelayMs: number, hookTimeoutMs: number): void {
  closeWithGrace({ delay: shutdownDelayMs + hookTimeoutMs + 5_000, logger: { error: (message: string) => server.logger.error(message) } }, async ({ signal, err }) => {
    if (err) server.logger.error({ err }, 'shutting down after an unexpected error');
    server.startDraining();
    server.logger.info({ signal, shutdownDelayMs }, 'shutting down: readiness failed, still answering hooks');
    await sleep(shutdownDelayMs);
    await server.shutdown();
  });
}

/** Drain on SIGTERM/SIGINT, at once: for the simulator and the demo, which no Service fronts. */
export function exitOnSignals(shutdown: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
