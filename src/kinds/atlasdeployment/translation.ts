/**
 * deploymentSpec into the shared cluster model (../clusters/model.ts). The official v2
 * shape is already Atlas's advanced cluster, less two things: a replication spec with
 * numShards stands for that many shards, and diskSizeGB is one figure for every node.
 */
import type { DesiredCluster, Json } from '../clusters/model.js';
import type { DeploymentSpec, RegionConfig } from './schema.js';

type Hardware = NonNullable<RegionConfig['electableSpecs']>;

function hardware(spec: DeploymentSpec, given: Hardware | undefined, sizeOf: string | undefined): Json {
  return {
    ...(given?.instanceSize ?? sizeOf ? { instanceSize: given?.instanceSize ?? sizeOf } : {}),
    // A node type the spec leaves out has none: stating 0 makes nodes removed from the spec go away.
    nodeCount: given?.nodeCount ?? 0,
    ...(spec.diskSizeGB !== undefined ? { diskSizeGB: spec.diskSizeGB } : {}),
    ...(given?.diskIOPS !== undefined ? { diskIOPS: given.diskIOPS } : {}),
    ...(given?.ebsVolumeType !== undefined ? { ebsVolumeType: given.ebsVolumeType } : {}),
  };
}

function autoScaling(given: RegionConfig['autoScaling']): Json | undefined {
  if (!given) return undefined;
  const { compute, diskGB } = given;
  return {
    ...(compute ? { compute: { enabled: compute.enabled ?? false, scaleDownEnabled: compute.scaleDownEnabled ?? false, ...(compute.minInstanceSize ? { minInstanceSize: compute.minInstanceSize } : {}), ...(compute.maxInstanceSize ? { maxInstanceSize: compute.maxInstanceSize } : {}) } } : {}),
    ...(diskGB ? { diskGB: { enabled: diskGB.enabled ?? false } } : {}),
  };
}

function region(spec: DeploymentSpec, given: RegionConfig): Json {
  const priority = given.priority ?? 7;
  if (given.providerName === 'TENANT') {
    return { providerName: 'TENANT', backingProviderName: given.backingProviderName, regionName: given.regionName, priority, electableSpecs: { instanceSize: given.electableSpecs?.instanceSize } };
  }
  const size = given.electableSpecs?.instanceSize;
  const scaling = autoScaling(given.autoScaling);
  return {
    providerName: given.providerName,
    regionName: given.regionName,
    priority,
    electableSpecs: hardware(spec, given.electableSpecs, size),
    readOnlySpecs: hardware(spec, given.readOnlySpecs, size),
    analyticsSpecs: hardware(spec, given.analyticsSpecs, size),
    ...(scaling ? { autoScaling: scaling } : {}),
  };
}

function replicationSpecs(spec: DeploymentSpec): Json[] {
  return (spec.replicationSpecs ?? []).flatMap((given) => {
    const shard = {
      zoneName: given.zoneName ?? 'Zone 1',
      // Atlas wants the highest priority first.
      regionConfigs: (given.regionConfigs ?? []).map((r) => region(spec, r)).sort((a, b) => b.priority - a.priority),
    };
    return Array.from({ length: given.numShards ?? 1 }, () => structuredClone(shard));
  });
}

const SETTINGS = [
  'clusterType',
  'mongoDBMajorVersion',
  'versionReleaseSystem',
  'backupEnabled',
  'pitEnabled',
  'terminationProtectionEnabled',
  'encryptionAtRestProvider',
  'rootCertType',
  'configServerManagementMode',
  'biConnector',
  'labels',
  'tags',
] as const;

export function deploymentCluster(spec: DeploymentSpec): DesiredCluster {
  const shards = replicationSpecs(spec);
  const settings = Object.fromEntries(SETTINGS.flatMap((key) => (spec[key] !== undefined ? [[key, spec[key]]] : [])));
  return {
    name: spec.name,
    clusterType: spec.clusterType ?? (shards.length > 1 ? 'SHARDED' : 'REPLICASET'),
    replicationSpecs: shards,
    settings,
    ...(spec.paused !== undefined ? { paused: spec.paused } : {}),
  };
}
