/**
 * Deletion safety as a property: whatever Atlas answers (401, 403, each not-found code,
 * 5xx, 429, a reset, a hang) and whichever credentials the Secret holds (ours, another
 * organization's, a wrong key), a finalize never answers finalized: true while the
 * simulator still holds the object. Seeded, so a failure replays; FUZZ_RUNS runs longer.
 */
import t from 'tap';
import fc from 'fast-check';
import { DEMO_ORG } from '../../src/sim/server.js';
import type { FaultSpec } from '../../src/sim/faults.js';
import { demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';

const OTHER = { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', publicKey: 'otherpubk', privateKey: 'other-private-key' };
const CREDENTIALS = {
  ours: demoCredentials,
  theirs: { orgId: OTHER.id, publicApiKey: OTHER.publicKey, privateApiKey: OTHER.privateKey },
  wrongKey: { ...demoCredentials, privateApiKey: 'not-the-key' },
};
const ROUTES = [
  '*',
  '/api/atlas/v2/orgs',
  '/api/atlas/v2/groups',
  '/api/atlas/v2/groups/:groupId',
  '/api/atlas/v2/groups/:groupId/clusters',
  '/api/atlas/v2/groups/:groupId/clusters/:clusterName',
  '/api/atlas/v2/groups/:groupId/databaseUsers',
  '/api/atlas/v2/groups/:groupId/databaseUsers/:databaseName/:username',
];
const ERRORS: Array<[FaultSpec['status'], string | undefined]> = [
  [401, 'NOT_IN_GROUP'],
  [401, 'UNAUTHORIZED'],
  [403, 'ORG_REQUIRES_ACCESS_LIST'],
  ...['GROUP_NOT_FOUND', 'CLUSTER_NOT_FOUND', 'USERNAME_NOT_FOUND', 'USER_NOT_FOUND', 'RESOURCE_NOT_FOUND', 'NOT_IN_GROUP'].map((code) => [404, code] as [404, string]),
  [500, undefined],
  [503, undefined],
];

const fault = fc.oneof(
  fc.record({ route: fc.constantFrom(...ROUTES), method: fc.constantFrom('GET', 'DELETE', '*'), error: fc.constantFrom(...ERRORS), count: fc.integer({ min: 1, max: 3 }) }).map(
    ({ error: [status, errorCode], ...rest }): FaultSpec => ({ ...rest, kind: 'error', status, ...(errorCode ? { errorCode } : {}) }),
  ),
  fc.record({ route: fc.constantFrom(...ROUTES), kind: fc.constantFrom('reset' as const, 'hang' as const), count: fc.constant(1) }),
  fc.record({ route: fc.constantFrom(...ROUTES), kind: fc.constant('rate-limit' as const), retryAfterSeconds: fc.constant(60), count: fc.integer({ min: 1, max: 2 }) }),
);
const step = fc.oneof(
  fault.map((f) => ({ fault: f })),
  fc.constantFrom('ours', 'theirs', 'wrongKey').map((credentials) => ({ credentials: credentials as keyof typeof CREDENTIALS })),
  fc.constantFrom('atlasproject', 'atlascluster', 'atlasdatabaseuser').map((finalize) => ({ finalize })),
);

t.test('finalize never says finalized while the Atlas object exists', async (t) => {
  const op = await startOperator(t, {
    provisionSeconds: 0,
    organizations: [
      { id: DEMO_ORG.id, apiKeys: [{ publicKey: DEMO_ORG.publicKey, privateKey: DEMO_ORG.privateKey }] },
      { id: OTHER.id, apiKeys: [{ publicKey: OTHER.publicKey, privateKey: OTHER.privateKey }] },
    ],
  }, ['--hook-budget', '300ms']);
  const keys = (which: keyof typeof CREDENTIALS) => secret('team-a', 'atlas-keys', CREDENTIALS[which]);
  const password = secret('team-a', 'pw', { password: 'a-long-password' });
  const meta = (name: string) => ({ name, namespace: 'team-a', uid: `uid-${name}`, generation: 1 });
  const fresh = () => ({
    project: { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasProject', metadata: meta('p'), spec: { name: 'Safety', connectionSecretRef: { name: 'atlas-keys' } } } as Obj,
    cluster: { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasCluster', metadata: meta('c'), spec: { name: 'c1', projectRef: { name: 'p' }, providerSettings: { instanceSizeName: 'M10', providerName: 'AWS', regionName: 'US_EAST_1' } } } as Obj,
    user: { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasDatabaseUser', metadata: meta('u'), spec: { projectRef: { name: 'p' }, username: 'u', passwordSecretRef: { name: 'pw' }, roles: [{ roleName: 'read', databaseName: 'admin' }] } } as Obj,
  });
  const runs = Number(process.env.FUZZ_RUNS ?? 25);
  let finalizations = 0;
  let checks = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
      op.sim.control.reset();
      const w = fresh();
      await op.sync('atlasproject', w.project, [keys('ours')]);
      await op.sync('atlascluster', w.cluster, [w.project, keys('ours')]);
      await op.sync('atlasdatabaseuser', w.user, [w.project, keys('ours'), password]);
      let credentials: keyof typeof CREDENTIALS = 'ours';
      for (const s of steps) {
        if ('fault' in s) op.sim.control.injectFault(s.fault);
        else if ('credentials' in s) credentials = s.credentials;
        else {
          const parent = s.finalize === 'atlasproject' ? w.project : s.finalize === 'atlascluster' ? w.cluster : w.user;
          const related = s.finalize === 'atlasproject' ? [keys(credentials)] : [w.project, keys(credentials), password];
          const res = await op.finalize(s.finalize, { ...parent, status: parent.status }, related);
          checks++;
          if (!res.finalized) continue;
          finalizations++;
          op.sim.control.clearFaults();
          const atlas = op.sim.control.state().projects.find((p) => p.id === w.project.status.id);
          const still =
            s.finalize === 'atlasproject' ? Boolean(atlas) : s.finalize === 'atlascluster' ? Boolean(atlas?.clusters.length) : Boolean(atlas?.databaseUsers.length);
          if (still) throw new Error(`${s.finalize} said finalized while Atlas still holds it, after ${JSON.stringify(steps)}`);
        }
      }
      op.sim.control.clearFaults();
    }),
    { seed: Number(process.env.FUZZ_SEED ?? 20261201), numRuns: runs },
  );
  t.comment(`${runs} sequences, ${checks} finalize calls, ${finalizations} finalized`);
  t.ok(checks > 0, 'finalize was called');
  t.ok(finalizations > 0, 'and some finalizations went through, so the property is not vacuous');
});
