/**
 * Atlas error answers: body `{detail, error, errorCode, parameters, reason}` with its keys in
 * alphabetical order, `Content-Type: application/json` and an `X-Error-Code` header, as
 * recorded. Templates are Atlas's own wording (../shared/reference/atlas-api.md §4.2).
 */
import { STATUS_CODES } from 'node:http';

export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly detail: string,
    readonly parameters: unknown[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  body(): Record<string, unknown> {
    return {
      detail: this.detail,
      error: this.status,
      errorCode: this.errorCode,
      parameters: this.parameters,
      reason: STATUS_CODES[this.status] ?? 'Error',
    };
  }
}

export const atlasErrors = {
  groupNotFound: (id: string) => new SimError(404, 'GROUP_NOT_FOUND', `No group with ID ${id} exists.`, [id]),
  notInGroup: (status: 401 | 404 = 404) =>
    new SimError(status, 'NOT_IN_GROUP', 'The current user is not in the group, or the group does not exist.'),
  groupAlreadyExists: (name: string) =>
    new SimError(409, 'GROUP_ALREADY_EXISTS', `A group with name "${name}" already exists.`, [name]),
  cannotCloseGroup: () =>
    new SimError(
      409,
      'CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS',
      'Cannot close group while it has active clusters; please terminate all clusters.',
    ),
  invalidAddress: (address: string) =>
    new SimError(
      400,
      'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
      `The address ${address} must be in valid IP address or CIDR notation.`,
      [address],
    ),
  multipleValues: () =>
    new SimError(
      400,
      'MULTIPLE_VALUES_SPECIFIED_FOR_ONE_NETWORK_PERMISSION_ENTRY',
      'Only one of an IP address, CIDR block, or AWS security group may be specified per access list entry.',
    ),
  accessEntryNotFound: (entry: string, groupId: string) =>
    new SimError(
      404,
      'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND',
      `IP Address ${entry} not on Atlas access list for group ${groupId}.`,
      [entry, groupId],
    ),
  clusterNotFound: (name: string, groupId: string) =>
    new SimError(404, 'CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${groupId}.`, [name, groupId]),
  duplicateClusterName: (name: string, groupId: string) =>
    new SimError(
      400,
      'DUPLICATE_CLUSTER_NAME',
      `A cluster or serverless instance named ${name} is already present in group ${groupId}.`,
      [name, groupId],
    ),
  clusterPaused: (name: string) =>
    new SimError(409, 'CANNOT_UPDATE_PAUSED_CLUSTER', `Cannot update cluster ${name} while it is paused or being paused.`, [name]),
  flexInClusterApi: (name: string) =>
    new SimError(400, 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API', `Flex cluster ${name} cannot be used in the Cluster API.`, [name]),
  nonFlexInFlexApi: (name: string) =>
    new SimError(400, 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', `Cluster ${name} is not a flex cluster and cannot be used in the Flex Cluster API.`, [name]),
  clusterDeleting: (name: string) =>
    new SimError(400, 'CLUSTER_ALREADY_REQUESTED_DELETION', `The cluster ${name} has already been requested for deletion.`, [name]),
  terminationProtected: (name: string, groupId: string) =>
    new SimError(
      400,
      'CANNOT_TERMINATE_CLUSTER_WHEN_TERMINATION_PROTECTION_ENABLED',
      'Cannot terminate a cluster when termination protection is enabled. Disable termination protection and try again.',
      [`Cannot terminate cluster ${name} in group ${groupId} because termination protection is enabled.`],
    ),
  userAlreadyExists: (username: string) =>
    new SimError(409, 'USER_ALREADY_EXISTS', `A user with username ${username} already exists.`, [username]),
  maintenanceWindowNotDefined: () =>
    new SimError(400, 'ATLAS_MAINTENANCE_WINDOW_NOT_DEFINED', 'No maintenance window defined for project. This action is only supported for projects with user defined maintenance windows.'),
  maintenanceDeferralsExceeded: () => new SimError(400, 'ATLAS_NUM_MAINTENANCE_DEFERRALS_EXCEEDED', 'Scheduled maintenance for a group cannot be deferred more than twice.'),
  teamNameNotFound: (name: string) => new SimError(404, 'TEAM_NAME_NOT_FOUND', `No team with name "${name}" exists.`, [name]),
  teamNotFound: (id: string) => new SimError(404, 'TEAM_NOT_FOUND', `No team with ID ${id} exists.`, [id]),
  teamNotInGroup: () => new SimError(404, 'TEAM_NOT_IN_GROUP', 'The team in your request is not assigned to this group.'),
  teamAssignedToProject: () =>
    new SimError(404, 'CANNOT_DELETE_TEAM_ASSIGNED_TO_PROJECT', 'You cannot delete a team that has at least one project assigned to it. Make sure to remove the team from all project before deleting it.'),
  teamNameTaken: (name: string, orgId: string) => new SimError(409, 'TEAM_NAME_NOT_AVAILABLE', `Cannot create a team named ${name} in organization ${orgId}.`, [name, orgId]),
  emptyTeam: () => new SimError(400, 'CANNOT_CREATE_EMPTY_TEAM', 'A team must contain at least one user. Add a user to your team to continue.'),
  usernameNotFound: (username: string) => new SimError(404, 'USERNAME_NOT_FOUND', `No user with username ${username} exists.`, [username]),
  userIdNotFound: (id: string) => new SimError(404, 'USER_NOT_FOUND', `No user with ID ${id} exists.`, [id]),
  pendingUser: () =>
    new SimError(404, 'CANNOT_ADD_PENDING_USER', 'The user cannot be added to any group or teams in this organization as it is a pending user/the user has not accepted the invite to this organization.'),
  customRoleNotFound: (name: string, groupId: string) =>
    new SimError(404, 'ATLAS_CUSTOM_ROLE_NOT_FOUND', `No custom role with name ${name} exists in group ${groupId}.`, [name, groupId]),
  customRoleExists: (name: string) => new SimError(409, 'ATLAS_CUSTOM_ROLE_NAME_ALREADY_EXISTS', `A custom role with the name ${name} already exists.`, [name]),
  customRoleInvalidName: (name: string) =>
    new SimError(
      400,
      'ATLAS_CUSTOM_ROLE_INVALID_NAME',
      `The role name, "${name}", is invalid. A custom role name must be a non-empty string made up of only ASCII letters, numbers, hyphens, and underscores, and should begin with a letter or number.`,
      [name],
    ),
  customRoleHasNoPermissions: () => new SimError(400, 'ATLAS_CUSTOM_ROLE_HAS_NO_PERMISSIONS', 'Custom roles must have one or more user privilege actions or inherited roles.'),
  customRoleDuplicateAction: () => new SimError(400, 'ATLAS_DUPLICATE_CUSTOM_ROLE_ACTION', 'A custom role cannot have duplicate actions.'),
  customRoleInUseByUsers: (users: string[]) =>
    new SimError(409, 'ATLAS_CUSTOM_ROLE_IN_USE_BY_USERS', `Deleting specified custom role would leave the following users without a role: ${users.join(', ')}.`, [users.join(', ')]),
  userNotFound: (username: string) =>
    new SimError(404, 'USERNAME_NOT_FOUND', `No user with username ${username} exists.`, [username]),
  invalidAttribute: (name: string) => new SimError(400, 'INVALID_ATTRIBUTE', `Invalid attribute ${name} specified.`, [name]),
  missingAttribute: (name: string) =>
    new SimError(400, 'MISSING_ATTRIBUTE', `The required attribute ${name} was not specified.`, [name]),
  validation: (message: string) =>
    new SimError(400, 'VALIDATION_ERROR', `The request content produced the validation error: ${message}.`, [message]),
  malformedJson: () => new SimError(400, 'MALFORMED_JSON', 'Received JSON is malformed.'),
  invalidVersion: () => new SimError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.'),
  unauthorized: () => new SimError(401, 'UNAUTHORIZED', 'You are not authorized for this resource.'),
  forbidden: () => new SimError(403, 'ACCESS_FORBIDDEN', 'You are not allowed to access this resource.'),
  notFound: (path: string) => new SimError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${path}.`, [path]),
  rateLimited: (retryAfterSeconds: number) =>
    new SimError(429, 'RATE_LIMITED', 'You have exceeded the rate limit. Please retry later.', [], {
      'retry-after': String(retryAfterSeconds),
    }),
  unexpected: () => new SimError(500, 'UNEXPECTED_ERROR', 'Unexpected error.'),
  unavailable: () => new SimError(503, 'SERVICE_UNAVAILABLE', 'Service unavailable.'),
};
