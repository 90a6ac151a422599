import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAllDocuments, parse } from 'yaml';
import { allKinds, kindDefinitions } from '../src/kinds/index.js';
import { serveFlags } from '../src/server/serve.js';

const deployDir = new URL('../deploy/', import.meta.url);

function documents(file: string): any[] {
  return parseAllDocuments(readFileSync(new URL(file, deployDir), 'utf8')).map((d) => d.toJSON());
}

t.test('every kustomization resource parses', async (t) => {
  for (const dir of ['server', 'crds', 'metacontroller', 'overlays/cert-manager']) {
    const kustomization = parse(readFileSync(new URL(`${dir}/kustomization.yaml`, deployDir), 'utf8'));
    for (const file of kustomization.resources as string[]) {
      if (file.startsWith('..')) continue; // another of these kustomizations
      for (const doc of documents(`${dir}/${file}`)) t.ok(doc.kind && doc.apiVersion && doc.metadata?.name, `${dir}/${file}: ${doc.kind}`);
    }
  }
});

t.test('the Deployment serves HTTPS with a bearer token, sets only env vars the server reads, and probes its routes', async (t) => {
  const [deployment] = documents('server/deployment.yaml');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const known = new Set(Object.values(serveFlags).map((f) => f.env));
  for (const env of container.env) t.ok(known.has(env.name), `${env.name} is a serve flag's env var`);
  const env = Object.fromEntries(container.env.filter((e: any) => e.value).map((e: any) => [e.name, e.value]));
  const mounted = (file: string) =>
    container.volumeMounts.some((m: any) => file.startsWith(`${m.mountPath}/`) && pod.volumes.some((v: any) => v.name === m.name && v.secret));
  for (const flag of ['TLS_CERT_FILE', 'TLS_KEY_FILE', 'AUTH_TOKEN_FILE']) t.ok(mounted(env[flag]), `${flag} is a file of a mounted Secret`);
  t.same(pod.volumes.map((v: any) => v.secret.secretName).sort(), ['atlas-metacontroller-hook-token', 'atlas-metacontroller-tls']);
  t.equal(container.ports[0].containerPort, Number(env.PORT));
  t.equal(container.readinessProbe.httpGet.path, '/readyz');
  t.equal(container.readinessProbe.httpGet.scheme, 'HTTPS');
  t.equal(container.livenessProbe.httpGet.path, '/healthz');
  const seconds = (d: string) => Number(d.replace(/s$/, ''));
  t.ok(pod.terminationGracePeriodSeconds > seconds(env.SHUTDOWN_DELAY) + seconds(env.HOOK_TIMEOUT), 'the grace period covers the delay and a whole hook');
  t.same(container.securityContext.readOnlyRootFilesystem, true);
  t.same(pod.securityContext.runAsNonRoot, true);
  t.equal(deployment.spec.replicas, 2);
  const [policy] = documents('server/networkpolicy.yaml');
  t.same(policy.spec.ingress[0].ports, [{ port: container.ports[0].name, protocol: 'TCP' }], 'the NetworkPolicy admits the hook port');
  t.same(policy.spec.ingress[0].from[0].namespaceSelector.matchLabels, { 'kubernetes.io/metadata.name': 'metacontroller' });
});

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

t.test('kubectl kustomize renders deploy/ and every overlay', { skip: hasKubectl ? false : 'kubectl is not on this machine' }, async (t) => {
  const render = (dir: string) => execFileSync('kubectl', ['kustomize', new URL(dir, deployDir).pathname], { encoding: 'utf8' });
  t.match(render('.'), /kind: Deployment/);
  const certManager = parseAllDocuments(render('overlays/cert-manager')).map((d) => d.toJSON());
  const certificate = certManager.find((d) => d.kind === 'Certificate' && d.metadata.name === 'atlas-metacontroller-tls');
  t.equal(certificate.spec.secretName, 'atlas-metacontroller-tls', 'cert-manager writes the Secret the Deployment mounts');
  t.ok(certificate.spec.dnsNames.includes('atlas-metacontroller.atlas-metacontroller.svc'), 'for the host the CompositeControllers call');
  t.ok(certManager.some((d) => d.kind === 'Deployment'), 'on top of the whole base');
});

