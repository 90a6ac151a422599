/**
 * Our CRDs on a real kube-apiserver (v1.36.3, built from the Go module proxy): they are
 * accepted and established (structural schemas, CEL rules that compile), the examples pass
 * them, and invalid manifests are refused with a clear message.
 */
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBinaries, startControlPlane } from './control-plane.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = (kind: string, name: string, spec: object) =>
  JSON.stringify({ apiVersion: 'atlas.mongodb.com/v1', kind, metadata: { name, namespace: 'team-a' }, spec });

t.test('the CRDs on a real API server', { timeout: 900_000 }, async (t) => {
  const plane = await startControlPlane(buildBinaries().bin);
  t.teardown(async () => {
    if (t.counts.fail > 0) console.error(plane.logs());
    await plane.stop();
  });
  const k = plane.kubectl;
  k(['apply', '-k', join(root, 'deploy/crds')]);
  k(['wait', '--for=condition=Established', '--timeout=60s', 'crd/atlasprojects.atlas.mongodb.com', 'crd/atlasclusters.atlas.mongodb.com', 'crd/atlasdeployments.atlas.mongodb.com', 'crd/atlasdatabaseusers.atlas.mongodb.com', 'crd/atlasbackupschedules.atlas.mongodb.com', 'crd/atlasbackuppolicies.atlas.mongodb.com', 'crd/atlasipaccesslists.atlas.mongodb.com', 'crd/atlascustomroles.atlas.mongodb.com', 'crd/atlasteams.atlas.mongodb.com']);
  k(['create', 'namespace', 'team-a']);

  for (const file of ['credentials-secret.yaml', 'atlasproject.yaml', 'atlasproject-invalid-ip.yaml', 'atlascluster.yaml', 'atlasdeployment.yaml', 'atlasdatabaseuser.yaml']) {
    t.doesNotThrow(() => k(['apply', '-f', join(root, 'examples', file)]), `examples/${file} is accepted`);
  }
  t.equal(k(['get', '-n', 'team-a', 'atlasdatabaseuser/my-database-user', '-o', 'jsonpath={.spec.databaseName}']), 'admin', 'defaults apply');
  // The official operator's current samples for the kinds we serve, as users apply them.
  const samples = join(root, '../shared/ako-samples/v2.15.1/config/samples');
  if (existsSync(samples)) {
    k(['create', 'namespace', 'samples']);
    for (const file of ['atlas_v1_atlasproject.yaml', 'atlas_v1_atlasproject_with_maintenance_window.yaml', 'atlas_v1_atlasdatabaseuser.yaml', 'atlas_v1_atlasdeployment.yaml', 'atlas_v1_atlasbackupschedule.yaml', 'atlas_v1_atlasbackuppolicy.yaml', 'atlas_v1_atlasipaccesslist.yaml']) {
      t.doesNotThrow(() => k(['apply', '-n', 'samples', '-f', join(samples, file)]), `official v2.15.1 ${file} is accepted`);
    }
    t.equal(k(['get', '-n', 'samples', 'atlasproject/my-project', '-o', 'jsonpath={.spec.maintenanceWindow.dayOfWeek}']), '3', 'and its maintenance window is kept');
  }
  t.match(k(['get', '-n', 'team-a', 'atlasprojects']), /^NAME\s+NAME\s+READY\s+ATLAS ID\n/, 'printer columns');
  t.match(k(['get', '-n', 'team-a', 'atlasclusters']), /^NAME\s+NAME\s+READY\s+STATE\s+MONGODB VERSION\n/);
  t.match(k(['get', '-n', 'team-a', 'atlasdeployments']), /^NAME\s+READY\s+ATLAS STATE\s+MONGODB VERSION\n/, 'the official printer columns');
  t.equal(k(['get', '-n', 'team-a', 'atlasdeployment/my-atlas-deployment', '-o', 'jsonpath={.spec.deploymentSpec.terminationProtectionEnabled}']), 'false', 'the official default applies');

  const refused: Array<[string, string, RegExp]> = [
    [
      'two addresses in one access-list entry',
      manifest('AtlasProject', 'two-addresses', { name: 'Two', projectIpAccessList: [{ ipAddress: '192.0.2.1', cidrBlock: '192.0.2.0/24' }] }),
      /only one of the 'awsSecurityGroup', 'cidrBlock' or 'ipAddress' is required be specified/,
    ],
    [
      'a shared-tier cluster without backingProviderName',
      manifest('AtlasCluster', 'tenant', { name: 'tenant', projectRef: { name: 'p' }, providerSettings: { instanceSizeName: 'M0', providerName: 'TENANT', regionName: 'US_EAST_1' } }),
      /providerSettings.backingProviderName is required when providerName is TENANT/,
    ],
    [
      'a user without roles',
      manifest('AtlasDatabaseUser', 'no-roles', { projectRef: { name: 'p' }, username: 'u', passwordSecretRef: { name: 's' }, roles: [] }),
      /spec.roles: Invalid value: 0: spec.roles in body should have at least 1 items/,
    ],
    [
      'a password user without a password Secret',
      manifest('AtlasDatabaseUser', 'no-password', { projectRef: { name: 'p' }, username: 'u', roles: [{ roleName: 'read', databaseName: 'db' }] }),
      /spec.passwordSecretRef is required unless x509Type, oidcAuthType or awsIamType is set/,
    ],
  ];
  for (const [what, body, message] of refused) t.match(plane.kubectlFails(['apply', '-f', '-'], body), message, what);
  t.match(
    plane.kubectlFails(['patch', '-n', 'team-a', 'atlasproject/my-project', '--type=merge', '-p', '{"spec":{"name":"Renamed"}}']),
    /spec.name cannot be changed; create a new AtlasProject for a new Atlas project/,
    'spec.name is immutable',
  );
  t.match(
    plane.kubectlFails(['patch', '-n', 'team-a', 'atlascluster/my-atlas-cluster', '--type=merge', '-p', '{"spec":{"name":"other"}}']),
    /spec.name cannot be changed: Atlas cannot rename a cluster/,
  );
});

