/**
 * AtlasCluster's specs, translated into the shared cluster model (../clusters/model.ts).
 * Pure. The seed-era shape (at the top, or under v0.8's clusterSpec): a shared tier
 * (TENANT, M0–M5), one region, several regions (replicationSpecs[].regionsConfig), sharded
 * (numShards). v0.8's advancedClusterSpec is the shape AtlasDeployment's deploymentSpec
 * grew from, so it goes through that kind's translation.
 */
import type { DeploymentSpec } from '../atlasdeployment/schema.js';
import { deploymentCluster } from '../atlasdeployment/translation.js';
import type { DesiredCluster, Json } from '../clusters/model.js';
import type { AdvancedClusterSpecV08, AtlasClusterSpec, AtlasClusterStoredSpec } from './schema.js';

function hardware(spec: AtlasClusterSpec, nodeCount: number): Json {
  const p = spec.providerSettings;
  const aws = p.providerName === 'AWS';
  return {
    instanceSize: p.instanceSizeName,
    nodeCount,
    ...(spec.diskSizeGB !== undefined ? { diskSizeGB: spec.diskSizeGB } : {}),
    ...(aws && p.diskIOPS !== undefined ? { diskIOPS: p.diskIOPS } : {}),
    ...(aws && p.volumeType !== undefined ? { ebsVolumeType: p.volumeType } : {}),
  };
}

function autoScaling(spec: AtlasClusterSpec): Json | undefined {
  const compute = { ...spec.providerSettings.autoScaling?.compute, ...spec.autoScaling?.compute };
  if (spec.autoScaling === undefined && spec.providerSettings.autoScaling === undefined) return undefined;
  return {
    compute: {
      enabled: compute.enabled ?? false,
      scaleDownEnabled: compute.scaleDownEnabled ?? false,
      ...(compute.minInstanceSize ? { minInstanceSize: compute.minInstanceSize } : {}),
      ...(compute.maxInstanceSize ? { maxInstanceSize: compute.maxInstanceSize } : {}),
    },
    diskGB: { enabled: spec.autoScaling?.diskGBEnabled ?? true },
  };
}

function regionConfigs(spec: AtlasClusterSpec, regions: Array<[string, { electableNodes?: number; readOnlyNodes?: number; analyticsNodes?: number; priority?: number }]>): Json[] {
  const p = spec.providerSettings;
  if (p.providerName === 'TENANT') {
    return [{ providerName: 'TENANT', backingProviderName: p.backingProviderName, regionName: regions[0]?.[0], priority: 7, electableSpecs: { instanceSize: p.instanceSizeName } }];
  }
  const scaling = autoScaling(spec);
  return regions
    .map(([regionName, r]) => ({
      providerName: p.providerName,
      regionName,
      priority: r.priority ?? 7,
      // Atlas echoes every node type; stating 0 makes nodes removed from the spec go away.
      electableSpecs: hardware(spec, r.electableNodes ?? 0),
      readOnlySpecs: hardware(spec, r.readOnlyNodes ?? 0),
      analyticsSpecs: hardware(spec, r.analyticsNodes ?? 0),
      ...(scaling ? { autoScaling: scaling } : {}),
    }))
    .sort((a, b) => b.priority - a.priority); // Atlas wants the highest priority first
}

function replicationSpecs(spec: AtlasClusterSpec): Json[] {
  const specs = spec.replicationSpecs?.length
    ? spec.replicationSpecs.map((r) => ({
        numShards: r.numShards ?? 1,
        zoneName: r.zoneName ?? 'Zone 1',
        regions: Object.entries(r.regionsConfig ?? {}),
      }))
    : [{ numShards: spec.numShards ?? 1, zoneName: 'Zone 1', regions: [[spec.providerSettings.regionName ?? '', { electableNodes: 3, priority: 7 }]] as Array<[string, { electableNodes: number; priority: number }]> }];
  return specs.flatMap(({ numShards, zoneName, regions }) =>
    Array.from({ length: numShards }, () => ({ zoneName, regionConfigs: regionConfigs(spec, regions) })),
  );
}

function shardCount(spec: AtlasClusterSpec): number {
  return spec.replicationSpecs?.length ? spec.replicationSpecs.reduce((n, r) => n + (r.numShards ?? 1), 0) : (spec.numShards ?? 1);
}

/** Top-level fields the spec sets, in Atlas's names. */
function topLevel(spec: AtlasClusterSpec): Json {
  return {
    ...(spec.mongoDBMajorVersion !== undefined ? { mongoDBMajorVersion: spec.mongoDBMajorVersion } : {}),
    ...(spec.pitEnabled !== undefined ? { pitEnabled: spec.pitEnabled } : {}),
    ...(spec.providerBackupEnabled !== undefined ? { backupEnabled: spec.providerBackupEnabled } : {}),
    ...(spec.biConnector !== undefined ? { biConnector: spec.biConnector } : {}),
    ...(spec.encryptionAtRestProvider !== undefined ? { encryptionAtRestProvider: spec.encryptionAtRestProvider } : {}),
    ...(spec.labels !== undefined ? { labels: spec.labels } : {}),
  };
}

function clusterType(spec: AtlasClusterSpec): string {
  return spec.clusterType ?? (shardCount(spec) > 1 ? 'SHARDED' : 'REPLICASET');
}

export function seedCluster(spec: AtlasClusterSpec): DesiredCluster {
  return {
    name: spec.name,
    clusterType: clusterType(spec),
    replicationSpecs: replicationSpecs(spec),
    settings: topLevel(spec),
    ...(spec.paused !== undefined ? { paused: spec.paused } : {}),
  };
}


/** v0.8's advancedClusterSpec as the deploymentSpec it became: autoScaling.diskGBEnabled is diskGB.enabled now. */
export function fromAdvancedClusterSpec(advanced: AdvancedClusterSpecV08): DeploymentSpec {
  const { id: _id, groupId: _g, createDate: _c, stateName: _s, mongoDBVersion: _m, connectionStrings: _cs, replicationSpecs, ...settings } = advanced;
  return {
    ...settings,
    name: advanced.name ?? '',
    replicationSpecs: replicationSpecs?.map(({ id: _specId, regionConfigs, ...shard }) => ({
      ...shard,
      regionConfigs: regionConfigs?.map(({ autoScaling, ...region }) => ({
        ...region,
        ...(autoScaling
          ? { autoScaling: { ...(autoScaling.compute ? { compute: autoScaling.compute } : {}), ...(autoScaling.diskGBEnabled !== undefined ? { diskGB: { enabled: autoScaling.diskGBEnabled } } : {}) } }
          : {}),
      })),
    })),
  };
}

/** The Atlas cluster an AtlasCluster describes, whichever of its three shapes it uses. */
export function clusterIntent(spec: AtlasClusterStoredSpec): DesiredCluster {
  if (spec.advancedClusterSpec) return deploymentCluster(fromAdvancedClusterSpec(spec.advancedClusterSpec));
  if (spec.clusterSpec) return seedCluster({ projectRef: spec.projectRef, ...spec.clusterSpec });
  return seedCluster(spec as AtlasClusterSpec);
}

/** The Atlas cluster's name, from a spec that may not be valid (finalize takes any). */
export function clusterNameOf(spec: Partial<AtlasClusterStoredSpec>): string {
  return spec.advancedClusterSpec?.name ?? spec.clusterSpec?.name ?? spec.name ?? '';
}
