/**
 * Our CRDs on a real kube-apiserver (v1.36.3, built from the Go module proxy): they are
 * accepted and established (structural schemas, CEL rules that compile), the examples pass
 * them, and invalid manifests are refused with a clear message.
 */
import t from 'tap';
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
  k(['wait', '--for=condition=Established', '--timeout=60s', 'crd/atlasprojects.atlas.mongodb.com', 'crd/atlasclusters.atlas.mongodb.com', 'crd/atlasdatabaseusers.atlas.mongodb.com']);
  k(['create', 'namespace', 'team-a']);

  for (const file of ['credentials-secret.yaml', 'atlasproject.yaml', 'atlasproject-invalid-ip.yaml', 'atlascluster.yaml', 'atlasdatabaseuser.yaml']) {
    t.doesNotThrow(() => k(['apply', '-f', join(root, 'examples', file)]), `examples/${file} is accepted`);
  }
  t.equal(k(['get', '-n', 'team-a', 'atlasdatabaseuser/my-database-user', '-o', 'jsonpath={.spec.databaseName}']), 'admin', 'defaults apply');
  t.match(k(['get', '-n', 'team-a', 'atlasprojects']), /^NAME\s+NAME\s+READY\s+ATLAS ID\n/, 'printer columns');
  t.match(k(['get', '-n', 'team-a', 'atlasclusters']), /^NAME\s+NAME\s+READY\s+STATE\s+MONGODB VERSION\n/);

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
      /spec.passwordSecretRef is required unless x509Type is CUSTOMER or MANAGED/,
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
