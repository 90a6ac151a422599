/**
 * The official AtlasProject v2 fields this operator stores but does not manage yet, typed as
 * the official CRD types them so the API server validates them the same way and prunes
 * nothing. Each top-level field is kept(): set, it is named under FieldsManaged and Atlas is
 * left alone for it. The status shapes are the official operator's, so objects it wrote keep
 * a valid status.
 */
import { Type } from '@sinclair/typebox';
import { kept } from '../common.js';

const opt = Type.Optional;
const str = () => opt(Type.String());
const bool = () => opt(Type.Boolean());
const int = () => opt(Type.Integer());
/** A reference as the official CRD types it: a name (required, possibly empty) and a namespace. */
const Ref = Type.Object({ name: Type.String(), namespace: str() });
const secretRef = () => opt(Ref);

const Matcher = Type.Object({ fieldName: str(), operator: str(), value: str() });
const Threshold = Type.Object({ operator: str(), threshold: str(), units: str() });
const MetricThreshold = Type.Object({ metricName: str(), mode: str(), operator: str(), threshold: Type.String(), units: str() });

const AlertNotification = Type.Object({
  apiTokenRef: secretRef(),
  channelName: str(),
  datadogAPIKeyRef: secretRef(),
  datadogRegion: str(),
  delayMin: int(),
  emailAddress: str(),
  emailEnabled: bool(),
  flowName: str(),
  flowdockApiTokenRef: secretRef(),
  intervalMin: int(),
  mobileNumber: str(),
  opsGenieApiKeyRef: secretRef(),
  opsGenieRegion: str(),
  orgName: str(),
  roles: opt(Type.Array(Type.String())),
  serviceKeyRef: secretRef(),
  smsEnabled: bool(),
  teamId: str(),
  teamName: str(),
  typeName: str(),
  username: str(),
  victorOpsSecretRef: secretRef(),
});

const AlertConfiguration = Type.Object({
  enabled: bool(),
  eventTypeName: str(),
  matchers: opt(Type.Array(Matcher)),
  metricThreshold: opt(MetricThreshold),
  notifications: opt(Type.Array(AlertNotification)),
  severityOverride: opt(Type.String({ enum: ['INFO', 'WARNING', 'ERROR', 'CRITICAL'] })),
  threshold: opt(Threshold),
});

const Integration = Type.Object({
  accountId: str(),
  apiKeyRef: secretRef(),
  apiTokenRef: secretRef(),
  channelName: str(),
  enabled: bool(),
  flowName: str(),
  licenseKeyRef: secretRef(),
  microsoftTeamsWebhookUrl: str(),
  name: str(),
  orgName: str(),
  passwordRef: secretRef(),
  readTokenRef: secretRef(),
  region: str(),
  routingKeyRef: secretRef(),
  scheme: str(),
  secretRef: secretRef(),
  serviceDiscovery: str(),
  serviceKeyRef: secretRef(),
  teamName: str(),
  type: opt(Type.String({ enum: ['PAGER_DUTY', 'SLACK', 'DATADOG', 'NEW_RELIC', 'OPS_GENIE', 'VICTOR_OPS', 'FLOWDOCK', 'WEBHOOK', 'MICROSOFT_TEAMS', 'PROMETHEUS'] })),
  url: str(),
  username: str(),
  writeTokenRef: secretRef(),
});

const NetworkPeer = Type.Object({
  accepterRegionName: str(),
  atlasCidrBlock: str(),
  awsAccountId: str(),
  azureDirectoryId: str(),
  azureSubscriptionId: str(),
  containerId: str(),
  containerRegion: str(),
  gcpProjectId: str(),
  networkName: str(),
  providerName: str(),
  resourceGroupName: str(),
  routeTableCidrBlock: str(),
  vnetName: str(),
  vpcId: str(),
});

const PrivateEndpoint = Type.Object({
  endpointGroupName: str(),
  endpoints: opt(Type.Array(Type.Object({ endpointName: str(), ipAddress: str() }))),
  gcpProjectId: str(),
  id: str(),
  ip: str(),
  provider: Type.String({ enum: ['AWS', 'GCP', 'AZURE', 'TENANT'] }),
  region: Type.String(),
});

const CloudProviderRole = Type.Object({ iamAssumedRoleArn: str(), providerName: Type.String() });

const EncryptionAtRest = Type.Object({
  awsKms: opt(Type.Object({ enabled: bool(), region: str(), secretRef: secretRef(), valid: bool() })),
  azureKeyVault: opt(Type.Object({ azureEnvironment: str(), clientID: str(), enabled: bool(), resourceGroupName: str(), secretRef: secretRef(), tenantID: str() })),
  googleCloudKms: opt(Type.Object({ enabled: bool(), secretRef: secretRef() })),
});

