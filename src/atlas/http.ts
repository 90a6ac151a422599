/**
 * The HTTP layer under every Atlas call: authentication, versioned media types, retries
 * inside the caller's deadline, coalesced reads, metrics and a debug line per call.
 */
import { LRUCache } from 'lru-cache';
import type { Dispatcher } from 'undici';
import { Agent, errors as undiciErrors } from './undici-core.js';
import type { Logger } from 'pino';
import { credentialIdentity, type AtlasCredentials } from './credentials.js';
import { DigestSession } from './digest.js';
import { AtlasApiError, AtlasRateLimitedError, DeadlineExceededError, type AtlasErrorBody } from './errors.js';
import type { AtlasMetrics } from './metrics.js';
import { ReadFlights } from './read-flights.js';

export interface AtlasHttpOptions {
  /** e.g. https://cloud.mongodb.com */
  baseUrl: string;
  logger?: Logger;
  metrics?: AtlasMetrics;
  /** `challenge-per-request` makes every call pay the 401 round trip, as the Go transport does. */
  digestMode?: 'reuse-nonce' | 'challenge-per-request';
  /** Base of the exponential backoff between retries. */
  retryBaseMs?: number;
  maxAttempts?: number;
  userAgent?: string;
  dispatcher?: Dispatcher;
  /** Keep-alive connections per origin; default 20. */
  connections?: number;
}

/** Everything a single call needs beyond the request itself. */
export interface CallContext {
  credentials: AtlasCredentials;
  /** Aborts in-flight requests when the hook's time budget runs out. */
  signal?: AbortSignal;
  /** performance.now() value after which no retry may start. */
  deadline?: number;
  /** Incremented once per HTTP request sent. */
  stats?: { atlasCalls: number };
}

export interface AtlasRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path with encoded segments, e.g. /api/atlas/v2/groups/x/accessList/10.0.0.0%2F24 */
  path: string;
  /** The route template for metrics, e.g. /api/atlas/v2/groups/{groupId}/accessList/{entry} */
  route: string;
  version: string;
  body?: unknown;
  query?: Record<string, string | number | boolean>;
  /** A write whose repeat is harmless (PATCH to the same state, upserts). */
  idempotent?: boolean;
}

export interface AtlasResponse<T> {
  status: number;
  body: T;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * State kept per credential (a digest nonce, a service-account token) is bounded: anyone
 * who can call the hooks can send any number of distinct keys. A key unused this long, or
 * pushed out by newer ones, costs one more challenge or token request next time.
 */
const CREDENTIAL_STATE = { max: 1_000, ttl: 30 * 60 * 1000 };

export class AtlasHttp {
  private readonly agent: Dispatcher;
  private readonly digestSessions = new LRUCache<string, DigestSession>({ ...CREDENTIAL_STATE, updateAgeOnGet: true });
  private readonly tokens = new LRUCache<string, Promise<{ token: string; refreshAt: number }>>(CREDENTIAL_STATE);
  readonly reads = new ReadFlights();

  constructor(private readonly options: AtlasHttpOptions) {
    this.agent = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: options.connections ?? 20 });
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** How many credentials this client holds state for (bounded by CREDENTIAL_STATE.max). */
  get credentialsHeld(): number {
    return this.digestSessions.size + this.tokens.size;
  }

  async close(): Promise<void> {
    if (!this.options.dispatcher) await this.agent.close();
  }

  async call<T>(request: AtlasRequest, ctx: CallContext): Promise<AtlasResponse<T>> {
    const uri = request.path + queryString(request.query);
    if (request.method !== 'GET') {
      try {
        return await this.withRetries<T>(request, uri, ctx);
      } finally {
        this.reads.invalidate(request.path);
      }
    }
    const key = `${credentialIdentity(ctx.credentials)} ${request.version} ${uri}`;
    return this.reads.read(key, request.path, ctx, (shared) => this.withRetries<T>(request, uri, { ...ctx, signal: shared.signal, get deadline() { return shared.deadline; } }));
  }

