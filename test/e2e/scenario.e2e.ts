/**
 * The end-to-end scenario on a real kube-apiserver, etcd and Metacontroller, all with
 * kubectl: `npm run test:e2e`. The hook server and the simulator run as their own
 * processes (`atlas-metacontroller serve|sim`), as in production. Our CRDs and
 * CompositeControllers are applied from deploy/ (the controllers through a kustomize overlay
 * that points their hooks at the local hook server), Metacontroller's CRDs from its release.
 *
 * Three teams, each with its own Atlas organization: team-a plays our examples, `samples`
 * the official operator's v0.5.0 samples (global credentials Secret), `quickstart` its
 * v0.5.0 README quick start (an unlabelled project Secret, a CIDR block in ipAddress).
 *
 * The hooks are secured as deploy/ secures them: HTTPS with a certificate of a private CA
 * and a bearer token, both from Secrets in atlas-metacontroller made the way the README's
 * "Securing the hooks" makes them by hand, and CompositeControllers whose endpointConfigs
 * read the CA and the token from those Secrets.
 *
 * Metacontroller comes from $E2E_METACONTROLLER_BIN or the e2e cache (see control-plane.ts);
 * without one the suite skips and says where it looked.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { startPki } from '../helpers/pki.js';
import { buildBinaries, freePortOnLoopback, startControlPlane, type ControlPlane, type Watch } from './control-plane.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const samples = join(root, '../shared/ako-samples/v0.5.0');
const HOOKS = ['customize', 'sync', 'finalize'];
const KINDS = ['atlasproject', 'atlascluster', 'atlasdeployment', 'atlasdatabaseuser', 'atlasipaccesslist', 'atlascustomrole', 'atlasteam', 'atlasbackupschedule', 'atlasbackuppolicy'];
/** Every controller deploy/metacontroller defines, by kind and name (= the hooks' route). */
const CONTROLLERS = [...KINDS.map((name) => ['CompositeController', name] as const), ['DecoratorController', 'connectionsecretsharing'] as const];
/** The idle window; E2E_IDLE_SECONDS shortens it for a quick local run. */
const IDLE_SECONDS = Number(process.env.E2E_IDLE_SECONDS ?? 180);

const ORGS = {
  'team-a': { id: '5f0c0a0b0c0d0e0f10111213', publicKey: 'demopubk', privateKey: 'demo-private-key-not-a-secret' },
  samples: { id: '6a0000000000000000000001', publicKey: 'samplespubk', privateKey: 'samples-private-key-not-a-secret' },
  quickstart: { id: '6a0000000000000000000002', publicKey: 'quickpubk', privateKey: 'quick-private-key-not-a-secret' },
};

/** A kustomize overlay of deploy/metacontroller with every hook URL (and the endpoint host) pointed at `hooksUrl`. */
function overlay(parent: string, hooksUrl: string): string {
  const dir = join(parent, 'overlay');
  mkdirSync(dir);
  const patches = CONTROLLERS.map(([kind, name]) => ({
    target: { kind, name },
    patch: JSON.stringify([
      ...HOOKS.map((hook) => ({ op: 'replace', path: `/spec/hooks/${hook}/webhook/url`, value: `${hooksUrl}/hooks/${name}/${hook}` })),
      { op: 'replace', path: '/spec/endpointConfigs/0/host', value: new URL(hooksUrl).host },
    ]),
  }));
  // kustomize takes only relative paths in resources.
  const base = relative(dir, join(root, 'deploy/metacontroller'));
  writeFileSync(join(dir, 'kustomization.yaml'), JSON.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [base], patches }));
  return dir;
}

interface SecretVersion {
  key: string;
  resourceVersion: string;
  content: string;
  owned: boolean;
}

