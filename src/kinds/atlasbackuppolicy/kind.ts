/** AtlasBackupPolicy: its items reach Atlas through the schedules that use it. */
import { listedIn, refAt, referencedController } from '../referenced.js';
import { AtlasBackupPolicySpec } from './schema.js';

export const BACKUP_POLICY_READY = 'BackupPolicyReady';

export const atlasBackupPolicy = referencedController({
  kind: 'AtlasBackupPolicy',
  route: 'atlasbackuppolicy',
  spec: AtlasBackupPolicySpec,
  condition: BACKUP_POLICY_READY,
  invalidReason: 'BackupPolicyInvalidSpec',
  status: listedIn('backupScheduleIDs'),
  referrer: { kind: 'AtlasBackupSchedule', resource: 'atlasbackupschedules', refs: refAt('policy') },
});
