/**
 * `plan`: what a sync would write, from reads only. Through the hook server's
 * /hooks/<kind>/plan and through the CLI, against the simulator, whose counts prove that
 * nothing was written.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { relatedFor } from '../src/demo/objects.js';
import { runPlan } from '../src/plan/command.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from './helpers/operator.js';

const keys = secret('team-a', 'atlas-keys', demoCredentials);

function project(spec: Obj = {}): Obj {
  return {
    apiVersion: 'atlas.mongodb.com/v1',
    kind: 'AtlasProject',
    metadata: { name: 'my-project', namespace: 'team-a', uid: 'uid-p', generation: 1 },
    spec: { name: 'Planned', connectionSecretRef: { name: 'atlas-keys' }, projectIpAccessList: [{ ipAddress: '192.0.2.15' }], ...spec },
  };
}

const cluster: Obj = {
  apiVersion: 'atlas.mongodb.com/v1',
  kind: 'AtlasCluster',
  metadata: { name: 'my-cluster', namespace: 'team-a', uid: 'uid-c', generation: 1 },
  spec: { name: 'planned-cluster', projectRef: { name: 'my-project' }, providerSettings: { instanceSizeName: 'M10', providerName: 'AWS', regionName: 'US_EAST_1' } },
};

t.test('the plan hook lists the writes a sync would send, and sends none', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const p = project();
  const plan = async (kind: string, parent: Obj, related: Obj[]) =>
    (await op.hooks.post(`/hooks/${kind}/plan`, { controller: {}, parent, related: Object.fromEntries(Object.entries(relatedFor((await op.customize(kind, parent)).relatedResources, related as any))) })).json;

  const first = await plan('atlasproject', p, [keys]);
  t.same(
    first.changes.map((c: Obj) => `${c.method} ${c.path}`),
    ['POST /api/atlas/v2/groups', 'POST /api/atlas/v2/groups/{groupId}/accessList'],
    'a new project, then its access list (its id known only once created)',
  );
  t.match(first.changes[0].summary, /create project Planned/);
  t.match(conditionsOf({ status: first.status }).IPAccessListReady, { status: 'False', reason: 'ProjectIPAccessListNotActive' }, 'the status says what the sync would report');
  t.equal(op.writes(), 0, 'nothing was written to Atlas');
  t.equal(op.sim.control.store.projects.size, 0);

  await op.sync('atlasproject', p, [keys]);
  op.sim.control.advance(60);
  await op.sync('atlasproject', p, [keys]);
  t.equal(conditionsOf(p).Ready!.status, 'True');
  const writesWhenReady = op.writes();

  const steady = await plan('atlasproject', p, [keys]);
  t.same(steady.changes, [], 'in sync: no changes');
  t.equal(conditionsOf({ status: steady.status }).Ready!.status, 'True');

  p.spec.projectIpAccessList = [{ cidrBlock: '203.0.113.0/24', comment: 'office' }];
  const drift = await plan('atlasproject', p, [keys]);
  t.same(
    drift.changes.map((c: Obj) => `${c.method} ${c.path}`),
    [`POST /api/atlas/v2/groups/${p.status.id}/accessList`, `DELETE /api/atlas/v2/groups/${p.status.id}/accessList/192.0.2.15/32`],
    'the new entry is added before the old one goes',
  );

  const clusterPlan = await plan('atlascluster', structuredClone(cluster), [keys, p]);
  t.same(clusterPlan.changes.map((c: Obj) => c.method), ['POST']);
  t.match(clusterPlan.changes[0], { path: `/api/atlas/v2/groups/${p.status.id}/clusters`, summary: 'create cluster planned-cluster' });
  t.equal(op.writes(), writesWhenReady, 'planning wrote nothing');
});

t.test('the plan hook answers 400 for the wrong kind and a bad payload, never a 500', async (t) => {
  const op = await startOperator(t);
  const wrong = await op.hooks.post('/hooks/atlasproject/plan', { controller: {}, parent: cluster });
  t.equal(wrong.status, 400);
  t.match(wrong.json, { field: '/parent/kind' });
  const broken = await op.hooks.post('/hooks/atlascluster/plan', { controller: {} });
  t.equal(broken.status, 400);
  t.match(broken.json.message, /parent/);
});

t.test('atlas-metacontroller plan -f reads manifests and prints what it would write', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'plan-'));
  const manifests = join(dir, 'objects.yaml');
  const secrets = join(dir, 'secrets.yaml');
  // As a user writes them: the cluster first, stringData, no status.
  writeFileSync(manifests, [cluster, project()].map((o) => stringify({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: 'team-a' }, spec: o.spec })).join('---\n'));
  writeFileSync(secrets, stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'atlas-keys', namespace: 'team-a' }, stringData: demoCredentials }));

  const printed: string[] = [];
  const plans = await runPlan(['-f', manifests, '--secret', secrets, '--atlas-domain', op.sim.url], {}, (text) => printed.push(text));
  t.same(plans.map((p) => p.object), ['AtlasProject team-a/my-project', 'AtlasCluster team-a/my-cluster'], 'projects are planned first');
  t.match(printed.join('\n'), /AtlasProject team-a\/my-project\n {2}POST {3}\/api\/atlas\/v2\/groups\n {9}create project Planned/);
  t.match(printed.join('\n'), /AtlasCluster team-a\/my-cluster\n {2}no changes\n {2}then: Ready=False \(ProjectNotReady/);
  t.match(printed.join('\n'), /Plan: 2 Atlas writes for 2 objects\. Nothing was written\./);
  t.equal(op.writes(), 0);

  // Once the project exists, the cluster's plan is planned against the id the project's plan found.
  const p = project();
  await op.sync('atlasproject', p, [keys]);
  const again = await runPlan(['-f', manifests, '--secret', secrets, '--atlas-domain', op.sim.url, '--output', 'json'], {}, () => {});
  t.same(again[0]!.changes.map((c) => c.method), [], 'the project matches its manifest');
  t.same(again[1]!.changes.map((c) => `${c.method} ${c.path}`), [`POST /api/atlas/v2/groups/${p.status.id}/clusters`]);
  t.equal(op.writes(), 2, 'only the sync wrote (project and access list)');
});

t.test('plan: clear errors for files that are missing, not YAML or hold nothing to plan', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-'));
  const notYaml = join(dir, 'bad.yaml');
  writeFileSync(notYaml, 'kind: [unclosed');
  const onlySecret = join(dir, 'secret.yaml');
  writeFileSync(onlySecret, stringify(keys));
  const run = (args: string[]) => runPlan(args, {}, () => {});
  await t.rejects(run(['-f', join(dir, 'missing.yaml')]), { name: 'UsageError', message: /cannot read .*missing\.yaml/ });
  await t.rejects(run(['-f', notYaml]), { name: 'UsageError', message: /bad\.yaml: document 1 is not YAML/ });
  await t.rejects(run(['-f', onlySecret]), { name: 'UsageError', message: /no AtlasProject, AtlasCluster, AtlasDeployment, AtlasDatabaseUser in .*secret\.yaml/ });
  await t.rejects(run(['-f', onlySecret, '--output', 'xml']), { name: 'UsageError', message: /--output: "xml" is not table or json/ });
});
