/**
 * The deployment's cloud backup schedule, made to match the AtlasBackupSchedule its
 * backupRef names and the AtlasBackupPolicy that schedule names, pure. Both are related
 * objects, so a change to either re-syncs every deployment that uses them. Only what the
 * schedule sets is enforced; the policy's items replace Atlas's.
 */
import { relatedObject, stringAt, type KubeObject } from '../../kernel/contract.js';
import type { Facts, StepInput, StepPlan } from '../../kernel/managed.js';
import { backupScheduleRequests, type BackupSchedule } from '../clusters/atlas.js';
import { API_VERSION } from '../common.js';
import type { AtlasBackupPolicySpec } from '../atlasbackuppolicy/schema.js';
import type { AtlasBackupScheduleSpec } from '../atlasbackupschedule/schema.js';
import type { InProject } from '../project-scope.js';
import type { AtlasDeploymentSpec } from './schema.js';

/** What the deployment step learnt for the next: the zone copy settings name. */
export type DeploymentScope = InProject & { zoneId?: string };

type Found<T> = { ok: true; object: KubeObject; spec: T } | { ok: false; reason: string; message: string };

function referenced<T>(facts: Facts, kind: string, ref: { name?: string; namespace?: string } | undefined, from: KubeObject): Found<T> {
  const namespace = ref?.namespace || from.metadata.namespace || 'default';
  const object = relatedObject(facts.related, kind, API_VERSION, namespace, ref?.name ?? '');
  if (!object || object.metadata.deletionTimestamp) return { ok: false, reason: `${kind.replace('Atlas', '')}NotFound`, message: `${kind} ${namespace}/${ref?.name} not found` };
  return { ok: true, object, spec: object.spec as T };
}

/** The related objects to ask for: the schedule by name, and the policies (its policy is not known before it is read). */
export function backupRelatedRules(parent: KubeObject) {
  const name = stringAt(parent.spec, 'backupRef', 'name');
  if (!name) return [];
  const namespace = stringAt(parent.spec, 'backupRef', 'namespace') || parent.metadata.namespace || 'default';
  return [
    { apiVersion: API_VERSION, resource: 'atlasbackupschedules', namespace, names: [name] },
    { apiVersion: API_VERSION, resource: 'atlasbackuppolicies', labelSelector: {} },
  ];
}

/** The schedule as Atlas should have it, less the policy id, which is Atlas's. */
export function desiredSchedule(schedule: AtlasBackupScheduleSpec, policy: AtlasBackupPolicySpec, zoneId: string | undefined): BackupSchedule {
  const set = <K extends keyof AtlasBackupScheduleSpec>(key: K) => (schedule[key] !== undefined ? { [key]: schedule[key] } : {});
  return {
    ...set('referenceHourOfDay'),
    ...set('referenceMinuteOfHour'),
    ...set('restoreWindowDays'),
    ...set('autoExportEnabled'),
    ...set('useOrgAndGroupNamesInExportPrefix'),
    ...(schedule.export ? { export: { exportBucketId: schedule.export.exportBucketId, frequencyType: schedule.export.frequencyType } } : {}),
    ...(schedule.copySettings
      ? {
          copySettings: schedule.copySettings.map((c) => ({
            cloudProvider: c.cloudProvider ?? 'AWS',
            regionName: c.regionName,
            shouldCopyOplogs: c.shouldCopyOplogs ?? false,
            frequencies: c.frequencies ?? [],
            ...(zoneId ? { zoneId } : {}),
          })),
        }
      : {}),
    policies: [{ policyItems: policy.items.map(({ frequencyType, frequencyInterval, retentionUnit, retentionValue }) => ({ frequencyType, frequencyInterval, retentionUnit, retentionValue })) }],
  };
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));

/** The names of the fields that differ; Atlas's ids of policy items are not the spec's business. */
export function scheduleDifferences(desired: BackupSchedule, actual: BackupSchedule): string[] {
  return Object.keys(desired).filter((key) => {
    if (key === 'policies') {
      const items = (s: BackupSchedule) => (s.policies?.[0]?.policyItems ?? []).map(({ frequencyType, frequencyInterval, retentionUnit, retentionValue }) => ({ frequencyType, frequencyInterval, retentionUnit, retentionValue }));
      return canonical(items(desired)) !== canonical(items(actual));
    }
    if (key === 'copySettings') {
      const copies = (s: BackupSchedule) => (s.copySettings ?? []).map(({ cloudProvider, regionName, shouldCopyOplogs, frequencies }) => ({ cloudProvider, regionName, shouldCopyOplogs, frequencies }));
      return canonical(copies(desired)) !== canonical(copies(actual));
    }
    return canonical(desired[key]) !== canonical(actual[key]);
  });
}

export function planBackup(input: StepInput<AtlasDeploymentSpec, DeploymentScope>, actual: BackupSchedule | undefined): StepPlan<DeploymentScope> {
  const { spec, facts, scope } = input;
  const done: StepPlan<DeploymentScope> = { writes: [], settle: () => ({ condition: { status: 'True' } }) };
  if (!spec.backupRef || !spec.deploymentSpec || !actual) return done;
  const waiting = (reason: string, message: string) => ({ writes: [], settle: () => ({ condition: { status: 'False' as const, reason, message }, wait: 'dependency' as const }) });
  const schedule = referenced<AtlasBackupScheduleSpec>(facts, 'AtlasBackupSchedule', spec.backupRef, facts.parent);
  if (!schedule.ok) return waiting(schedule.reason, schedule.message);
  const policy = referenced<AtlasBackupPolicySpec>(facts, 'AtlasBackupPolicy', schedule.spec.policy, schedule.object);
  if (!policy.ok) return waiting(policy.reason, `${policy.message} (the policy of AtlasBackupSchedule ${schedule.object.metadata.namespace}/${schedule.object.metadata.name})`);
  const desired = desiredSchedule(schedule.spec, policy.spec, scope.zoneId);
  const differences = scheduleDifferences(desired, actual);
  if (differences.length === 0) return done;
  const body = {
    ...desired,
    policies: [{ ...(actual.policies?.[0]?.id ? { id: actual.policies[0].id } : {}), policyItems: desired.policies![0]!.policyItems }],
    ...(schedule.spec.updateSnapshots !== undefined ? { updateSnapshots: schedule.spec.updateSnapshots } : {}),
  };
  const name = spec.deploymentSpec.name;
  return {
    writes: [{ verb: 'update', request: backupScheduleRequests.update(scope.groupId, name, body), summary: `update the backup schedule of deployment ${name}: ${differences.join(', ')}` }],
    // A schedule applies at once: the next sync reads it back.
    settle: () => ({ condition: { status: 'True' } }),
  };
}
