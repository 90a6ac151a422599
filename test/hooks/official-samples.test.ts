/**
 * The official operator's v2.15.1 samples for the kinds we serve
 * (../shared/ako-samples/v2.15.1/config/samples), as a user applies them beside the global
 * credentials Secret and the user's password Secret: each reaches Ready through the hooks
 * against the simulator, and the next sync writes nothing to Atlas.
 */
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { relatedFor } from '../../src/demo/objects.js';
import { conditionsOf, demoCredentials, secret, startOperator, type Obj } from '../helpers/operator.js';
import { SHARED } from '../helpers/shared.js';

const SAMPLES = `${SHARED}ako-samples/v2.15.1/config/samples/`;
const load = (file: string): Obj => {
  const object = parse(readFileSync(`${SAMPLES}${file}`, 'utf8')) as Obj;
  object.metadata = { ...object.metadata, namespace: 'team-a', uid: `uid-${file}`, generation: 1 };
  return object;
};

t.test('official v2.15.1 samples reach Ready, then write nothing', { skip: existsSync(SAMPLES) ? false : `the official samples are absent (${SAMPLES})` }, async (t) => {
  for (const projectFile of ['atlas_v1_atlasproject.yaml', 'atlas_v1_atlasproject_with_maintenance_window.yaml']) {
    const op = await startOperator(t, { provisionSeconds: 0 });
    // The samples name no Secret: the global one, in the operator's namespace, and the user's password.
    const objects: Obj[] = [secret('atlas-system', 'atlas-metacontroller-api-key', demoCredentials), secret('team-a', 'the-user-password', { password: 'sample-password' })];
    const project = load(projectFile);
    const user = load('atlas_v1_atlasdatabaseuser.yaml');
    // The API server fills in the CRD's defaults before the hooks see the object.
    const deployment = load('atlas_v1_atlasdeployment.yaml');
    deployment.spec.deploymentSpec.terminationProtectionEnabled ??= false;
    const schedule = load('atlas_v1_atlasbackupschedule.yaml');
    const policy = load('atlas_v1_atlasbackuppolicy.yaml');
    const accessList = load('atlas_v1_atlasipaccesslist.yaml');
    objects.push(project, user, deployment, schedule, policy, accessList);
    const related = async (kind: string, parent: Obj) => Object.values(relatedFor((await op.customize(kind, parent)).relatedResources, objects as any)).flatMap((m) => Object.values(m));
    let userSecrets: Obj[] = [];
    const sync = async (kind: string, parent: Obj) => {
      const answer = await op.sync(kind, parent, await related(kind, parent), kind === 'atlasdatabaseuser' ? userSecrets : []);
      if (kind === 'atlasdatabaseuser') userSecrets = answer.children;
      return answer;
    };
    await sync('atlasproject', project);
    op.sim.control.advance(60);
    await sync('atlasproject', project);
    await sync('atlasipaccesslist', accessList);
    op.sim.control.advance(60);
    await sync('atlasipaccesslist', accessList);
    await sync('atlasbackuppolicy', policy);
    await sync('atlasbackupschedule', schedule);
    await sync('atlasdeployment', deployment);
    await sync('atlasdeployment', deployment);
    await sync('atlasdatabaseuser', user);
    await sync('atlasdatabaseuser', user);
    t.equal(conditionsOf(project).Ready!.status, 'True', `${projectFile}: Ready`);
    t.equal(conditionsOf(deployment).Ready!.status, 'True', 'atlas_v1_atlasdeployment.yaml: Ready');
    t.notOk(conditionsOf(deployment).FieldsManaged, 'every field of the deployment sample is managed');
    const inAtlas = op.sim.control.store.clustersOf(project.status.id).get('test-deployment')!.backupSchedule!;
    t.match(inAtlas, { referenceHourOfDay: 10, referenceMinuteOfHour: 10, restoreWindowDays: 2, copySettings: [{ regionName: 'US_WEST_1', frequencies: ['WEEKLY'] }] }, "the schedule sample is the cluster's backup schedule");
    t.same(inAtlas.policies[0].policyItems.map((i: Obj) => `${i.frequencyType}/${i.frequencyInterval}/${i.retentionValue} ${i.retentionUnit}`), ['hourly/6/2 days', 'daily/1/7 days', 'weekly/1/4 weeks', 'monthly/15/12 months'], 'with the policy sample\'s items');
    await sync('atlasbackupschedule', schedule);
    t.same(schedule.status.deploymentID, ['team-a/my-atlas-deployment'], 'the schedule lists its deployment');
    t.equal(conditionsOf(schedule).Ready!.status, 'True');
    t.equal(conditionsOf(user).Ready!.status, 'True', `${projectFile} with atlas_v1_atlasdatabaseuser.yaml: the user is Ready`);
    t.equal(conditionsOf(accessList).Ready!.status, 'True', 'atlas_v1_atlasipaccesslist.yaml: Ready');
    t.same(userSecrets.map((s) => s.metadata.name), ['test-atlas-operator-project-test-deployment-theuser'], "the user's connection Secret for the deployment, named as the official operator names it");
    const writes = op.writes();
    const projectAnswer = await sync('atlasproject', project);
    const deploymentAnswer = await sync('atlasdeployment', deployment);
    const userAnswer = await sync('atlasdatabaseuser', user);
    await sync('atlasipaccesslist', accessList);
    t.equal(op.writes(), writes, `${projectFile}: the next sync of each writes nothing`);
    t.equal((await sync('atlasproject', project)).text, projectAnswer.text, 'byte-identical answers');
    t.equal((await sync('atlasdeployment', deployment)).text, deploymentAnswer.text);
    t.equal((await sync('atlasdatabaseuser', user)).text, userAnswer.text);
  }
});
