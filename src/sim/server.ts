/**
 * The Atlas Admin API simulator: a fastify server that answers like Atlas on the wire
 * (Digest and OAuth auth, versioned media types, Atlas error bodies, pagination, rate
 * limits, asynchronous state), plus a control plane for tests under /__sim.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { pino, type Logger } from 'pino';
import { Authenticator, type ApiKey, type ServiceAccount } from './auth.js';
import { SimClock } from './clock.js';
import type { SimContext } from './context.js';
import { atlasErrors, SimError } from './errors.js';
import { FaultsAndCounts, type FaultSpec } from './faults.js';
import { TokenBuckets, type RateLimitOptions } from './ratelimit.js';
import { SimStore } from './store.js';
import { sequentialIds } from './ids.js';
import { resolveVersion } from './versions.js';
import { organizationRoutes } from './routes/organizations.js';
import { projectRoutes } from './routes/projects.js';
import { accessListRoutes } from './routes/access-list.js';
import { backupScheduleRoutes } from './routes/backup-schedule.js';
import { clusterRoutes } from './routes/clusters.js';
import { processArgsRoutes } from './routes/process-args.js';
import { flexClusterRoutes } from './routes/flex-clusters.js';
import { customRoleRoutes } from './routes/custom-roles.js';
import { teamRoutes } from './routes/teams.js';
import { databaseUserRoutes } from './routes/database-users.js';
import { controlRoutes, snapshotState, type SimControl } from './control.js';

export interface SimOrganization {
  id: string;
  name?: string;
  apiKeys?: ApiKey[];
  serviceAccounts?: ServiceAccount[];
  /** Usernames (email addresses) of the organization's ACTIVE users, who can join its teams. */
  users?: string[];
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  organizations?: SimOrganization[];
  /** How long cluster and user changes take, in simulated seconds; 0 = done on the next read. */
  provisionSeconds?: number;
  /** Token bucket per API key or service account; false turns rate limiting off. */
  rateLimit?: RateLimitOptions | false;
  /** How long a Digest nonce stays valid before Atlas answers stale=true. */
  nonceTtlSeconds?: number;
  tokenTtlSeconds?: number;
  /** Random ids as Atlas's, or the same ids in creation order every run (for example payloads). */
  ids?: 'random' | 'sequential';
  logger?: Logger;
}

/** The documented demo organization and keys; obviously not secrets. */
export const DEMO_ORG = {
  id: '5f0c0a0b0c0d0e0f10111213',
  name: 'demo-org',
  publicKey: 'demopubk',
  privateKey: 'demo-private-key-not-a-secret',
  clientId: 'mdb_sa_id_5f0c0a0b0c0d0e0f10111213',
  clientSecret: 'mdb_sa_sk_demo-client-secret-not-a-secret',
  /** Its users, who can be members of teams (AtlasTeam usernames). */
  users: ['ada@example.com', 'grace@example.com', 'linus@example.com'],
} as const;

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { capacity: 1200, refillPerSecond: 100 };

export type { SimControl } from './control.js';

export interface Simulator {
  url: string;
  app: FastifyInstance;
  control: SimControl;
  close(): Promise<void>;
}

const API_PREFIXES = ['/api/atlas/'];