/** Each version of a connection Secret the watch saw, reduced to what the test compares. */
function secretVersions(watch: Watch): SecretVersion[] {
  return watch.objects.map((s) => ({
    key: `${s.metadata.namespace}/${s.metadata.name}`,
    resourceVersion: s.metadata.resourceVersion,
    content: JSON.stringify({ type: s.type, data: s.data, labels: s.metadata.labels }),
    // A user's Secret is its child; a shared copy is an attachment of its Namespace.
    owned: (s.metadata.ownerReferences ?? []).some((o: { controller?: boolean; kind?: string }) => o.controller && o.kind === (s.metadata.labels?.['atlas.mongodb.com/shared-from-namespace'] ? 'Namespace' : 'AtlasDatabaseUser')),
  }));
}

/** Writes (new resourceVersions) and content changes among versions[from…], in all and per Secret. */
function secretChanges(versions: SecretVersion[], from: number): { writes: number; contentChanges: number; of(key: string): { writes: number; contentChanges: number } } {
  const last = new Map<string, SecretVersion>();
  for (const v of versions.slice(0, from)) last.set(v.key, v);
  const per = new Map<string, { writes: number; contentChanges: number }>();
  for (const v of versions.slice(from)) {
    const before = last.get(v.key);
    if (before && before.resourceVersion === v.resourceVersion) continue;
    const entry = per.get(v.key) ?? { writes: 0, contentChanges: 0 };
    if (before) entry.writes++;
    if (before && before.content !== v.content) entry.contentChanges++;
    per.set(v.key, entry);
    last.set(v.key, v);
  }
  const sum = (field: 'writes' | 'contentChanges') => [...per.values()].reduce((n, e) => n + e[field], 0);
  return { writes: sum('writes'), contentChanges: sum('contentChanges'), of: (key) => per.get(key) ?? { writes: 0, contentChanges: 0 } };
}

const binaries = buildBinaries();
const metacontroller = 'binary' in binaries.metacontroller ? binaries.metacontroller : undefined;

