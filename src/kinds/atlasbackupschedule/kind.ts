/** AtlasBackupSchedule: applied to each referencing AtlasDeployment's cluster by that deployment's sync. */
import { listedIn, refAt, referencedController } from '../referenced.js';
import { AtlasBackupScheduleSpec } from './schema.js';

export const BACKUP_SCHEDULE_READY = 'BackupScheduleReady';

export const atlasBackupSchedule = referencedController({
  kind: 'AtlasBackupSchedule',
  route: 'atlasbackupschedule',
  spec: AtlasBackupScheduleSpec,
  condition: BACKUP_SCHEDULE_READY,
  invalidReason: 'BackupScheduleInvalidSpec',
  status: listedIn('deploymentID'),
  referrer: { kind: 'AtlasDeployment', resource: 'atlasdeployments', refs: refAt('backupRef') },
});
