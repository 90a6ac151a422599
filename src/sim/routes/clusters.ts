/** Clusters in every version the spec lists (2023-01-01 legacy, 2023-02-01, 2024-08-05, 2024-10-23), with async state. */
import type { FastifyPluginAsync } from 'fastify';
import { CLUSTER_VERSIONS, docFromRequest, renderCluster, type ClusterRecord, type Json } from '../cluster-model.js';
import { baseUrl, ownedProject, paginate, send, type SimContext } from '../context.js';
import { atlasErrors } from '../errors.js';
import type { SimStore } from '../store.js';
import { Cluster20230101, Cluster20230201, Cluster20240805, validateBody } from '../schemas.js';

type GroupParams = { groupId: string };
type ClusterParams = { groupId: string; clusterName: string };
const PATH = '/api/atlas/v2/groups/:groupId/clusters';

function schemaFor(version: string) {
  return version === '2023-01-01' ? Cluster20230101 : version === '2023-02-01' ? Cluster20230201 : Cluster20240805;
}

/** A dedicated (or shared-tier) cluster by name, as the cluster API and its sub-resources find it: never a flex one. */
export function dedicatedCluster(store: SimStore, groupId: string, name: string): ClusterRecord {
  const cluster = store.clustersOf(groupId).get(name);
  if (!cluster) throw atlasErrors.clusterNotFound(name, groupId);
  if (cluster.flex) throw atlasErrors.flexInClusterApi(name);
  return cluster;
}

export function clusterRoutes(ctx: SimContext): FastifyPluginAsync {
  const { store } = ctx;
  const find = (groupId: string, name: string) => dedicatedCluster(store, groupId, name);

  return async (app) => {
    app.get<{ Params: GroupParams }>(PATH, { config: { versions: CLUSTER_VERSIONS.get } }, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const clusters = [...store.clustersOf(project.id).values()].filter((c) => !c.flex).map((c) =>
        renderCluster(baseUrl(request), c, request.atlasVersion!),
      );
      return send(reply, 200, paginate(request, clusters, `/api/atlas/v2/groups/${project.id}/clusters`));
    });

    app.post<{ Params: GroupParams }>(PATH, { config: { versions: CLUSTER_VERSIONS.create } }, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const version = request.atlasVersion!;
      const body = validateBody<Json>(schemaFor(version), request.body);
      if (!body.name) throw atlasErrors.missingAttribute('name');
      if (version === '2023-01-01' && !body.providerSettings) throw atlasErrors.missingAttribute('providerSettings');
      if (version !== '2023-01-01' && !body.replicationSpecs) throw atlasErrors.missingAttribute('replicationSpecs');
      if (version !== '2023-01-01' && !body.clusterType) throw atlasErrors.missingAttribute('clusterType');
      if (store.clustersOf(project.id).has(body.name)) throw atlasErrors.duplicateClusterName(body.name, project.id);
      const cluster = store.newCluster(project.id, body.name, docFromRequest(body, version));
      const created = renderCluster(baseUrl(request), cluster, version === '2024-10-23' ? '2024-08-05' : version);
      // Recorded: the create answer echoes tags only when the request had some; GETs always list them.
      if (body.tags === undefined) delete created.tags;
      return send(reply, 201, created);
    });

    app.get<{ Params: ClusterParams }>(`${PATH}/:clusterName`, { config: { versions: CLUSTER_VERSIONS.get } }, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      return send(reply, 200, renderCluster(baseUrl(request), find(project.id, request.params.clusterName), request.atlasVersion!));
    });

    app.patch<{ Params: ClusterParams }>(`${PATH}/:clusterName`, { config: { versions: CLUSTER_VERSIONS.create } }, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const version = request.atlasVersion!;
      const cluster = find(project.id, request.params.clusterName);
      const body = validateBody<Json>(schemaFor(version), request.body ?? {});
      if (cluster.phase === 'DELETING') throw atlasErrors.clusterDeleting(cluster.name);
      if (body.name !== undefined && body.name !== cluster.name) throw atlasErrors.invalidAttribute('name');
      const unpausing = body.paused === false;
      const otherChanges = Object.keys(body).some((k) => k !== 'paused');
      if (cluster.doc.paused && !(unpausing && !otherChanges)) throw atlasErrors.clusterPaused(cluster.name);
      cluster.doc = docFromRequest(body, version, cluster.doc);
      store.assignSpecIds(cluster);
      cluster.phase = 'UPDATING';
      cluster.phaseUntil = store.transitionEnd();
      return send(reply, 200, renderCluster(baseUrl(request), cluster, version === '2024-10-23' ? '2024-08-05' : version));
    });

    app.delete<{ Params: ClusterParams }>(`${PATH}/:clusterName`, { config: { versions: CLUSTER_VERSIONS.delete } }, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const cluster = find(project.id, request.params.clusterName);
      if (cluster.doc.terminationProtectionEnabled) throw atlasErrors.terminationProtected(cluster.name, project.id);
      if (cluster.phase !== 'DELETING') {
        cluster.phase = 'DELETING';
        cluster.phaseUntil = store.transitionEnd();
      }
      return send(reply, 202, {});
    });

    app.get<{ Params: ClusterParams }>(`${PATH}/:clusterName/status`, { config: { versions: ['2023-01-01'] } }, async (request, reply) => {
      const project = ownedProject(ctx, request, request.params.groupId);
      const cluster = find(project.id, request.params.clusterName);
      return send(reply, 200, {
        changeStatus: cluster.userChangesUntil > store.now() ? 'PENDING' : 'APPLIED',
        links: [{ href: `${baseUrl(request)}/api/atlas/v2/groups/${project.id}/clusters/${cluster.name}/status`, rel: 'self' }],
      });
    });
  };
}
