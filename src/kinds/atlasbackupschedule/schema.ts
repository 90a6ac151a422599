/** AtlasBackupSchedule as the official operator v2 defines it: a cluster's snapshot schedule, referenced from AtlasDeployment.spec.backupRef. */
import { Type, type Static } from '@sinclair/typebox';
import { CommonStatus, READY_COLUMN, ResourceRefNamespaced } from '../common.js';

export const AtlasBackupScheduleSpec = Type.Object({
  policy: ResourceRefNamespaced,
  referenceHourOfDay: Type.Optional(Type.Integer({ minimum: 0, maximum: 23, format: 'int64' })),
  referenceMinuteOfHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 59, format: 'int64' })),
  restoreWindowDays: Type.Optional(Type.Integer({ default: 1, format: 'int64' })),
  autoExportEnabled: Type.Optional(Type.Boolean({ default: false })),
  export: Type.Optional(Type.Object({ exportBucketId: Type.String(), frequencyType: Type.String({ enum: ['monthly'], default: 'monthly' }) })),
  copySettings: Type.Optional(
    Type.Array(
      Type.Object({
        cloudProvider: Type.Optional(Type.String({ enum: ['AWS', 'GCP', 'AZURE'], default: 'AWS' })),
        regionName: Type.Optional(Type.String()),
        shouldCopyOplogs: Type.Optional(Type.Boolean()),
        frequencies: Type.Optional(Type.Array(Type.String())),
      }),
    ),
  ),
  updateSnapshots: Type.Optional(Type.Boolean({ description: 'Apply policy changes to snapshots taken before.' })),
  useOrgAndGroupNamesInExportPrefix: Type.Optional(Type.Boolean()),
});
export type AtlasBackupScheduleSpec = Static<typeof AtlasBackupScheduleSpec>;

export const AtlasBackupScheduleStatus = Type.Object({
  ...CommonStatus,
  deploymentID: Type.Optional(Type.Array(Type.String(), { description: 'The AtlasDeployments that use this schedule, as namespace/name.' })),
});

export const atlasBackupScheduleCrd = {
  kind: 'AtlasBackupSchedule',
  plural: 'atlasbackupschedules',
  singular: 'atlasbackupschedule',
  shortNames: ['abs'],
  spec: AtlasBackupScheduleSpec,
  status: AtlasBackupScheduleStatus,
  printerColumns: [READY_COLUMN],
} as const;
