import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { runDemo } from '../src/demo/demo.js';
import { examplePayloads, render } from '../src/demo/payloads.js';
import { startOperator } from './helpers/operator.js';

t.test('examples/hooks holds exactly the payloads the example manifests produce', async (t) => {
  const payloads = examplePayloads();
  const dir = new URL('../examples/hooks/', import.meta.url);
  t.same(readdirSync(dir).sort(), Object.keys(payloads).sort(), 'run npm run generate:examples after changing examples/');
  for (const [file, payload] of Object.entries(payloads)) t.equal(readFileSync(new URL(file, dir), 'utf8'), render(payload), file);
});

t.test('each example payload replays against the hook server', async (t) => {
  const op = await startOperator(t, { provisionSeconds: 0 });
  for (const [file, payload] of Object.entries(examplePayloads())) {
    const hook = /-(customize|sync|finalize)\.json$/.exec(file)![1];
    const kind = file.split('-')[0];
    const res = await op.hooks.post(`/hooks/${kind}/${hook}`, payload);
    t.equal(res.status, 200, `curl -d @examples/hooks/${file}`);
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
  t.match(out, /AtlasDatabaseUser team-a\/my-database-user \(sync \d+, \+\d+s\): Ready=True/);
  t.match(out, /connection Secret team-a\/test-atlas-operator-project-test-cluster-david \(password masked\)/);
  t.match(out, /connectionStringStandardSrv: mongodb\+srv:\/\/david:\*{8}@test-cluster\./);
  t.notMatch(out, /example-password-change-me/, 'the password never shows');
});
