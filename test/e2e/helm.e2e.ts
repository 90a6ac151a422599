/**
 * The Helm chart with a real helm (built by build-binaries.sh) and a real API server:
 * lint, template with the defaults and with every option, a wrong value refused by
 * values.schema.json, and an install whose objects kubectl then finds.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { allKinds } from '../../src/kinds/index.js';
import { buildBinaries, startControlPlane } from './control-plane.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const chart = join(root, 'charts/atlas-metacontroller');
const binaries = buildBinaries();
const helm = (args: string[], kubeconfig?: string) =>
  execFileSync(join(binaries.bin, 'helm'), [...args, ...(kubeconfig ? ['--kubeconfig', kubeconfig] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const documents = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJSON()).filter(Boolean);
const KUBE = ['--kube-version', '1.36.3'];

t.test('helm lint passes', async (t) => {
  t.match(helm(['lint', '--strict', chart]), /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

t.test('helm template: the defaults', async (t) => {
  const objects = documents(helm(['template', 'atlas-metacontroller', chart, '-n', 'atlas-system', ...KUBE]));
  t.same(objects.map((o) => o.kind).sort(), [...allKinds().map(() => 'CompositeController'), 'DecoratorController', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount'], 'one CompositeController per kind');
  for (const controller of objects.filter((o) => o.kind.endsWith('Controller'))) {
    t.equal(controller.spec.hooks.sync.webhook.url, `https://atlas-metacontroller.atlas-system.svc/hooks/${controller.metadata.name}/sync`);
    t.same(controller.spec.endpointConfigs[0].authorization.secretRef, { name: 'atlas-metacontroller-hook-token', namespace: 'atlas-system', key: 'token' });
  }
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  t.equal(deployment.spec.template.spec.containers[0].image, `ghcr.io/atlas-metacontroller/atlas-metacontroller:${version}`, 'the image tag is the app version');
});

t.test('helm template: every option', async (t) => {
  const values = join(binaries.bin, '..', 'full-values.yaml');
  writeFileSync(
    values,
    'tls: {certManager: {enabled: true}}\nauth: {token: token-from-values}\nglobalCredentials: {create: true, orgId: 5f0c0a0b0c0d0e0f10111213, publicApiKey: pub, privateApiKey: priv}\nserviceMonitor: {enabled: true}\nnetworkPolicy: {extraNamespaces: [monitoring, prometheus]}\nmetacontroller: {namespace: mc-system}\nnodeOptions: --max-semi-space-size=8 --max-old-space-size=400\n',
  );
  const objects = documents(helm(['template', 'atlas-metacontroller', chart, '-n', 'atlas-system', '-f', values, ...KUBE]));
  const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  t.ok(named('Certificate', 'atlas-metacontroller-tls'), 'cert-manager makes the TLS Secret');
  t.ok(named('ServiceMonitor', 'atlas-metacontroller'));
  t.same(Object.keys(named('Secret', 'atlas-metacontroller-api-key').data).sort(), ['orgId', 'privateApiKey', 'publicApiKey'], 'the global credentials Secret, as the operator names it');
  t.equal(Buffer.from(named('Secret', 'atlas-metacontroller-hook-token').data.token, 'base64').toString(), 'token-from-values');
  t.same(named('NetworkPolicy', 'atlas-metacontroller').spec.ingress[0].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']), ['mc-system', 'monitoring', 'prometheus']);
  t.same(named('Deployment', 'atlas-metacontroller').spec.template.spec.containers[0].env.find((e: any) => e.name === 'NODE_OPTIONS'), { name: 'NODE_OPTIONS', value: '--max-semi-space-size=8 --max-old-space-size=400' }, 'nodeOptions reaches the container');
  t.same(named('CompositeController', 'atlasproject').spec.endpointConfigs[0].caBundle.secretRef, { name: 'atlas-metacontroller-tls', namespace: 'atlas-system', key: 'ca.crt' });
});

t.test('a wrong value fails at install, naming it', async (t) => {
  const error = (() => {
    try {
      helm(['template', 'x', chart, '--set', 'hookTimeout=soon', ...KUBE]);
    } catch (e) {
      return String((e as { stderr?: string }).stderr);
    }
    return '';
  })();
  t.match(error, /at '\/hookTimeout': 'soon' does not match pattern/);
});

t.test('helm install onto a real API server', { skip: 'binary' in binaries.metacontroller ? false : 'no Metacontroller CRDs here (see scenario.e2e.ts)', timeout: 300_000 }, async (t) => {
  const plane = await startControlPlane(binaries.bin);
  t.teardown(async () => {
    if (t.counts.fail > 0) console.error(plane.logs());
    await plane.stop();
  });
  const k = plane.kubectl;
  k(['apply', '--server-side', '-f', (binaries.metacontroller as { crds: string }).crds]);
  k(['wait', '--for=condition=Established', '--timeout=60s', 'crd/compositecontrollers.metacontroller.k8s.io', 'crd/decoratorcontrollers.metacontroller.k8s.io']);
  t.match(helm(['install', 'atlas-metacontroller', chart, '-n', 'atlas-system', '--create-namespace', '--set', 'auth.token=install-token'], plane.kubeconfig), /STATUS: deployed/);
  k(['wait', '--for=condition=Established', '--timeout=60s', 'crd/atlasprojects.atlas.mongodb.com', 'crd/atlasclusters.atlas.mongodb.com', 'crd/atlasdeployments.atlas.mongodb.com', 'crd/atlasbackupschedules.atlas.mongodb.com', 'crd/atlasipaccesslists.atlas.mongodb.com', 'crd/atlasbackuppolicies.atlas.mongodb.com', 'crd/atlasdatabaseusers.atlas.mongodb.com', 'crd/atlascustomroles.atlas.mongodb.com', 'crd/atlasteams.atlas.mongodb.com']);
  t.match(k(['get', 'deployment,service,serviceaccount,poddisruptionbudget,networkpolicy,secret', '-n', 'atlas-system', '-o', 'name']), /deployment.apps\/atlas-metacontroller\n.*service\/atlas-metacontroller[\s\S]*secret\/atlas-metacontroller-hook-token/);
  t.equal(k(['get', 'compositecontrollers', '-o', 'jsonpath={.items[*].metadata.name}']), 'atlasbackuppolicy atlasbackupschedule atlascluster atlascustomrole atlasdatabaseuser atlasdeployment atlasipaccesslist atlasproject atlasteam');
  t.equal(k(['get', 'decoratorcontroller/connectionsecretsharing', '-o', 'jsonpath={.spec.hooks.sync.webhook.url}']), 'https://atlas-metacontroller.atlas-system.svc/hooks/connectionsecretsharing/sync');
  t.match(helm(['uninstall', 'atlas-metacontroller', '-n', 'atlas-system'], plane.kubeconfig), /uninstalled/);
});
