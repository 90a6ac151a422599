/**
 * The simulator's Atlas state. Transitions (CREATING → IDLE, DELETING → gone, PENDING →
 * ACTIVE, user changes → APPLIED, expiry) are evaluated lazily against the simulator clock
 * on every read, so advancing the clock is all a test needs to do.
 */
import { createHash } from 'node:crypto';
import type { SimClock } from './clock.js';
import type { ClusterDoc, ClusterRecord } from './cluster-model.js';
import { hostLabel, objectId, type IdSource } from './ids.js';

export interface Tag {
  key: string;
  value: string;
}

export interface ProjectRecord {
  id: string;
  name: string;
  orgId: string;
  created: number;
  withDefaultAlertsSettings: boolean;
  tags?: Tag[];
  /** GET/PATCH …/settings; a new project has Atlas's defaults. */
  settings: Record<string, boolean>;
  /** GET/PATCH/DELETE …/maintenanceWindow; absent: Atlas's default window. */
  maintenanceWindow?: Record<string, unknown>;
  /** GET/POST/PATCH/DELETE …/teams: team id → its roles in the project. */
  teamRoles?: Record<string, string[]>;
  /** GET/PATCH …/auditLog; absent: auditing off, as a new project starts. */
  auditing?: { enabled?: boolean; auditFilter?: string; auditAuthorizationSuccess?: boolean };
}

export interface AccessEntryRecord {
  groupId: string;
  cidrBlock?: string;
  ipAddress?: string;
  awsSecurityGroup?: string;
  comment?: string;
  deleteAfterDate?: string;
  activeAt: number;
}


export interface DatabaseUserRecord {
  groupId: string;
  databaseName: string;
  username: string;
  passwordSha256?: string;
  roles: Array<{ roleName: string; databaseName: string; collectionName?: string }>;
  scopes: Array<{ name: string; type: string }>;
  labels: Tag[];
  description?: string;
  deleteAfterDate?: string;
  x509Type: string;
  awsIAMType: string;
  ldapAuthType: string;
  oidcAuthType: string;
}

/** A user of an organization (Atlas's cloud users, not database users). */
export interface OrgUserRecord {
  id: string;
  orgId: string;
  username: string;
  status: 'ACTIVE' | 'PENDING';
  /** When the user joined (ACTIVE) or was invited (PENDING), ms since the epoch. */
  since: number;
}

export interface TeamRecord {
  id: string;
  orgId: string;
  name: string;
  userIds: Set<string>;
}

/** A custom database role, as Atlas renders it. */
export interface CustomRoleRecord {
  roleName: string;
  actions: Array<{ action: string; resources: Array<{ cluster: boolean; db: string; collection: string }> }>;
  inheritedRoles: Array<{ role: string; db: string }>;
}

export class SimStore {
  readonly projects = new Map<string, ProjectRecord>();
  /** groupId → entry key (cidrBlock or security group) → entry */
  readonly accessLists = new Map<string, Map<string, AccessEntryRecord>>();
  /** groupId → cluster name → cluster */
  readonly clusters = new Map<string, Map<string, ClusterRecord>>();
  /** groupId → `${databaseName}/${username}` → user */
  readonly users = new Map<string, Map<string, DatabaseUserRecord>>();
  /** user id → organization user */
  readonly orgUsers = new Map<string, OrgUserRecord>();
  /** team id → team */
  readonly teams = new Map<string, TeamRecord>();
  /** groupId → role name → custom database role */
  readonly customRoles = new Map<string, Map<string, CustomRoleRecord>>();

  constructor(
    private readonly clock: SimClock,
    /** How long transitions take; 0 = done on the next read. */
    public provisionMs: number,
    private readonly ids: IdSource = objectId,
  ) {}

  reset(): void {
    this.projects.clear();
    this.accessLists.clear();
    this.clusters.clear();
    this.users.clear();
    this.customRoles.clear();
    this.teams.clear();
  }

  now(): number {
    return this.clock.now();
  }

  newId(): string {
    return this.ids(this.clock.now());
  }

  transitionEnd(): number {
    return this.clock.now() + this.provisionMs;
  }

  // Projects

  projectsOf(orgId: string): ProjectRecord[] {
    return [...this.projects.values()].filter((p) => p.orgId === orgId).sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  // Access list

  accessList(groupId: string): Map<string, AccessEntryRecord> {
    let list = this.accessLists.get(groupId);
    if (!list) this.accessLists.set(groupId, (list = new Map()));
    const now = this.clock.now();
    for (const [key, entry] of list) {
      if (entry.deleteAfterDate && Date.parse(entry.deleteAfterDate) <= now) list.delete(key);
    }
    return list;
  }

  // Organization users and teams

  /** A user who belongs to (ACTIVE) or was invited to (PENDING) an organization. */
  addOrgUser(orgId: string, username: string, status: OrgUserRecord['status'] = 'ACTIVE'): OrgUserRecord {
    // Derived from the name, so adding users never shifts the ids projects and clusters get.
    const user = { id: createHash('sha256').update(`${orgId}/${username}`).digest('hex').slice(0, 24), orgId, username, status, since: this.clock.now() };
    this.orgUsers.set(user.id, user);
    return user;
  }

  usersOfOrg(orgId: string): OrgUserRecord[] {
    return [...this.orgUsers.values()].filter((u) => u.orgId === orgId);
  }

  teamsOf(orgId: string): TeamRecord[] {
    return [...this.teams.values()].filter((t) => t.orgId === orgId);
  }

  // Custom database roles

  customRolesOf(groupId: string): Map<string, CustomRoleRecord> {
    let roles = this.customRoles.get(groupId);
    if (!roles) this.customRoles.set(groupId, (roles = new Map()));
    return roles;
  }

  // Clusters

  clustersOf(groupId: string): Map<string, ClusterRecord> {
    let clusters = this.clusters.get(groupId);
    if (!clusters) this.clusters.set(groupId, (clusters = new Map()));
    const now = this.clock.now();
    for (const [name, cluster] of clusters) {
      if (cluster.phase === 'IDLE' || now < cluster.phaseUntil) continue;
      if (cluster.phase === 'DELETING') clusters.delete(name);
      else cluster.phase = 'IDLE';
    }
    return clusters;
  }

  newCluster(groupId: string, name: string, doc: ClusterDoc, flex?: ClusterRecord['flex']): ClusterRecord {
    const now = this.clock.now();
    const cluster: ClusterRecord = {
      id: this.newId(),
      groupId,
      name,
      createDate: now,
      doc,
      specIds: [],
      phase: 'CREATING',
      phaseUntil: this.transitionEnd(),
      hostLabel: hostLabel(),
      replicaSetLabel: hostLabel(),
      userChangesUntil: 0,
      ...(flex ? { flex } : {}),
    };
    this.assignSpecIds(cluster);
    this.clustersOf(groupId).set(name, cluster);
    return cluster;
  }

  assignSpecIds(cluster: ClusterRecord): void {
    const count = cluster.doc.replicationSpecs.length;
    while (cluster.specIds.length < count) cluster.specIds.push({ id: this.newId(), zoneId: this.newId() });
    cluster.specIds.length = count;
  }

  // Database users

  usersOf(groupId: string): Map<string, DatabaseUserRecord> {
    let users = this.users.get(groupId);
    if (!users) this.users.set(groupId, (users = new Map()));
    return users;
  }

  /** A user change takes --provision-seconds to reach every cluster of the project. */
  userChanged(groupId: string): void {
    const until = this.transitionEnd();
    for (const cluster of this.clustersOf(groupId).values()) cluster.userChangesUntil = until;
  }
}