t.test('each Composite- and DecoratorController calls our routes with v2 hooks and the server timeout', async (t) => {
  const kustomization = parse(readFileSync(new URL('metacontroller/kustomization.yaml', deployDir), 'utf8'));
  const controllers = (kustomization.resources as string[]).flatMap((f) => documents(`metacontroller/${f}`));
  t.ok(controllers.length >= 1);
  const [deployment] = documents('server/deployment.yaml');
  const timeout = deployment.spec.template.spec.containers[0].env.find((e: any) => e.name === 'HOOK_TIMEOUT').value;
  t.same(controllers.map((c) => c.kind).sort(), [...allKinds().map(() => 'CompositeController'), 'DecoratorController'], 'one CompositeController per kind, and the sharing decorator');
  t.same(controllers.filter((c) => c.kind === 'CompositeController').map((c) => c.spec.parentResource.resource).sort(), kindDefinitions.map((k) => k.plural).sort(), 'each kind has its controller');
  for (const cc of controllers) {
    if (cc.kind === 'CompositeController') t.equal(cc.spec.generateSelector, true);
    for (const hook of ['customize', 'sync', 'finalize']) {
      const spec = cc.spec.hooks[hook];
      t.equal(spec.version, 'v2', `${cc.metadata.name} ${hook} is v2`);
      t.equal(spec.webhook.timeout, timeout, `${cc.metadata.name} ${hook} timeout matches HOOK_TIMEOUT`);
      t.match(spec.webhook.url, new RegExp(`^https://atlas-metacontroller\\.atlas-metacontroller\\.svc/hooks/${cc.metadata.name}/${hook}$`));
    }
    t.same(cc.spec.endpointConfigs, [
      {
        host: 'atlas-metacontroller.atlas-metacontroller.svc',
        caBundle: { secretRef: { name: 'atlas-metacontroller-tls', namespace: 'atlas-metacontroller', key: 'ca.crt' } },
        authorization: { secretRef: { name: 'atlas-metacontroller-hook-token', namespace: 'atlas-metacontroller', key: 'token' } },
      },
    ], `${cc.metadata.name} verifies our certificate and sends the token`);
  }
});

t.test('one version everywhere: package.json, the chart, the image tags, the changelog', async (t) => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const chart = parse(readFileSync(new URL('../charts/atlas-metacontroller/Chart.yaml', import.meta.url), 'utf8'));
  t.equal(chart.appVersion, version, 'Chart.yaml appVersion');
  t.equal(chart.version, version, 'Chart.yaml version');
  const [deployment] = documents('server/deployment.yaml');
  t.equal(deployment.spec.template.spec.containers[0].image.split(':').at(-1), version, 'deploy/ image tag');
  t.match(readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8'), new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]`, 'm'), 'a changelog entry');
  const license = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).license;
  t.equal(license, 'Apache-2.0');
  t.equal(chart.annotations['artifacthub.io/license'], license);
  t.match(readFileSync(new URL('../LICENSE', import.meta.url), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
});

t.test("the image writes the bundle's code cache under the NODE_OPTIONS it runs serve with", async (t) => {
  // V8 rejects a cache written under other flags: the build stage's, or one written before
  // the ENV. And once USER drops root, dist/ is no longer writable.
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const at = (pattern: RegExp) => runtime.search(pattern);
  const writes = at(/^RUN node scripts\/write-code-cache\.mjs\b/m);
  t.ok(writes > 0, 'the runtime stage runs scripts/write-code-cache.mjs');
  t.ok(at(/^COPY scripts\/write-code-cache\.mjs /m) < writes && at(/^COPY --from=build \/app\/dist /m) < writes && at(/^COPY bin /m) < writes, 'after the script, dist/ and bin/ are in place');
  t.ok(at(/^ENV NODE_OPTIONS=/m) < writes, 'after NODE_OPTIONS is set');
  t.ok(writes < at(/^USER /m), 'before USER drops root');
  t.notOk(/^ENV NODE_OPTIONS=/m.test(runtime.slice(writes)), 'and NODE_OPTIONS is not changed after it');
});

// What node holds outside V8's heap at peak (its mapped binary, buffers, thread stacks), read
// from bench:hooks: peak RSS less the heap's committed spaces.
const OUTSIDE_HEAP_MIB = 64;

t.test("the image's NODE_OPTIONS start node, and V8's heap limit plus node's own memory fit the pod's limit", async (t) => {
  const nodeOptions = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'))?.[1];
  if (!nodeOptions) return t.fail('the Dockerfile sets ENV NODE_OPTIONS="…"');
  const run = spawnSync(process.execPath, ['-p', 'v8.getHeapStatistics().heap_size_limit'], { env: { ...process.env, NODE_OPTIONS: nodeOptions }, encoding: 'utf8' });
  t.equal(run.status, 0, `node starts with NODE_OPTIONS="${nodeOptions}" ${run.stderr}`);
  const heapMiB = Number(run.stdout) / 2 ** 20;
  const mebibytes = (quantity: string) => {
    const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
    if (!match) throw new Error(`a memory limit in Mi or Gi, got ${quantity}`);
    return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
  };
  const [deployment] = documents('server/deployment.yaml');
  const values = parse(readFileSync(new URL('../charts/atlas-metacontroller/values.yaml', import.meta.url), 'utf8'));
  for (const [where, limit] of [['deploy/', deployment.spec.template.spec.containers[0].resources.limits.memory], ["the chart's values", values.resources.limits.memory]]) {
    t.ok(heapMiB + OUTSIDE_HEAP_MIB <= mebibytes(limit), `${where}: a ${heapMiB} MiB heap and ${OUTSIDE_HEAP_MIB} MiB outside it fit ${limit}`);
  }
});
