import type { LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaSdk } from '../util/lazy-modules';
import { toDeployError } from './aws-error';
import type { Pacer } from './pacer';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy, type RetryStats } from './retry';

/** An alias with its traffic split: the primary version, and extra versions with their share (0..1). */
export interface AliasRoute {
  version: string;
  weights: Record<string, number>;
}

/** Reads and sets an alias's routing (RoutingConfig): what a rollout steps. */
export interface AliasRouter {
  /** undefined when there is no such alias. */
  read(functionName: string, alias: string): Promise<AliasRoute | undefined>;
  /** Sets the primary version and exactly these weights (empty: none left). */
  route(functionName: string, alias: string, route: AliasRoute): Promise<void>;
}

/**
 * AliasRouter over the SDK. Both calls are control-plane calls, so both take a token from the
 * pacer the deploy's writes use: a rollout of N functions costs N writes per step, paced to the quota.
 */
export class SdkAliasRouter implements AliasRouter {
  constructor(
    private readonly client: LambdaClient,
    private readonly options: { pacer?: Pacer; retry?: RetryPolicy; retryStats?: RetryStats } = {},
  ) {}

  async read(functionName: string, alias: string): Promise<AliasRoute | undefined> {
    try {
      const out = await this.call('GetAlias', `${functionName}:${alias}`, () => this.client.send(new (lambdaSdk().GetAliasCommand)({ FunctionName: functionName, Name: alias })));
      return { version: out.FunctionVersion!, weights: { ...(out.RoutingConfig?.AdditionalVersionWeights ?? {}) } };
    } catch (error) {
      if ((error as { code?: string }).code === 'AWS_ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  async route(functionName: string, alias: string, route: AliasRoute): Promise<void> {
    // An empty map clears the split; leaving RoutingConfig out would keep the old weights.
    await this.call('UpdateAlias', `${functionName}:${alias}`, () =>
      this.client.send(new (lambdaSdk().UpdateAliasCommand)({ FunctionName: functionName, Name: alias, FunctionVersion: route.version, RoutingConfig: { AdditionalVersionWeights: route.weights } })),
    );
  }

  private async call<T>(action: string, subject: string, send: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(
        `${subject}: lambda:${action}`,
        async () => {
          await this.options.pacer?.take();
          return send();
        },
        this.options.retry ?? DEFAULT_RETRY_POLICY,
        this.options.retryStats,
      );
    } catch (error) {
      throw toDeployError(error, `lambda:${action}`, subject);
    }
  }
}
