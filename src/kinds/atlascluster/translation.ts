/**
 * The seed-era AtlasCluster spec, translated into the shared cluster model (../clusters/
 * model.ts). Pure: the shapes covered are a shared tier (TENANT, M0–M5), one region,
 * several regions (replicationSpecs[].regionsConfig), and sharded (numShards).
 */
import type { DesiredCluster, Json } from '../clusters/model.js';
import type { AtlasClusterSpec } from './schema.js';

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