/** Spec fields: each kept whole, so setting any part of it is reported. */
export const KEPT_SPEC_FIELDS = {
  alertConfigurationSyncEnabled: opt(kept(Type.Boolean())),
  alertConfigurations: opt(kept(Type.Array(AlertConfiguration))),
  backupCompliancePolicyRef: opt(kept(Ref)),
  cloudProviderAccessRoles: opt(kept(Type.Array(CloudProviderRole))),
  cloudProviderIntegrations: opt(kept(Type.Array(CloudProviderRole))),
  encryptionAtRest: opt(kept(EncryptionAtRest)),
  integrations: opt(kept(Type.Array(Integration))),
  networkPeers: opt(kept(Type.Array(NetworkPeer))),
  privateEndpoints: opt(kept(Type.Array(PrivateEndpoint))),
  regionalizedPrivateEndpoint: opt(kept(Type.Object({ enabled: bool() }))),
  x509CertRef: opt(kept(Ref)),
};

const StatusNotification = Type.Object({
  apiToken: str(),
  channelName: str(),
  datadogApiKey: str(),
  datadogRegion: str(),
  delayMin: int(),
  emailAddress: str(),
  emailEnabled: bool(),
  flowName: str(),
  flowdockApiToken: str(),
  intervalMin: int(),
  mobileNumber: str(),
  opsGenieApiKey: str(),
  opsGenieRegion: str(),
  orgName: str(),
  roles: opt(Type.Array(Type.String())),
  serviceKey: str(),
  smsEnabled: bool(),
  teamId: str(),
  teamName: str(),
  typeName: str(),
  username: str(),
  victorOpsApiKey: str(),
  victorOpsRoutingKey: str(),
});

const StatusAlertConfiguration = Type.Object({
  acknowledgedUntil: str(),
  acknowledgementComment: str(),
  acknowledgingUsername: str(),
  alertConfigId: str(),
  clusterId: str(),
  clusterName: str(),
  created: str(),
  currentValue: opt(Type.Object({ number: str(), units: str() })),
  enabled: bool(),
  errorMessage: str(),
  eventTypeName: str(),
  groupId: str(),
  hostId: str(),
  hostnameAndPort: str(),
  id: str(),
  lastNotified: str(),
  matchers: opt(Type.Array(Matcher)),
  metricName: str(),
  metricThreshold: opt(MetricThreshold),
  notifications: opt(Type.Array(StatusNotification)),
  replicaSetName: str(),
  resolved: str(),
  severityOverride: str(),
  sourceTypeName: str(),
  status: str(),
  threshold: opt(Threshold),
  updated: str(),
});

/** Status fields the official operator writes for the features above; this one never sets them. */
export const OFFICIAL_STATUS_FIELDS = {
  alertConfigurations: opt(Type.Array(StatusAlertConfiguration)),
  authModes: opt(Type.Array(Type.String())),
  /** v0.8's spelling of authModes. */
  AuthModes: opt(Type.Array(Type.String())),
  cloudProviderIntegrations: opt(
    Type.Array(
      Type.Object({
        atlasAWSAccountArn: str(),
        atlasAssumedRoleExternalId: Type.String(),
        authorizedDate: str(),
        createdDate: str(),
        errorMessage: str(),
        featureUsages: opt(Type.Array(Type.Object({ featureId: str(), featureType: str() }))),
        iamAssumedRoleArn: str(),
        providerName: Type.String(),
        roleId: str(),
        status: str(),
      }),
    ),
  ),
  networkPeers: opt(
    Type.Array(
      Type.Object({
        atlasGcpProjectId: str(),
        atlasNetworkName: str(),
        connectionId: str(),
        containerId: str(),
        errorMessage: str(),
        errorState: str(),
        errorStateName: str(),
        gcpProjectId: str(),
        id: Type.String(),
        providerName: Type.String(),
        region: Type.String(),
        status: str(),
        statusName: str(),
        vpc: str(),
      }),
    ),
  ),
  privateEndpoints: opt(
    Type.Array(
      Type.Object({
        endpoints: opt(Type.Array(Type.Object({ endpointName: Type.String(), ipAddress: Type.String(), status: Type.String() }))),
        id: str(),
        interfaceEndpointId: str(),
        provider: Type.String(),
        region: Type.String(),
        serviceAttachmentNames: opt(Type.Array(Type.String())),
        serviceName: str(),
        serviceResourceId: str(),
      }),
    ),
  ),
  prometheus: opt(Type.Object({ prometheusDiscoveryURL: str(), scheme: str() })),
  regionalizedPrivateEndpoint: opt(Type.Object({ enabled: bool() })),
};