export function buildSimulator(options: SimulatorOptions = {}): { app: FastifyInstance; control: SimControl } {
  const clock = new SimClock();
  const store = new SimStore(clock, (options.provisionSeconds ?? 0) * 1000, options.ids === 'sequential' ? sequentialIds() : undefined);
  const auth = new Authenticator(clock, (options.nonceTtlSeconds ?? 300) * 1000, options.tokenTtlSeconds ?? 3600);
  const faults = new FaultsAndCounts();
  const rateLimits = new TokenBuckets(clock, options.rateLimit === false ? undefined : (options.rateLimit ?? DEFAULT_RATE_LIMIT));
  const organizations = options.organizations ?? [
    {
      id: DEMO_ORG.id,
      name: DEMO_ORG.name,
      apiKeys: [{ publicKey: DEMO_ORG.publicKey, privateKey: DEMO_ORG.privateKey }],
      serviceAccounts: [{ clientId: DEMO_ORG.clientId, clientSecret: DEMO_ORG.clientSecret }],
      users: [...DEMO_ORG.users],
    },
  ];
  for (const org of organizations) {
    for (const key of org.apiKeys ?? []) auth.addApiKey(org.id, key);
    for (const account of org.serviceAccounts ?? []) auth.addServiceAccount(org.id, account);
    for (const username of org.users ?? []) store.addOrgUser(org.id, username);
  }
  const ctx: SimContext = { store, clock, auth, faults, rateLimits };

  const app: FastifyInstance = Fastify({
    loggerInstance: (options.logger ?? pino({ level: 'silent' })) as FastifyBaseLogger,
    // Two log lines per request would cost more than answering it; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // A 'hang' fault never answers; closing must not wait for it.
    forceCloseConnections: true,
    bodyLimit: 10 * 1024 * 1024,
  });

  app.addContentTypeParser(/^application\/(vnd\.atlas\.[\w.-]+\+)?json/, { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(atlasErrors.malformedJson(), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.addHook('onRequest', async (request, reply) => {
    const matched = request.routeOptions.url !== undefined;
    const route = request.routeOptions.url ?? request.url.split('?')[0]!;
    if (route.startsWith('/__sim')) return;
    faults.count(request.method, route, 'requests', matched);
    const fault = faults.take(request.method, route);
    if (fault) await applyFault(fault, request);
    if (!API_PREFIXES.some((p) => request.url.startsWith(p))) return;
    const outcome = auth.authenticate(request.method, request.url, request.headers.authorization);
    if (!outcome.ok) {
      reply.header('www-authenticate', outcome.challenge);
      return reply.code(401).header('content-type', 'application/json').send(UNAUTHORIZED_BODY);
    }
    request.principal = outcome.principal;
    faults.count(request.method, route, 'authenticated', matched);
    const bucket = rateLimits.take(outcome.principal.id);
    if (bucket && !bucket.ok) throw atlasErrors.rateLimited(bucket.retryAfterSeconds);
    if (bucket?.ok) {
      reply.header('ratelimit-limit', String(bucket.limit));
      reply.header('ratelimit-remaining', String(bucket.remaining));
    }
    const versions = request.routeOptions.config?.versions;
    if (versions) request.atlasVersion = resolveVersion(request.headers.accept, versions);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const atlas =
      error instanceof SimError
        ? error
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? new SimError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type.')
          : error.statusCode === 413
            ? new SimError(413, 'REQUEST_TOO_LARGE', 'Request body too large.')
            : (request.log.error({ err: error }, 'simulator error'), atlasErrors.unexpected());
    return reply
      .code(atlas.status)
      .headers({ 'content-type': 'application/json', 'x-error-code': atlas.errorCode, ...atlas.headers })
      .send(Buffer.from(JSON.stringify(atlas.body())));
  });
  app.setNotFoundHandler((request, reply) => {
    const atlas = atlasErrors.notFound(request.url.split('?')[0]!);
    return reply
      .code(404)
      .headers({ 'content-type': 'application/json', 'x-error-code': atlas.errorCode })
      .send(Buffer.from(JSON.stringify(atlas.body())));
  });

  app.post('/api/oauth/token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    if (form.grant_type !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
    }
    const token = auth.issueToken(request.headers.authorization);
    if (!token) return reply.code(401).send({ error: 'invalid_client', error_description: 'Invalid client credentials.' });
    return reply.header('cache-control', 'no-store').send(token);
  });

  app.register(organizationRoutes(new Map(organizations.map((o) => [o.id, o.name ?? `org-${o.id}`]))));
  app.register(projectRoutes(ctx));
  app.register(accessListRoutes(ctx));
  app.register(clusterRoutes(ctx));
  app.register(flexClusterRoutes(ctx));
  app.register(backupScheduleRoutes(ctx));
  app.register(processArgsRoutes(ctx));
  app.register(databaseUserRoutes(ctx));
  app.register(customRoleRoutes(ctx));
  app.register(teamRoutes(ctx));

  const control: SimControl = {
    store,
    reset() {
      store.reset();
      auth.reset();
      faults.clearFaults();
      faults.clearCounts();
      rateLimits.reset();
      clock.reset();
    },
    advance: (seconds) => clock.advance(seconds),
    now: () => clock.now(),
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clearFaults(),
    requestCounts: () => faults.counted(),
    clearRequestCounts: () => faults.clearCounts(),
    state: () => snapshotState(store),
    setProvisionSeconds(seconds) {
      store.provisionMs = seconds * 1000;
    },
    setRateLimit(limit) {
      rateLimits.options = limit === false ? undefined : limit;
      rateLimits.reset();
    },
  };
  app.register(controlRoutes(control));
  return { app, control };
}

/**
 * The recorded challenge body: pretty-printed, in this key order, 142 bytes. Errors go out
 * as Buffers because fastify would add "; charset=utf-8" to a string, which Atlas does not.
 */
const UNAUTHORIZED_BODY = Buffer.from(
  '{\n  "error" : 401,\n  "reason" : "Unauthorized",\n  "detail" : "You are not authorized for this resource.",\n  "errorCode" : "UNEXPECTED_ERROR"\n}',
);

async function applyFault(fault: FaultSpec, request: FastifyRequest): Promise<void> {
  switch (fault.kind) {
    case 'latency':
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 1000));
      return;
    case 'error': {
      const status = fault.status ?? 500;
      if (fault.errorCode) throw new SimError(status, fault.errorCode, `Injected ${fault.errorCode}.`);
      throw status === 503
        ? atlasErrors.unavailable()
        : status === 500
          ? atlasErrors.unexpected()
          : new SimError(status, 'UNEXPECTED_ERROR', 'Unexpected error.');
    }
    case 'rate-limit':
      throw atlasErrors.rateLimited(fault.retryAfterSeconds ?? 1);
    case 'reset':
      request.raw.socket.destroy();
      return new Promise(() => {});
    case 'hang':
      return new Promise(() => {});
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { app, control } = buildSimulator(options);
  const url = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return { url, app, control, close: () => app.close() };
}
