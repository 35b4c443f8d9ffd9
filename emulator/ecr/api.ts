/**
 * ECR's DescribeRepositories, answered as an empty registry: the local cloud runs functions
 * from zips, never container images, so no repository exists. `sls remove` asks for its
 * image repository before it removes a stack, and goes on when told it is not there.
 */
import { AwsError } from '../core/errors.ts';
import type { Gateway } from '../gateway/server.ts';

export function registerEcrApi(gateway: Gateway, accountId: string): void {
  gateway.jsonService(
    'AmazonEC2ContainerRegistry_V20150921',
    async (action, input: { repositoryNames?: string[] }) => {
      if (action !== 'DescribeRepositories')
        throw new AwsError(
          'UnknownOperationException',
          `The local cloud has no container registry (ECR ${action}): functions run from zips, not images.`,
        );
      const name = input.repositoryNames?.[0];
      if (name)
        throw new AwsError(
          'RepositoryNotFoundException',
          `The repository with name '${name}' does not exist in the registry with id '${accountId}'`,
        );
      return { repositories: [] };
    },
  );
}
