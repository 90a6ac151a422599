/** AtlasBackupPolicy as the official operator v2 defines it: the snapshot policy items a schedule uses. */
import { Type, type Static } from '@sinclair/typebox';
import { CommonStatus, READY_COLUMN } from '../common.js';

const INTERVALS = [...Array.from({ length: 28 }, (_, i) => i + 1), 40];

export const PolicyItem = Type.Object({
  frequencyType: Type.String({ enum: ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] }),
  frequencyInterval: Type.Integer({ enum: INTERVALS, description: 'Hourly: every N hours; weekly: 1 = Monday; monthly: day of month, 40 = last day; yearly: month.' }),
  retentionUnit: Type.String({ enum: ['days', 'weeks', 'months', 'years'] }),
  retentionValue: Type.Integer(),
});
export type PolicyItem = Static<typeof PolicyItem>;

export const AtlasBackupPolicySpec = Type.Object({ items: Type.Array(PolicyItem) });
export type AtlasBackupPolicySpec = Static<typeof AtlasBackupPolicySpec>;

export const AtlasBackupPolicyStatus = Type.Object({
  ...CommonStatus,
  backupScheduleIDs: Type.Optional(Type.Array(Type.String(), { description: 'The AtlasBackupSchedules that use this policy, as namespace/name.' })),
});

export const atlasBackupPolicyCrd = {
  kind: 'AtlasBackupPolicy',
  plural: 'atlasbackuppolicies',
  singular: 'atlasbackuppolicy',
  shortNames: ['abp'],
  spec: AtlasBackupPolicySpec,
  status: AtlasBackupPolicyStatus,
  printerColumns: [READY_COLUMN],
} as const;
