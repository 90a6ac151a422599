/**
 * A dedicated cluster's cloud backup schedule (2023-01-01 and 2024-08-05): Atlas's default
 * policy until changed. Copy settings name the zone by replication spec id in 2023-01-01
 * and by zone id in 2024-08-05; the store keeps zone ids.
 */
import type { FastifyPluginAsync } from 'fastify';
import { atlasDate } from '../clock.js';
import type { ClusterRecord, Json } from '../cluster-model.js';
import { baseUrl, ownedProject, send, type SimContext } from '../context.js';
import { BackupSchedulePatch, validateBody } from '../schemas.js';
import { dedicatedCluster } from './clusters.js';

type ClusterParams = { groupId: string; clusterName: string };
const PATH = '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/schedule';
const VERSIONS = { config: { versions: ['2023-01-01', '2024-08-05'] } };

const DEFAULT_ITEMS = [
  { frequencyInterval: 6, frequencyType: 'hourly', retentionUnit: 'days', retentionValue: 7 },
  { frequencyInterval: 1, frequencyType: 'daily', retentionUnit: 'days', retentionValue: 7 },
  { frequencyInterval: 6, frequencyType: 'weekly', retentionUnit: 'weeks', retentionValue: 4 },
  { frequencyInterval: 40, frequencyType: 'monthly', retentionUnit: 'months', retentionValue: 12 },
  { frequencyInterval: 12, frequencyType: 'yearly', retentionUnit: 'years', retentionValue: 1 },
];

export function backupScheduleRoutes(ctx: SimContext): FastifyPluginAsync {
  const { store } = ctx;

  const cluster = (groupId: string, name: string) => dedicatedCluster(store, groupId, name);

  function schedule(c: ClusterRecord): Json {
    c.backupSchedule ??= {
      autoExportEnabled: false,
      copySettings: [],
      extraRetentionSettings: [],
      policies: [{ id: store.newId(), policyItems: DEFAULT_ITEMS.map((item) => ({ id: store.newId(), ...item })) }],
      referenceHourOfDay: 17,
      referenceMinuteOfHour: 5,
      restoreWindowDays: 7,
      useOrgAndGroupNamesInExportPrefix: false,
    };
    return c.backupSchedule;
  }

  const replicationSpecOf = (c: ClusterRecord, zoneId: string) => c.specIds.find((s) => s.zoneId === zoneId)?.id ?? zoneId;
  const zoneOf = (c: ClusterRecord, specId: string) => c.specIds.find((s) => s.id === specId)?.zoneId ?? specId;

  function render(base: string, c: ClusterRecord, version: string): Json {
    const stored = schedule(c);
    const copySettings = stored.copySettings.map(({ zoneId, ...rest }: Json) => (version === '2023-01-01' ? { ...rest, replicationSpecId: replicationSpecOf(c, zoneId) } : { ...rest, zoneId }));
    return {
      ...stored,
      clusterId: c.id,
      clusterName: c.name,
      copySettings,
      links: [{ href: `${base}/api/atlas/v2/groups/${c.groupId}/clusters/${c.name}/backup/schedule`, rel: 'self' }],
      nextSnapshot: atlasDate(store.now() + 6 * 3600_000),
    };
  }

  return async (app) => {
    app.get<{ Params: ClusterParams }>(PATH, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      return send(reply, 200, render(baseUrl(request), cluster(project.id, request.params.clusterName), request.atlasVersion!));
    });

    app.patch<{ Params: ClusterParams }>(PATH, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const version = request.atlasVersion as '2023-01-01' | '2024-08-05';
      const c = cluster(project.id, request.params.clusterName);
      const body = validateBody<Json>(BackupSchedulePatch[version], request.body ?? {});
      const { updateSnapshots: _u, clusterId: _c, clusterName: _n, nextSnapshot: _s, links: _l, ...settable } = body;
      const stored = schedule(c);
      if (settable.copySettings) {
        settable.copySettings = settable.copySettings.map(({ replicationSpecId, zoneId, ...rest }: Json) => ({ ...rest, zoneId: zoneId ?? zoneOf(c, replicationSpecId) }));
      }
      if (settable.policies) {
        const policyId = stored.policies[0]?.id ?? store.newId();
        settable.policies = settable.policies.map((p: Json) => ({ id: policyId, policyItems: p.policyItems.map((item: Json) => ({ ...item, id: item.id ?? store.newId() })) }));
      }
      c.backupSchedule = { ...stored, ...settable };
      return send(reply, 200, render(baseUrl(request), c, version));
    });

    app.delete<{ Params: ClusterParams }>(PATH, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const c = cluster(project.id, request.params.clusterName);
      // Removes every policy item: Atlas's "delete all backup schedules".
      c.backupSchedule = { ...schedule(c), policies: [{ id: schedule(c).policies[0]?.id ?? store.newId(), policyItems: [] }] };
      return send(reply, 200, render(baseUrl(request), c, request.atlasVersion!));
    });
  };
}
