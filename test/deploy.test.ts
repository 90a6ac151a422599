import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAllDocuments, parse } from 'yaml';
import { serveFlags } from '../src/server/serve.js';

const deployDir = new URL('../deploy/', import.meta.url);

function documents(file: string): any[] {
  return parseAllDocuments(readFileSync(new URL(file, deployDir), 'utf8')).map((d) => d.toJSON());
}

t.test('every kustomization resource parses', async (t) => {
  const kustomization = parse(readFileSync(new URL('kustomization.yaml', deployDir), 'utf8'));
  for (const file of kustomization.resources as string[]) {
    if (file === 'metacontroller') continue; // a kustomization of its own, read below
    for (const doc of documents(file)) t.ok(doc.kind && doc.apiVersion && doc.metadata?.name, `${file}: ${doc.kind}`);
  }
});

t.test('the Deployment sets only env vars the server reads, and probes its routes', async (t) => {
  const [deployment] = documents('deployment.yaml');
  const container = deployment.spec.template.spec.containers[0];
  const known = new Set(Object.values(serveFlags).map((f) => f.env));
  for (const env of container.env) t.ok(known.has(env.name), `${env.name} is a serve flag's env var`);
  t.equal(container.readinessProbe.httpGet.path, '/readyz');
  t.equal(container.livenessProbe.httpGet.path, '/healthz');
  t.same(container.securityContext.readOnlyRootFilesystem, true);
  t.same(deployment.spec.template.spec.securityContext.runAsNonRoot, true);
  t.equal(deployment.spec.replicas, 2);
});

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

t.test('kubectl kustomize deploy/ renders', { skip: hasKubectl ? false : 'kubectl is not on this machine' }, async (t) => {
  const out = execFileSync('kubectl', ['kustomize', new URL('.', deployDir).pathname], { encoding: 'utf8' });
  t.match(out, /kind: Deployment/);
});

t.test('each CompositeController calls our routes with v2 hooks and the server timeout', async (t) => {
  const kustomization = parse(readFileSync(new URL('metacontroller/kustomization.yaml', deployDir), 'utf8'));
  const controllers = (kustomization.resources as string[]).flatMap((f) => documents(`metacontroller/${f}`));
  t.ok(controllers.length >= 1);
  const [deployment] = documents('deployment.yaml');
  const timeout = deployment.spec.template.spec.containers[0].env.find((e: any) => e.name === 'HOOK_TIMEOUT').value;
  for (const cc of controllers) {
    t.equal(cc.kind, 'CompositeController');
    t.equal(cc.spec.generateSelector, true);
    for (const hook of ['customize', 'sync', 'finalize']) {
      const spec = cc.spec.hooks[hook];
      t.equal(spec.version, 'v2', `${cc.metadata.name} ${hook} is v2`);
      t.equal(spec.webhook.timeout, timeout, `${cc.metadata.name} ${hook} timeout matches HOOK_TIMEOUT`);
      t.match(spec.webhook.url, new RegExp(`^http://atlas-metacontroller\\.atlas-metacontroller/hooks/${cc.metadata.name}/${hook}$`));
    }
  }
});
