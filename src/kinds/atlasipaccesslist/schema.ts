/**
 * AtlasIPAccessList as the official operator v2 defines it: entries of one project's IP
 * access list, owned by this object alone, so several can share a project (and its
 * AtlasProject leaves them be).
 */
import { Type, type Static } from '@sinclair/typebox';
import { CommonStatus, ExternalProjectOrg, PROJECT_REFERENCE_RULES, READY_COLUMN, ResourceRef, ResourceRefNamespaced } from '../common.js';

export const AccessEntry = Type.Object(
  {
    ipAddress: Type.Optional(Type.String({ description: 'A single IPv4 or IPv6 address.' })),
    cidrBlock: Type.Optional(Type.String({ description: 'A range of addresses in CIDR notation.' })),
    awsSecurityGroup: Type.Optional(Type.String({ description: 'An AWS security group id (needs VPC peering).' })),
    comment: Type.Optional(Type.String()),
    deleteAfterDate: Type.Optional(Type.String({ format: 'date-time', description: 'After this instant Atlas removes the entry.' })),
  },
  {
    // The official rule: at most one address; the hooks ask for at least one.
    'x-kubernetes-validations': [
      {
        rule: '!(has(self.ipAddress) && (has(self.cidrBlock) || has(self.awsSecurityGroup))) && !(has(self.cidrBlock) && has(self.awsSecurityGroup))',
        message: 'Only one of ipAddress, cidrBlock, or awsSecurityGroup may be set.',
      },
    ],
  },
);
export type AccessEntry = Static<typeof AccessEntry>;

export const AtlasIPAccessListSpec = Type.Object(
  {
    projectRef: Type.Optional(ResourceRefNamespaced),
    externalProjectRef: Type.Optional(Type.Object({ id: Type.String() })),
    connectionSecret: Type.Optional(ResourceRef),
    entries: Type.Array(AccessEntry),
  },
  {
    'x-kubernetes-validations': [
      ...PROJECT_REFERENCE_RULES,
    ],
  },
);
export type AtlasIPAccessListSpec = Static<typeof AtlasIPAccessListSpec>;

export const AtlasIPAccessListStatus = Type.Object({
  ...CommonStatus,
  entries: Type.Optional(Type.Array(Type.Object({ entry: Type.String(), status: Type.String() }), { description: 'Each entry this object owns, as Atlas stores its key, and its state.' })),
  orgId: ExternalProjectOrg,
});

export const atlasIPAccessListCrd = {
  kind: 'AtlasIPAccessList',
  plural: 'atlasipaccesslists',
  singular: 'atlasipaccesslist',
  shortNames: ['aip'],
  spec: AtlasIPAccessListSpec,
  status: AtlasIPAccessListStatus,
  printerColumns: [READY_COLUMN],
} as const;