  private async withRetries<T>(request: AtlasRequest, uri: string, ctx: CallContext): Promise<AtlasResponse<T>> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    const safe = request.method === 'GET' || request.method === 'DELETE' || request.idempotent === true;
    const started = performance.now();
    try {
      for (let attempt = 1; ; attempt++) {
        let failure: AtlasApiError | Error;
        try {
          return await this.authenticated<T>(request, uri, ctx);
        } catch (error) {
          failure = error as Error;
        }
        const atlas = failure instanceof AtlasApiError ? failure : undefined;
        // A 429 was never processed, so any method may repeat it; other failures only
        // where a repeat is harmless.
        const retryable = atlas
          ? RETRYABLE_STATUS.has(atlas.httpStatus) && (atlas.httpStatus === 429 || safe)
          : safe && isConnectionError(failure);
        if (atlas?.httpStatus === 429) this.options.metrics?.rateLimited.inc({ method: request.method, route: request.route });
        if (!retryable) throw failure;
        const wait = atlas?.retryAfterSeconds !== undefined ? atlas.retryAfterSeconds * 1000 : this.backoff(attempt);
        const remaining = ctx.deadline === undefined ? Infinity : ctx.deadline - performance.now();
        if (attempt >= maxAttempts || wait >= remaining) {
          if (atlas?.httpStatus === 429) throw new AtlasRateLimitedError(atlas, Math.max(1, Math.ceil(wait / 1000)));
          throw failure;
        }
        this.options.metrics?.retries.inc({
          method: request.method,
          route: request.route,
          reason: atlas ? String(atlas.httpStatus) : 'connection',
        });
        await sleep(wait, ctx.signal);
      }
    } finally {
      this.options.metrics?.duration.observe(
        { method: request.method, route: request.route },
        (performance.now() - started) / 1000,
      );
    }
  }

  private backoff(attempt: number): number {
    const base = this.options.retryBaseMs ?? 250;
    const cap = Math.min(10_000, base * 2 ** (attempt - 1));
    return cap / 2 + Math.random() * (cap / 2);
  }

  /** One logical attempt: with Digest, possibly two HTTP requests (challenge, then answer). */
  private async authenticated<T>(request: AtlasRequest, uri: string, ctx: CallContext): Promise<AtlasResponse<T>> {
    const { credentials } = ctx;
    if (credentials.kind === 'serviceAccount') {
      const first = await this.send(request, uri, ctx, `Bearer ${await this.token(credentials, ctx)}`);
      if (first.status !== 401) return this.result<T>(request, first);
      this.tokens.delete(credentialIdentity(credentials));
      return this.result<T>(request, await this.send(request, uri, ctx, `Bearer ${await this.token(credentials, ctx)}`));
    }
    const session = this.digestSession(credentials);
    // Concurrent first calls share one challenge instead of each paying for its own.
    const learned = await session.learn();
    let authorization = session.authorize(request.method, uri);
    // A 401 to a nonce we held (missing, stale or forgotten by the server) earns one fresh
    // challenge; a 401 to the answer of a fresh challenge means the key itself is wrong.
    let fresh = false;
    try {
      for (;;) {
        const response = await this.send(request, uri, ctx, authorization);
        if (response.status !== 401 || fresh || !session.accept(response.headers['www-authenticate'] as string)) {
          return this.result<T>(request, response);
        }
        authorization = session.authorize(request.method, uri);
        fresh = true;
      }
    } finally {
      learned?.();
    }
  }

  private digestSession(credentials: Extract<AtlasCredentials, { kind: 'apiKey' }>): DigestSession {
    const key = credentialIdentity(credentials);
    let session = this.digestSessions.get(key);
    if (!session) {
      session = new DigestSession(credentials.publicKey, credentials.privateKey, this.options.digestMode !== 'challenge-per-request');
      this.digestSessions.set(key, session);
    }
    return session;
  }

  /** A service account's Bearer token, fetched once and shared until shortly before expiry. */
  private async token(credentials: Extract<AtlasCredentials, { kind: 'serviceAccount' }>, ctx: CallContext): Promise<string> {
    const key = credentialIdentity(credentials);
    const cached = this.tokens.get(key);
    if (cached) {
      const entry = await cached.catch(() => undefined);
      if (entry && entry.refreshAt > Date.now()) return entry.token;
      if (this.tokens.get(key) === cached) this.tokens.delete(key);
    }
    const pending = this.fetchToken(credentials, ctx);
    this.tokens.set(key, pending);
    pending.catch(() => this.tokens.get(key) === pending && this.tokens.delete(key));
    return (await pending).token;
  }

  private async fetchToken(
    credentials: Extract<AtlasCredentials, { kind: 'serviceAccount' }>,
    ctx: CallContext,
  ): Promise<{ token: string; refreshAt: number }> {
    const basic = Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString('base64');
    const url = `${this.options.baseUrl}/api/oauth/token`;
    if (ctx.stats) ctx.stats.atlasCalls += 1;
    const response = await this.agent.request({
      origin: this.options.baseUrl,
      path: '/api/oauth/token',
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': this.userAgent(),
      },
      body: 'grant_type=client_credentials',
      signal: ctx.signal,
    });
    const text = await response.body.text();
    this.options.metrics?.requests.inc({ method: 'POST', route: '/api/oauth/token', status: String(response.statusCode) });
    if (response.statusCode !== 200) {
      throw new AtlasApiError({
        httpStatus: response.statusCode,
        method: 'POST',
        url,
        body: { errorCode: response.statusCode === 401 ? 'INVALID_CLIENT_CREDENTIALS' : `HTTP_${response.statusCode}`, detail: 'the service account token request was refused' },
      });
    }
    const { access_token: token, expires_in: expiresIn } = JSON.parse(text) as { access_token: string; expires_in: number };
    // Refresh at two thirds of the lifetime, as the official operator does.
    return { token, refreshAt: Date.now() + (expiresIn * 1000 * 2) / 3 };
  }

  private async send(request: AtlasRequest, uri: string, ctx: CallContext, authorization: string | undefined) {
    const mediaType = `application/vnd.atlas.${request.version}+json`;
    const headers: Record<string, string> = { accept: mediaType, 'user-agent': this.userAgent() };
    if (authorization) headers.authorization = authorization;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    if (body !== undefined) headers['content-type'] = mediaType;
    if (ctx.stats) ctx.stats.atlasCalls += 1;
    const started = performance.now();
    const response = await this.agent.request({
      origin: this.options.baseUrl,
      path: uri,
      method: request.method,
      headers,
      body,
      signal: ctx.signal,
    });
    const text = await response.body.text();
    this.options.metrics?.requests.inc({ method: request.method, route: request.route, status: String(response.statusCode) });
    this.options.logger?.debug(
      { method: request.method, route: request.route, status: response.statusCode, ms: Math.round(performance.now() - started) },
      'atlas call',
    );
    return { status: response.statusCode, headers: response.headers, text };
  }

  private result<T>(request: AtlasRequest, response: { status: number; headers: Record<string, unknown>; text: string }): AtlasResponse<T> {
    const json = parseJson(response.text);
    if (response.status >= 200 && response.status < 300) return { status: response.status, body: json as T };
    throw new AtlasApiError({
      httpStatus: response.status,
      method: request.method,
      url: `${this.options.baseUrl}${request.path}`,
      body: typeof json === 'object' && json !== null ? (json as AtlasErrorBody) : undefined,
      retryAfterSeconds: parseRetryAfter(response.headers['retry-after']),
    });
  }

  private userAgent(): string {
    return this.options.userAgent ?? `atlas-metacontroller (${process.platform};${process.arch})`;
  }
}

function queryString(query: AtlasRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  return `?${params.toString()}`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function isConnectionError(error: Error): boolean {
  if (error instanceof undiciErrors.RequestAbortedError) return false;
  const code = (error as { code?: string }).code ?? '';
  return (
    error instanceof undiciErrors.SocketError ||
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code)
  );
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DeadlineExceededError('Atlas call'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DeadlineExceededError('Atlas call'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
