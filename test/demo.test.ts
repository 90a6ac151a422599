import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { runDemo } from '../src/demo/demo.js';
import { examplePayloads, render } from '../src/demo/payloads.js';
import { startOperator } from './helpers/operator.js';

t.test('examples/hooks holds exactly the payloads the example manifests produce', async (t) => {
  const payloads = await examplePayloads();
  const dir = new URL('../examples/hooks/', import.meta.url);
  t.same(readdirSync(dir).sort(), Object.keys(payloads).sort(), 'run npm run generate:examples after changing examples/');
  for (const [file, payload] of Object.entries(payloads)) t.equal(readFileSync(new URL(file, dir), 'utf8'), render(payload), file);
});

/**
 * Replayed as the README says, against a fresh simulator with sequential ids: what each
 * payload makes the hook answer (Ready's reason, or finalized). The order is a user's:
 * projects, their second round, clusters and users, then deletion, dependents first.
 */
const REPLAY: Array<[file: string, expected: string] | ['advance', number]> = [
  ['atlasproject-my-project-customize.json', 'relatedResources'],
  ['atlasproject-my-project-sync.json', 'Ready=False ProjectIPAccessListNotActive'],
  ['atlasproject-invalid-ip-project-customize.json', 'relatedResources'],
  ['atlasproject-invalid-ip-project-sync.json', 'Ready=False ProjectIPAccessListNotCreatedInAtlas'],
  // Access-list entries activate, and clusters provision, in simulated minutes.
  ['advance', 600],
  ['atlasproject-my-project-sync-round2.json', 'Ready=True'],
  ['atlasproject-invalid-ip-project-sync-round2.json', 'Ready=False ProjectIPAccessListNotCreatedInAtlas'],
  ['atlascluster-my-atlas-cluster-customize.json', 'relatedResources'],
  ['atlascluster-my-atlas-cluster-sync.json', 'Ready=False ClusterCreating'],
  ['atlasdeployment-my-atlas-deployment-customize.json', 'relatedResources'],
  ['atlasdeployment-my-atlas-deployment-sync.json', 'Ready=False DeploymentCreating'],
  ['atlasipaccesslist-app-servers-customize.json', 'relatedResources'],
  ['atlasipaccesslist-app-servers-sync.json', 'Ready=False ProjectIPAccessListNotActive'],
  ['atlascustomrole-shop-reader-customize.json', 'relatedResources'],
  ['atlascustomrole-shop-reader-sync.json', 'Ready=True'],
  ['atlasteam-developers-customize.json', 'relatedResources'],
  ['atlasteam-developers-sync.json', 'Ready=True'],
  ['atlasbackupschedule-atlasbackupschedule-sample-customize.json', 'relatedResources'],
  ['atlasbackupschedule-atlasbackupschedule-sample-sync.json', 'Ready=True'],
  ['atlasbackuppolicy-atlasbackuppolicy-sample-customize.json', 'relatedResources'],
  ['atlasbackuppolicy-atlasbackuppolicy-sample-sync.json', 'Ready=True'],
  ['advance', 600],
  ['atlasdatabaseuser-my-database-user-customize.json', 'relatedResources'],
  ['atlasdatabaseuser-my-database-user-sync.json', 'Ready=False ClustersAppliedDatabaseUsersChanges'],
  ['atlasdatabaseuser-my-database-user-finalize.json', 'finalized'],
  ['atlascluster-my-atlas-cluster-finalize.json', 'finalizing ClusterDeleting'],
  ['atlasdeployment-my-atlas-deployment-finalize.json', 'finalizing DeploymentDeleting'],
  ['atlasbackupschedule-atlasbackupschedule-sample-finalize.json', 'finalizing AtlasFinalizerNotRemoved'],
  ['atlasipaccesslist-app-servers-finalize.json', 'finalized'],
  ['atlascustomrole-shop-reader-finalize.json', 'finalized'],
  ['atlasteam-developers-finalize.json', 'finalized'],
  ['atlasbackuppolicy-atlasbackuppolicy-sample-finalize.json', 'finalizing AtlasFinalizerNotRemoved'],
  ['atlasproject-my-project-finalize.json', 'finalizing AtlasFinalizerNotRemoved'],
  ['atlasproject-invalid-ip-project-finalize.json', 'finalized'],
];

