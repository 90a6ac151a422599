/** Flex clusters (2024-11-13): their own API; the cluster API refuses them by name. */
import type { FastifyPluginAsync } from 'fastify';
import { docFromRequest, renderFlexCluster, type ClusterRecord, type Json } from '../cluster-model.js';
import { baseUrl, ownedProject, paginate, send, type SimContext } from '../context.js';
import { atlasErrors } from '../errors.js';
import { Cluster20240805, FlexClusterCreate, FlexClusterUpdate, validateBody } from '../schemas.js';

type GroupParams = { groupId: string };
type FlexParams = { groupId: string; name: string };
const PATH = '/api/atlas/v2/groups/:groupId/flexClusters';
const VERSIONS = { config: { versions: ['2024-11-13'] } };

export function flexClusterRoutes(ctx: SimContext): FastifyPluginAsync {
  const { store } = ctx;

  function find(groupId: string, name: string): ClusterRecord {
    const cluster = store.clustersOf(groupId).get(name);
    if (!cluster?.flex) throw atlasErrors.clusterNotFound(name, groupId);
    return cluster;
  }

  return async (app) => {
    app.get<{ Params: GroupParams }>(PATH, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const flex = [...store.clustersOf(project.id).values()].filter((c) => c.flex).map((c) => renderFlexCluster(baseUrl(request), c));
      return send(reply, 200, paginate(request, flex, `/api/atlas/v2/groups/${project.id}/flexClusters`));
    });

    app.post<{ Params: GroupParams }>(PATH, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const body = validateBody<Json>(FlexClusterCreate, request.body);
      if (store.clustersOf(project.id).has(body.name)) throw atlasErrors.duplicateClusterName(body.name, project.id);
      const doc = { clusterType: 'REPLICASET', replicationSpecs: [], tags: body.tags ?? [], terminationProtectionEnabled: body.terminationProtectionEnabled ?? false };
      const cluster = store.newCluster(project.id, body.name, doc, { backingProviderName: body.providerSettings.backingProviderName, regionName: body.providerSettings.regionName });
      return send(reply, 201, renderFlexCluster(baseUrl(request), cluster));
    });

    // A flex cluster becomes the dedicated cluster the body describes (the colon is the route's).
    app.post<{ Params: GroupParams }>(`${PATH}::tenantUpgrade`, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const body = validateBody<Json>(Cluster20240805, request.body);
      if (!body.name) throw atlasErrors.missingAttribute('name');
      const cluster = store.clustersOf(project.id).get(body.name);
      if (!cluster) throw atlasErrors.clusterNotFound(body.name, project.id);
      if (!cluster.flex) throw atlasErrors.nonFlexInFlexApi(body.name);
      if (!body.replicationSpecs) throw atlasErrors.missingAttribute('replicationSpecs');
      cluster.phase = 'UPDATING';
      cluster.phaseUntil = store.transitionEnd();
      const answer = renderFlexCluster(baseUrl(request), cluster);
      delete cluster.flex;
      cluster.doc = docFromRequest({ clusterType: 'REPLICASET', ...body }, '2024-08-05');
      store.assignSpecIds(cluster);
      return send(reply, 200, answer);
    });

    app.get<{ Params: FlexParams }>(`${PATH}/:name`, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      return send(reply, 200, renderFlexCluster(baseUrl(request), find(project.id, request.params.name)));
    });

    app.patch<{ Params: FlexParams }>(`${PATH}/:name`, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const cluster = find(project.id, request.params.name);
      const body = validateBody<Json>(FlexClusterUpdate, request.body ?? {});
      if (cluster.phase === 'DELETING') throw atlasErrors.clusterDeleting(cluster.name);
      cluster.doc = { ...cluster.doc, ...body };
      return send(reply, 200, renderFlexCluster(baseUrl(request), cluster));
    });

    app.delete<{ Params: FlexParams }>(`${PATH}/:name`, VERSIONS, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const cluster = find(project.id, request.params.name);
      if (cluster.doc.terminationProtectionEnabled) throw atlasErrors.terminationProtected(cluster.name, project.id);
      if (cluster.phase !== 'DELETING') {
        cluster.phase = 'DELETING';
        cluster.phaseUntil = store.transitionEnd();
      }
      return send(reply, 204, undefined);
    });
  };
}
