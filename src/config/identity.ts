/**
 * Who this operator is, the way the official operator works it out: the namespace and pod
 * name come from the downward API, the Deployment name is the pod name less its ReplicaSet
 * and pod hashes, and the global credentials Secret is `<deployment>-api-key` in the
 * operator's namespace unless overridden.
 */
export interface OperatorIdentity {
  namespace: string;
  deploymentName: string;
  globalSecretName: string;
}

export const DEFAULT_DEPLOYMENT_NAME = 'atlas-metacontroller';

export function deploymentNameFromPodName(podName: string): string {
  const segments = podName.split('-');
  if (segments.length < 3 || segments.some((s) => s === '')) {
    throw new Error(
      `OPERATOR_POD_NAME "${podName}" is not a Deployment's pod name (<deployment>-<replicaset hash>-<pod hash>)`,
    );
  }
  return segments.slice(0, -2).join('-');
}

export function operatorIdentity(options: {
  namespace: string;
  podName?: string | undefined;
  globalSecretName?: string | undefined;
}): OperatorIdentity {
  const deploymentName = options.podName ? deploymentNameFromPodName(options.podName) : DEFAULT_DEPLOYMENT_NAME;
  return {
    namespace: options.namespace,
    deploymentName,
    globalSecretName: options.globalSecretName || `${deploymentName}-api-key`,
  };
}
