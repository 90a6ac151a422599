/**
 * The control plane for tests and the e2e run, under /__sim: reset, read state, advance the
 * clock, inject faults, count requests. Never part of Atlas's API; it has no auth because
 * the simulator is a local test tool.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { FaultSpec, type FaultsAndCounts } from './faults.js';
import type { RateLimitOptions } from './ratelimit.js';
import type { SimStore } from './store.js';

export interface SimState {
  projects: Array<{
    id: string;
    name: string;
    orgId: string;
    accessList: Array<{ cidrBlock?: string; ipAddress?: string; awsSecurityGroup?: string; comment?: string; deleteAfterDate?: string }>;
    clusters: Array<{ name: string; stateName: string; paused: boolean; instanceSizes: string[] }>;
    databaseUsers: Array<{ databaseName: string; username: string; roles: unknown[]; scopes: unknown[]; passwordSha256?: string }>;
  }>;
}

export function snapshotState(store: SimStore): SimState {
  return {
    projects: [...store.projects.values()].map((p) => ({
      id: p.id,
      name: p.name,
      orgId: p.orgId,
      accessList: [...store.accessList(p.id).values()].map(({ groupId: _g, activeAt: _a, ...entry }) => entry),
      clusters: [...store.clustersOf(p.id).values()].map((c) => ({
        name: c.name,
        stateName: c.phase,
        paused: Boolean(c.doc.paused),
        instanceSizes: c.doc.replicationSpecs.flatMap((s) => s.regionConfigs.map((r) => r.electableSpecs?.instanceSize)),
      })),
      databaseUsers: [...store.usersOf(p.id).values()].map((u) => ({
        databaseName: u.databaseName,
        username: u.username,
        roles: u.roles,
        scopes: u.scopes,
        ...(u.passwordSha256 ? { passwordSha256: u.passwordSha256 } : {}),
      })),
    })),
  };
}

const TEN_YEARS = 10 * 366 * 24 * 3600;

const ClockAdvance = Type.Object({ seconds: Type.Number({ minimum: 0, maximum: TEN_YEARS }) }, { additionalProperties: false });


const checks = new Map<TSchema, TypeCheck<TSchema>>();

/** The body if it fits the schema; else a 400 that names the field, and undefined. */
function checked<T extends TSchema>(schema: T, body: unknown, reply: FastifyReply): Static<T> | undefined {
  let check = checks.get(schema);
  if (!check) checks.set(schema, (check = TypeCompiler.Compile(schema)));
  if (check.Check(body)) return body as Static<T>;
  const error = check.Errors(body).First();
  const field = error?.path || '/';
  void reply.code(400).send({ error: 'Bad Request', message: `body ${field}: ${error?.message ?? 'is invalid'}`, field });
  return undefined;
}

/** What tests and the control routes can do to a running simulator. */
export interface SimControl {
  reset(): void;
  /** Move the simulator clock forward; returns the new time (ms since the epoch). */
  advance(seconds: number): number;
  /** The simulator's time (ms since the epoch): hooks under test take theirs from it. */
  now(): number;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  requestCounts(): ReturnType<FaultsAndCounts['counted']>;
  clearRequestCounts(): void;
  state(): SimState;
  setProvisionSeconds(seconds: number): void;
  setRateLimit(options: RateLimitOptions | false): void;
  /** The store itself, for tests that change Atlas behind the operator's back. */
  store: SimStore;
}

export function controlRoutes(control: SimControl): FastifyPluginAsync {
  return async (app) => {
    app.post('/__sim/reset', async () => {
      control.reset();
      return { ok: true };
    });
    app.get('/__sim/state', async () => control.state());
    app.post('/__sim/clock/advance', async (request, reply) => {
      const body = checked(ClockAdvance, request.body, reply);
      if (!body) return reply;
      return { now: new Date(control.advance(body.seconds)).toISOString() };
    });
    app.post('/__sim/faults', async (request, reply) => {
      const body = checked(FaultSpec, request.body, reply);
      if (!body) return reply;
      control.injectFault(body);
      return { ok: true };
    });
    app.delete('/__sim/faults', async () => {
      control.clearFaults();
      return { ok: true };
    });
    app.get('/__sim/requests', async () => control.requestCounts());
    app.delete('/__sim/requests', async () => {
      control.clearRequestCounts();
      return { ok: true };
    });
  };
}
