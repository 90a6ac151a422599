/**
 * The control plane for tests and the e2e run, under /__sim: reset, read state, advance the
 * clock, inject faults, count requests. Never part of Atlas's API; it has no auth because
 * the simulator is a local test tool.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { FaultSpec } from './faults.js';
import type { SimControl } from './server.js';
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

export function controlRoutes(control: SimControl): FastifyPluginAsync {
  return async (app) => {
    app.post('/__sim/reset', async () => {
      control.reset();
      return { ok: true };
    });
    app.get('/__sim/state', async () => control.state());
    app.post<{ Body: { seconds: number } }>('/__sim/clock/advance', async (request) => ({
      now: new Date(control.advance(Number(request.body?.seconds ?? 0))).toISOString(),
    }));
    app.post<{ Body: FaultSpec }>('/__sim/faults', async (request) => {
      control.injectFault(request.body);
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