t.test('each example payload replays against the hook server with the answer the README describes', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 600, ids: 'sequential' });
  const payloads = await examplePayloads();
  t.same(REPLAY.flatMap(([file]) => (file === 'advance' ? [] : [file])).sort(), Object.keys(payloads).sort(), 'every payload is replayed');
  for (const [file, expected] of REPLAY) {
    if (file === 'advance') {
      op.sim.control.advance(expected as number);
      continue;
    }
    const hook = /-(customize|sync|finalize)(-round2)?\.json$/.exec(file)![1];
    const kind = file.split('-')[0];
    const res = await op.hooks.post(`/hooks/${kind}/${hook}`, payloads[file]);
    t.equal(res.status, 200, `curl -d @examples/hooks/${file}`);
    const ready = res.json.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
    const reason = ready?.reason ?? res.json.status?.conditions?.find((c: { status: string }) => c.status === 'False')?.reason;
    const answer =
      hook === 'customize' ? 'relatedResources' in res.json && 'relatedResources'
      : hook === 'finalize' ? (res.json.finalized ? 'finalized' : `finalizing ${reason}`)
      : `Ready=${ready.status}${ready.status === 'True' ? '' : ` ${ready.reason}`}`;
    t.equal(answer, expected, file);
  }
});

t.test('the demo plays the seed workflow and reaches Ready', async (t) => {
  const lines: string[] = [];
  await runDemo(['--exit', '--port', '0', '--sim-port', '0'], {}, (line) => lines.push(line));
  const out = lines.join('\n');
  t.match(out, /AtlasProject team-a\/invalid-ip-project \(sync 1, \+0s\): Ready=False .*INVALID_IP_ADDRESS_OR_CIDR_NOTATION"\) The address 192\.0\.2\.1dfdfd5 must be in valid IP address or CIDR notation\./);
  t.match(out, /AtlasProject team-a\/my-project \(sync \d+, \+600s\): Ready=True/);
  t.match(out, /Fixing the typo in team-a\/invalid-ip-project/);
  t.match(out, /AtlasProject team-a\/invalid-ip-project \(sync \d+, \+\d+s\): Ready=True/);
  t.match(out, /AtlasCluster team-a\/my-atlas-cluster \(sync 1, \+0s\): Ready=False .*ClusterCreating/);
  t.match(out, /AtlasCluster team-a\/my-atlas-cluster \(sync \d+, \+600s\): Ready=True/);
  t.match(out, /status: IDLE, MongoDB 8\.0\.29, mongodb\+srv:\/\/test-cluster\./);
  t.match(out, /AtlasDeployment team-a\/my-atlas-deployment \(sync \d+, \+600s\): Ready=True/);
  t.match(out, /status: IDLE, MongoDB 7\.0\.\d+, mongodb\+srv:\/\/test-deployment\./);
  t.match(out, /backup schedule in Atlas: snapshots at 10:10 UTC, restore window 2 days, hourly 6 kept 2 days; daily 1 kept 7 days; weekly 1 kept 4 weeks; monthly 15 kept 12 months/);
  t.match(out, /connection Secret team-a\/test-atlas-operator-project-test-deployment-david \(password masked\)/);
  t.match(out, /AtlasDatabaseUser team-a\/my-database-user \(sync \d+, \+\d+s\): Ready=True/);
  t.match(out, /connection Secret team-a\/test-atlas-operator-project-test-cluster-david \(password masked\)/);
  t.match(out, /connectionStringStandardSrv: mongodb\+srv:\/\/david:\*{8}@test-cluster\./);
  t.notMatch(out, /example-password-change-me/, 'the password never shows');
});