type SchemaNode = { type?: string; enum?: unknown[]; format?: string; minimum?: number; maximum?: number; minLength?: number; pattern?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode; additionalProperties?: SchemaNode | boolean; 'x-kubernetes-int-or-string'?: boolean };

/** A value for every field the official schema has, each valid on its own. */
function everyField(node: SchemaNode): unknown {
  if (node.enum?.length) return node.enum[0];
  if (node['x-kubernetes-int-or-string']) return 1;
  switch (node.type) {
    case 'string':
      if (node.format === 'date-time') return '2030-01-01T00:00:00Z';
      if (node.format === 'email') return 'ada@example.com';
      return 'x'.repeat(Math.max(1, node.minLength ?? 1));
    case 'integer':
    case 'number':
      return node.minimum ?? Math.min(1, node.maximum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return node.items ? [everyField(node.items)] : [];
    default:
      if (node.properties) return Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, everyField(v)]));
      if (node.additionalProperties && typeof node.additionalProperties === 'object') return { key: everyField(node.additionalProperties) };
      return {};
  }
}

const officialCrds = join(root, '../shared/ako-crds');
const withoutOfficialCrds = existsSync(officialCrds) ? false : `../shared/ako-crds is absent (${officialCrds})`;

t.test("objects stored under the official operator's CRDs keep every field once ours replace them", { timeout: 900_000, skip: withoutOfficialCrds }, async (t) => {
  const shared = officialCrds;
  const plane = await startControlPlane(buildBinaries().bin);
  t.teardown(async () => {
    if (t.counts.fail > 0) console.error(plane.logs());
    await plane.stop();
  });
  const k = plane.kubectl;
  k(['create', 'namespace', 'team-a']);
  // The current bundle's kinds, and the seed-era AtlasCluster as v0.8 left it (advancedClusterSpec).
  const kinds = [
    ['atlasprojects', 'AtlasProject', 'v2.15.1'],
    ['atlasdatabaseusers', 'AtlasDatabaseUser', 'v2.15.1'],
    ['atlasdeployments', 'AtlasDeployment', 'v2.15.1'],
    ['atlasbackupschedules', 'AtlasBackupSchedule', 'v2.15.1'],
    ['atlasbackuppolicies', 'AtlasBackupPolicy', 'v2.15.1'],
    ['atlasipaccesslists', 'AtlasIPAccessList', 'v2.15.1'],
    ['atlascustomroles', 'AtlasCustomRole', 'v2.15.1'],
    ['atlasteams', 'AtlasTeam', 'v2.15.1'],
    ['atlasclusters', 'AtlasCluster', 'v0.8.1'],
  ] as const;
  const stored: Record<string, unknown> = {};
  for (const [plural, kind, release] of kinds) {
    const file = join(shared, release, `atlas.mongodb.com_${plural}.yaml`);
    k(['apply', '--server-side', '-f', file]);
    k(['wait', '--for=condition=Established', '--timeout=60s', `crd/${plural}.atlas.mongodb.com`]);
    const schema = parse(readFileSync(file, 'utf8')).spec.versions.find((v: { storage?: boolean }) => v.storage).schema.openAPIV3Schema;
    const spec = everyField(schema.properties.spec) as Record<string, unknown>;
    // The official CEL rule: a projectRef or an externalProjectRef (with its Secret), not both.
    delete spec.externalProjectRef;
    // AtlasDeployment's: a serverlessSpec cannot be added any more, so no new object has one.
    delete spec.serverlessSpec;
    // AtlasIPAccessList's: one address per entry.
    for (const entry of (spec.entries as Array<Record<string, unknown>> | undefined) ?? []) {
      delete entry.cidrBlock;
      delete entry.awsSecurityGroup;
    }
    const object = { apiVersion: 'atlas.mongodb.com/v1', kind, metadata: { name: 'everything', namespace: 'team-a' }, spec };
    k(['apply', '-f', '-'], JSON.stringify(object));
    stored[kind] = JSON.parse(k(['get', '-n', 'team-a', `${plural}/everything`, '-o', 'json'])).spec;
  }
  // Ours replace the official CRDs, then every object is written again (a label is enough).
  for (const [plural] of kinds) k(['apply', '--server-side', '--force-conflicts', '-f', join(root, `deploy/crds/atlas.mongodb.com_${plural}.yaml`)]);
  for (const [plural, kind] of kinds) {
    k(['label', '-n', 'team-a', `${plural}/everything`, 'written=again']);
    const after = JSON.parse(k(['get', '-n', 'team-a', `${plural}/everything`, '-o', 'json'])).spec;
    const leaves = JSON.stringify(stored[kind]).split(/:(?=["\d[{tf])/).length - 1;
    t.ok(leaves >= 2, `${kind}: the official object sets ${leaves} spec fields`);
    t.same(after, stored[kind], `${kind}: every field survives our CRD, byte for byte`);
  }
});