t.test('the three kinds under a real Metacontroller', {
  timeout: 1_200_000,
  skip: metacontroller ? false : `Metacontroller cannot be had here: ${(binaries.metacontroller as { unavailable: string }).unavailable}`,
}, async (t) => {
  const plane: ControlPlane = await startControlPlane(binaries.bin);
  t.teardown(async () => {
    if (t.counts.fail > 0) console.error(plane.logs());
    await plane.stop();
  });
  const [simPort, hooksPort] = [await freePortOnLoopback(), await freePortOnLoopback()];
  const simUrl = `http://127.0.0.1:${simPort}`;
  const hooksUrl = `https://127.0.0.1:${hooksPort}`;
  const pki = startPki(t);
  const ca = pki.ca('atlas-metacontroller-ca');
  const serving = pki.issue(ca, 'atlas-metacontroller', '01');
  const tokenFile = join(pki.dir, 'token');
  writeFileSync(tokenFile, randomBytes(32).toString('hex'));
  const trusting = new Agent({ connect: { ca: ca.cert } });
  t.teardown(() => trusting.close());
  const hooksGet = async (path: string) => request(`${hooksUrl}${path}`, { dispatcher: trusting });
  const simConfig = join(plane.dir, 'sim-config.json');
  writeFileSync(simConfig, JSON.stringify({ organizations: Object.values(ORGS).map(({ id, publicKey, privateKey }) => ({ id, apiKeys: [{ publicKey, privateKey }] })) }));
  await plane.startService('simulator', ['sim', '--port', String(simPort), '--config', simConfig, '--provision-seconds', '3', '--rate-limit', 'off', '--log-level', 'warn'], async () => (await fetch(`${simUrl}/__sim/state`)).ok);
  // The files deploy/ mounts from atlas-metacontroller-tls and atlas-metacontroller-hook-token.
  await plane.startService(
    'hook-server',
    [
      'serve', '--port', String(hooksPort), '--host', '127.0.0.1', '--atlas-domain', simUrl, '--operator-namespace', 'atlas-metacontroller', '--log-level', 'warn',
      '--tls-cert-file', serving.certFile, '--tls-key-file', serving.keyFile, '--auth-token-file', tokenFile,
    ],
    async () => (await hooksGet('/readyz')).statusCode === 200,
  );
  const sim = {
    state: async () => (await (await fetch(`${simUrl}/__sim/state`)).json()) as { projects: Array<{ name: string; orgId: string; accessList: Array<{ cidrBlock?: string }>; clusters: Array<{ name: string; instanceSizes: string[] }>; databaseUsers: Array<{ username: string; passwordSha256?: string }> }> },
    writes: async () =>
      Object.entries((await (await fetch(`${simUrl}/__sim/requests`)).json()) as Record<string, { authenticated: number }>)
        .filter(([route]) => !route.startsWith('GET '))
        .reduce((sum, [, count]) => sum + count.authenticated, 0),
  };
  const hookCalls = async (hook: string) => {
    const text = await (await hooksGet('/metrics')).body.text();
    return [...text.matchAll(new RegExp(`^atlas_metacontroller_hook_calls_total\\{[^}]*hook="${hook}"[^}]*\\} (\\d+)`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
  };

  const k = plane.kubectl;
  const wait = (ns: string, what: string, condition: string, seconds = 120) => plane.kubectlAsync(['wait', '-n', ns, `--for=${condition}`, `--timeout=${seconds}s`, what]);
  const jsonpath = (ns: string, what: string, path: string) => k(['get', '-n', ns, what, '-o', `jsonpath=${path}`]);
  /** Settled: the object's current generation was synced, and it is Ready. */
  const ready = async (ns: string, what: string, seconds = 180) => {
    const generation = jsonpath(ns, what, '{.metadata.generation}');
    await wait(ns, what, `jsonpath={.status.observedGeneration}=${generation}`, seconds);
    await wait(ns, what, 'condition=Ready', seconds);
  };
  const credentialsSecret = (ns: string, name: string, org: { id: string; publicKey: string; privateKey: string }, label: boolean) => {
    // As the official README says: kubectl create secret generic … --from-literal=…
    k(['create', 'secret', 'generic', name, '-n', ns, `--from-literal=orgId=${org.id}`, `--from-literal=publicApiKey=${org.publicKey}`, `--from-literal=privateApiKey=${org.privateKey}`]);
    if (label) k(['label', 'secret', name, '-n', ns, 'atlas.mongodb.com/type=credentials']);
  };

  k(['apply', '--server-side', '-f', metacontroller!.crds]);
  k(['wait', '--for=condition=Established', '--timeout=60s', 'crd/compositecontrollers.metacontroller.k8s.io']);
  k(['apply', '-k', join(root, 'deploy/crds')]);
  k(['wait', '--for=condition=Established', '--timeout=60s', ...KINDS.map((kind) => `crd/${kind.replace(/y$/, 'ie')}s.atlas.mongodb.com`)]);
  for (const ns of ['atlas-metacontroller', 'team-a', 'samples', 'quickstart', 'shop']) k(['create', 'namespace', ns]);
  // As the README's "Securing the hooks" makes them by hand.
  k(['create', 'secret', 'generic', 'atlas-metacontroller-tls', '-n', 'atlas-metacontroller', `--from-file=tls.crt=${serving.certFile}`, `--from-file=tls.key=${serving.keyFile}`, `--from-file=ca.crt=${ca.certFile}`]);
  k(['create', 'secret', 'generic', 'atlas-metacontroller-hook-token', '-n', 'atlas-metacontroller', `--from-file=token=${tokenFile}`]);
  credentialsSecret('atlas-metacontroller', 'atlas-metacontroller-api-key', ORGS.samples, false);
  // After the Secrets: Metacontroller reads the CA and the token when a controller is created.
  k(['apply', '-k', overlay(plane.dir, hooksUrl)]);
  plane.startMetacontroller(metacontroller!.binary);
  // Every version of every connection Secret, from here to the end.
  const secrets = plane.watch(['secrets', '--all-namespaces', '-l', 'atlas.mongodb.com/cluster-name']);
  t.teardown(() => secrets.stop());
  k(['apply', '-f', join(root, 'examples/credentials-secret.yaml')]);

  await t.test('an invalid address shows the Atlas message, the fix makes it Ready', async (t) => {
    k(['apply', '-f', join(root, 'examples/atlasproject-invalid-ip.yaml')]);
    await wait('team-a', 'atlasproject/invalid-ip-project', 'condition=IPAccessListReady=False');
    t.match(
      jsonpath('team-a', 'atlasproject/invalid-ip-project', '{.status.conditions[?(@.type=="IPAccessListReady")].message}'),
      /^POST http:\/\/127\.0\.0\.1:\d+\/api\/atlas\/v2\/groups\/[a-f0-9]{24}\/accessList: 400 \(request "INVALID_IP_ADDRESS_OR_CIDR_NOTATION"\) The address 192\.0\.2\.1dfdfd5 must be in valid IP address or CIDR notation\.$/,
    );
    k(['patch', '-n', 'team-a', 'atlasproject/invalid-ip-project', '--type=json', '-p', '[{"op":"replace","path":"/spec/projectIpAccessList/0/ipAddress","value":"192.0.2.16"}]']);
    await ready('team-a', 'atlasproject/invalid-ip-project');
    t.match(k(['get', '-n', 'team-a', 'atlasprojects']), /Invalid IP Project\s+True\s+[a-f0-9]{24}/, 'printer columns');
  });

  const connectionSecret = 'secret/test-atlas-operator-project-test-cluster-david';
  await t.test('our examples: a project, a cluster and a user reach Ready, with the connection Secret', async (t) => {
    for (const file of ['atlasproject.yaml', 'atlascluster.yaml', 'atlasdatabaseuser.yaml']) k(['apply', '-f', join(root, 'examples', file)]);
    await ready('team-a', 'atlasproject/my-project');
    await ready('team-a', 'atlascluster/my-atlas-cluster');
    t.equal(jsonpath('team-a', 'atlascluster/my-atlas-cluster', '{.status.stateName}'), 'IDLE');
    await ready('team-a', 'atlasdatabaseuser/my-database-user');
    const keys = JSON.parse(jsonpath('team-a', connectionSecret, '{.data}'));
    t.same(Object.keys(keys).sort(), ['connectionStringPrivate', 'connectionStringPrivateSrv', 'connectionStringStandard', 'connectionStringStandardSrv', 'password', 'username']);
    t.equal(jsonpath('team-a', connectionSecret, '{.metadata.labels.atlas\\.mongodb\\.com/type}'), 'credentials');
  });

  await t.test('the official v0.5.0 samples, with the global credentials Secret', { skip: existsSync(samples) ? false : 'no ../shared/ako-samples beside the repository' }, async (t) => {
    k(['create', 'secret', 'generic', 'my-database-user-password', '-n', 'samples', '--from-literal=password=P@@sword%']);
    for (const kind of ['atlasproject', 'atlascluster', 'atlasdatabaseuser']) k(['apply', '-n', 'samples', '-f', join(samples, `config/samples/atlas_v1_${kind}.yaml`)]);
    await ready('samples', 'atlasproject/my-project');
    await ready('samples', 'atlascluster/my-atlas-cluster');
    await ready('samples', 'atlasdatabaseuser/my-database-user');
    const password = Buffer.from(jsonpath('samples', connectionSecret, '{.data.password}'), 'base64').toString();
    t.equal(password, 'P@@sword%', 'the connection Secret carries the password');
    const project = (await sim.state()).projects.find((p) => p.orgId === ORGS.samples.id);
    t.match(project, { name: 'Test Atlas Operator Project', clusters: [{ name: 'test-cluster' }], databaseUsers: [{ username: 'david' }] }, 'in the organization of the global Secret');
  });

  const v2Samples = join(root, '../shared/ako-samples/v2.15.1/config/samples');
  await t.test('the official v2.15.1 AtlasDeployment sample, in the samples project: Ready, and the sample user gets its connection Secret', { skip: existsSync(v2Samples) ? false : 'no ../shared/ako-samples/v2.15.1 beside the repository' }, async (t) => {
    for (const file of ['atlas_v1_atlasbackuppolicy.yaml', 'atlas_v1_atlasbackupschedule.yaml', 'atlas_v1_atlasdeployment.yaml']) k(['apply', '-n', 'samples', '-f', join(v2Samples, file)]);
    await ready('samples', 'atlasdeployment/my-atlas-deployment');
    t.equal(jsonpath('samples', 'atlasdeployment/my-atlas-deployment', '{.status.stateName}'), 'IDLE');
    t.match(k(['get', '-n', 'samples', 'atlasdeployments']), /^NAME\s+READY\s+ATLAS STATE\s+MONGODB VERSION\n\S+\s+True\s+IDLE\s+7\.0\./, 'the official printer columns');
    await ready('samples', 'atlasbackupschedule/atlasbackupschedule-sample');
    t.equal(jsonpath('samples', 'atlasbackupschedule/atlasbackupschedule-sample', '{.status.deploymentID[0]}'), 'samples/my-atlas-deployment', 'the schedule lists its deployment');
    const team = (await sim.state()).projects.find((p) => p.orgId === ORGS.samples.id);
    t.ok(team?.clusters.some((c) => c.name === 'test-deployment'), 'the deployment is in the samples organization');
    await ready('samples', 'atlasdatabaseuser/my-database-user');
    const secret = 'secret/test-atlas-operator-project-test-deployment-david';
    for (let i = 0; i < 60 && !k(['get', '-n', 'samples', secret, '--ignore-not-found', '-o', 'name']).trim(); i++) await sleep(500);
    t.equal(Buffer.from(jsonpath('samples', secret, '{.data.password}'), 'base64').toString(), 'P@@sword%', "the user's connection Secret for the deployment");
  });

  await t.test('the official v0.5.0 README quick start: an unlabelled Secret, a CIDR block in ipAddress', { skip: existsSync(samples) ? false : 'no ../shared/ako-samples beside the repository' }, async (t) => {
    credentialsSecret('quickstart', 'my-atlas-key', ORGS.quickstart, false);
    for (const kind of ['atlasproject', 'atlascluster']) k(['apply', '-n', 'quickstart', '-f', join(samples, `readme-quickstart/${kind}.yaml`)]);
    await ready('quickstart', 'atlasproject/my-project');
    await ready('quickstart', 'atlascluster/my-atlas-cluster');
    const project = (await sim.state()).projects.find((p) => p.orgId === ORGS.quickstart.id);
    t.same(project?.accessList.map((e) => e.cidrBlock), ['192.0.2.15/32', '203.0.113.0/24'], 'the CIDR block went to Atlas as one');
    t.same(project?.clusters.map((c) => c.name), ['Test-cluster']);
  });

  const copy = 'secret/team-a-test-atlas-operator-project-test-cluster-david';
  const exists = (ns: string, what: string) => k(['get', '-n', ns, what, '--ignore-not-found', '-o', 'name']).trim() !== '';
  const until = async (what: string, done: () => boolean) => {
    for (let i = 0; i < 120 && !done(); i++) await sleep(500);
    if (!done()) throw new Error(`timed out waiting until ${what}`);
  };
  await t.test('a user shares its connection Secret into an app namespace that opts in', async (t) => {
    k(['annotate', '-n', 'team-a', 'atlasdatabaseuser/my-database-user', 'atlas.mongodb.com/share-connection-secrets-with=shop']);
    await sleep(3_000);
    t.notOk(exists('shop', copy), 'not before the namespace consents');
    k(['label', 'namespace', 'shop', 'atlas.mongodb.com/receive-connection-secrets=true']);
    await until('the copy exists in shop', () => exists('shop', copy));
    t.equal(jsonpath('shop', copy, '{.data.password}'), jsonpath('team-a', connectionSecret, '{.data.password}'), 'the copy carries the source\'s data');
    t.equal(jsonpath('shop', copy, '{.metadata.ownerReferences[0].kind}'), 'Namespace', 'owned by the namespace it was shared into');
    t.equal(jsonpath('shop', copy, '{.metadata.labels.atlas\\.mongodb\\.com/shared-from-namespace}'), 'team-a');
  });

  await t.test(`${IDLE_SECONDS} s idle: no Atlas write, no Secret write, hook calls only from the resync period`, async (t) => {
    const parents =
      KINDS.reduce((sum, kind) => sum + k(['get', kind, '--all-namespaces', '-o', 'name']).trim().split('\n').filter(Boolean).length, 0) +
      k(['get', 'namespaces', '-l', 'atlas.mongodb.com/receive-connection-secrets=true', '-o', 'name']).trim().split('\n').filter(Boolean).length;
    // Let the last answers land before counting.
    await sleep(5_000);
    const [writes, syncs, seen] = [await sim.writes(), await hookCalls('sync'), secrets.objects.length];
    await sleep(IDLE_SECONDS * 1000);
    const after = { writes: await sim.writes(), syncs: await hookCalls('sync') };
    const secretWrites = secretChanges(secretVersions(secrets), seen).writes;
    console.log(`idle ${IDLE_SECONDS} s, ${parents} objects: ${after.writes - writes} Atlas writes, ${after.syncs - syncs} syncs, ${secretWrites} connection Secret writes`);
    t.equal(after.writes - writes, 0, 'no Atlas write');
    t.equal(secretWrites, 0, 'no connection Secret write');
    // resyncPeriodSeconds is 300: in a window shorter than that, each object syncs at most once.
    t.ok(after.syncs - syncs <= parents * Math.ceil(IDLE_SECONDS / 300), `${after.syncs - syncs} syncs for ${parents} objects`);
  });

  await t.test('an instance-size change rewrites no connection Secret whose content stays the same', async (t) => {
    const seen = secrets.objects.length;
    k(['patch', '-n', 'team-a', 'atlascluster/my-atlas-cluster', '--type=merge', '-p', '{"spec":{"providerSettings":{"instanceSizeName":"M20"}}}']);
    await ready('team-a', 'atlascluster/my-atlas-cluster');
    await ready('team-a', 'atlasdatabaseuser/my-database-user');
    await sleep(10_000);
    const team = (await sim.state()).projects.find((p) => p.orgId === ORGS['team-a'].id && p.name === 'Test Atlas Operator Project');
    t.same(team?.clusters[0]?.instanceSizes, ['M20']);
    const { writes, contentChanges } = secretChanges(secretVersions(secrets), seen);
    console.log(`M10 → M20: ${writes} connection Secret writes, ${contentChanges} content changes`);
    t.equal(writes, contentChanges, 'a write only for a real change of content');
  });

  await t.test('a password rotation changes the connection Secret exactly once', async (t) => {
    const seen = secrets.objects.length;
    const user = async () => (await sim.state()).projects.find((p) => p.orgId === ORGS['team-a'].id && p.name === 'Test Atlas Operator Project')!.databaseUsers[0]!;
    const before = (await user()).passwordSha256;
    k(['patch', '-n', 'team-a', 'secret/my-database-user-password', '--type=merge', '-p', '{"stringData":{"password":"a-rotated-password"}}']);
    for (let i = 0; i < 60 && (await user()).passwordSha256 === before; i++) await sleep(1_000);
    t.not((await user()).passwordSha256, before, 'Atlas has the new password');
    for (let i = 0; i < 60 && Buffer.from(jsonpath('team-a', connectionSecret, '{.data.password}'), 'base64').toString() !== 'a-rotated-password'; i++) await sleep(1_000);
    await ready('team-a', 'atlasdatabaseuser/my-database-user');
    await sleep(10_000);
    const password = Buffer.from(jsonpath('team-a', connectionSecret, '{.data.password}'), 'base64').toString();
    t.equal(password, 'a-rotated-password', 'the connection Secret carries the new password');
    for (let i = 0; i < 60 && Buffer.from(jsonpath('shop', copy, '{.data.password}'), 'base64').toString() !== 'a-rotated-password'; i++) await sleep(1_000);
    t.equal(Buffer.from(jsonpath('shop', copy, '{.data.password}'), 'base64').toString(), 'a-rotated-password', 'and so does its copy in shop');
    const changes = secretChanges(secretVersions(secrets), seen);
    console.log(`password rotation: ${changes.writes} connection Secret writes, ${changes.contentChanges} content changes (source and copy)`);
    for (const key of [`team-a/${connectionSecret.slice('secret/'.length)}`, `shop/${copy.slice('secret/'.length)}`]) {
      t.same(changes.of(key), { writes: 1, contentChanges: 1 }, `${key}: written once, for its one change of content`);
    }
    t.equal(changes.writes, 2, 'and nothing else was written');
  });

  await t.test('either side withdrawing removes the copy', async (t) => {
    k(['label', 'namespace', 'shop', 'atlas.mongodb.com/receive-connection-secrets-']);
    await until('the copy is gone', () => !exists('shop', copy));
    t.pass('the namespace withdrew: the copy went');
    k(['label', 'namespace', 'shop', 'atlas.mongodb.com/receive-connection-secrets=true']);
    await until('the copy is back', () => exists('shop', copy));
    k(['annotate', '-n', 'team-a', 'atlasdatabaseuser/my-database-user', 'atlas.mongodb.com/share-connection-secrets-with-']);
    await until('the copy is gone again', () => !exists('shop', copy));
    t.pass('the user withdrew: the copy went');
    k(['annotate', '-n', 'team-a', 'atlasdatabaseuser/my-database-user', 'atlas.mongodb.com/share-connection-secrets-with=shop']);
    await until('the copy is back again', () => exists('shop', copy));
  });

  await t.test('every observed version of every connection Secret had its owner', async (t) => {
    const versions = secretVersions(secrets);
    t.ok(versions.length > 0);
    t.same(versions.filter((v) => !v.owned).map((v) => `${v.key}@${v.resourceVersion}`), [], 'ownerReferences never missing');
  });

  await t.test('every hook call came over TLS with the token; a call without it is refused', async (t) => {
    const text = await (await hooksGet('/metrics')).body.text();
    t.notMatch(text, /outcome="unauthorized"/, 'Metacontroller always sent the token');
    const anonymous = await request(`${hooksUrl}/hooks/atlasproject/customize`, { method: 'POST', dispatcher: trusting, headers: { 'content-type': 'application/json' }, body: '{}' });
    t.equal(anonymous.statusCode, 401);
    await anonymous.body.dump();
  });

  await t.test('deleting everything runs the finalizers, empties Atlas, removes the connection Secrets', async (t) => {
    const objects = KINDS.flatMap((kind) =>
      k(['get', kind, '--all-namespaces', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.kind}/{.metadata.name}{"\\n"}{end}'])
        .trim()
        .split('\n')
        .filter(Boolean),
    );
    const started = performance.now();
    for (const id of objects) {
      const [ns, kind, name] = id.split('/');
      k(['delete', '-n', ns!, `${kind!.toLowerCase()}/${name}`, '--wait=false']);
    }
    const gone = new Map<string, number>();
    while (gone.size < objects.length && performance.now() - started < 300_000) {
      for (const id of objects) {
        if (gone.has(id)) continue;
        const [ns, kind, name] = id.split('/');
        if (!k(['get', '-n', ns!, `${kind!.toLowerCase()}/${name}`, '--ignore-not-found', '-o', 'name']).trim()) gone.set(id, (performance.now() - started) / 1000);
      }
      await sleep(500);
    }
    console.log(`time to disappear: ${[...gone].map(([id, s]) => `${id} ${s.toFixed(1)} s`).join(', ')}`);
    t.same(objects.filter((id) => !gone.has(id)), [], 'every object is gone');
    t.same((await sim.state()).projects, [], 'the simulator is empty');
    await until('the shared copy is gone', () => !exists('shop', copy));
    t.equal(k(['get', 'secrets', '--all-namespaces', '-l', 'atlas.mongodb.com/cluster-name', '-o', 'name']).trim(), '', 'no connection Secret is left, nor its copy');
  });
});
