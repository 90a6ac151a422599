/** A dedicated cluster's advanced configuration options (…/processArgs, 2023-01-01 and 2024-08-05). */
import type { FastifyPluginAsync } from 'fastify';
import type { ClusterRecord, Json } from '../cluster-model.js';
import { ownedProject, send, type SimContext } from '../context.js';
import { atlasErrors } from '../errors.js';
import { ProcessArgsPatch, validateBody } from '../schemas.js';
import { dedicatedCluster } from './clusters.js';

type ClusterParams = { groupId: string; clusterName: string };
const PATH = '/api/atlas/v2/groups/:groupId/clusters/:clusterName/processArgs';
const VERSIONS = { config: { versions: ['2023-01-01', '2024-08-05'] } };

/** Atlas's defaults for a new dedicated cluster. */
const DEFAULTS: Json = {
  changeStreamOptionsPreAndPostImagesExpireAfterSeconds: -1,
  chunkMigrationConcurrency: 1,
  defaultReadConcern: 'available',
  defaultWriteConcern: 'majority',
  failIndexKeyTooLong: false,
  javascriptEnabled: true,
  minimumEnabledTlsProtocol: 'TLS1_2',
  noTableScan: false,
  sampleRefreshIntervalBIConnector: 0,
  sampleSizeBIConnector: 1000,
  tlsCipherConfigMode: 'DEFAULT',
};
const ONLY_2023 = ['defaultReadConcern', 'failIndexKeyTooLong'];

export function processArgsRoutes(ctx: SimContext): FastifyPluginAsync {
  const { store } = ctx;

  const cluster = (groupId: string, name: string) => dedicatedCluster(store, groupId, name);

  function render(c: ClusterRecord, version: string): Json {
    const args = { ...DEFAULTS, ...c.processArgs };
    for (const [key, value] of Object.entries(args)) if (value === null) delete args[key];
    if (version !== '2023-01-01') for (const key of ONLY_2023) delete args[key];
    return Object.fromEntries(Object.keys(args).sort().map((k) => [k, args[k]]));
  }

  return async (app) => {
    app.get<{ Params: ClusterParams }>(PATH, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      return send(reply, 200, render(cluster(project.id, request.params.clusterName), request.atlasVersion!));
    });

    app.patch<{ Params: ClusterParams }>(PATH, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const version = request.atlasVersion as '2023-01-01' | '2024-08-05';
      const c = cluster(project.id, request.params.clusterName);
      const body = validateBody<Json>(ProcessArgsPatch[version], request.body ?? {});
      if (c.phase === 'DELETING') throw atlasErrors.clusterDeleting(c.name);
      c.processArgs = { ...c.processArgs, ...body };
      return send(reply, 200, render(c, version));
    });
  };
}
