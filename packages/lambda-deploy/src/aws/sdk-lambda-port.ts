import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaSdk } from '../util/lazy-modules';
import type { Architecture } from '../config/runtimes';
import type { DeployError } from '../errors';
import { awsErrorCode, classifyError, toDeployError, type RetryClass } from './aws-error';
import type { CodeSource, ConfigurationChange, FunctionState, LambdaPort, LayerVersionInfo } from './lambda-port';
import type { Pacer } from './pacer';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy, type RetryStats } from './retry';

export interface SdkPortOptions {
  /** Paces control-plane writes and lists; GetFunction has its own quota and is not paced. */
  pacer?: Pacer;
  retry?: RetryPolicy;
  retryStats?: RetryStats;
}

/** LambdaPort over the AWS SDK v3. Every call is retried by one policy and every failure becomes a DeployError. */
export class SdkLambdaPort implements LambdaPort {
  constructor(
    private readonly client: LambdaClient,
    private readonly options: SdkPortOptions = {},
  ) {}

  private async call<T>(action: string, subject: string, send: () => Promise<T>, paced: boolean, classify?: (error: unknown) => RetryClass): Promise<T> {
    try {
      return await withRetry(
        `${subject}: lambda:${action}`,
        async () => {
          if (paced) await this.options.pacer?.take();
          return send();
        },
        this.options.retry ?? DEFAULT_RETRY_POLICY,
        this.options.retryStats,
        classify,
      );
    } catch (error) {
      throw toDeployError(error, `lambda:${action}`, subject);
    }
  }

  async listLayerVersions(layerName: string): Promise<LayerVersionInfo[]> {
    const versions: LayerVersionInfo[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call('ListLayerVersions', layerName, () => this.client.send(new (lambdaSdk().ListLayerVersionsCommand)({ LayerName: layerName, Marker: marker, MaxItems: 50 })), true);
      for (const v of page.LayerVersions ?? []) {
        versions.push({ arn: v.LayerVersionArn!, version: v.Version!, description: v.Description ?? '', createdDate: v.CreatedDate });
      }
      marker = page.NextMarker;
    } while (marker);
    return versions.sort((a, b) => b.version - a.version);
  }

  async publishLayerVersion(input: { layerName: string; description: string; content: CodeSource; runtimes: string[]; architectures: Architecture[] }): Promise<LayerVersionInfo> {
    const out = await this.call(
      'PublishLayerVersion',
      input.layerName,
      () =>
        this.client.send(
          new (lambdaSdk().PublishLayerVersionCommand)({
            LayerName: input.layerName,
            Description: input.description,
            Content: 'zipFile' in input.content ? { ZipFile: input.content.zipFile } : { S3Bucket: input.content.s3Bucket, S3Key: input.content.s3Key },
            CompatibleRuntimes: input.runtimes as never,
            CompatibleArchitectures: input.architectures,
          }),
        ),
      true,
    );
    return { arn: out.LayerVersionArn!, version: out.Version!, description: out.Description ?? input.description, createdDate: out.CreatedDate, codeSha256: out.Content?.CodeSha256 };
  }

  async deleteLayerVersion(layerName: string, version: number): Promise<void> {
    // Already gone (a retry after a lost answer): the goal is reached.
    await unlessNotFound(this.call('DeleteLayerVersion', `${layerName}:${version}`, () => this.client.send(new (lambdaSdk().DeleteLayerVersionCommand)({ LayerName: layerName, VersionNumber: version })), true));
  }

  async getLayerVersion(layerName: string, version: number): Promise<LayerVersionInfo | undefined> {
    const out = await unlessNotFound(this.call('GetLayerVersion', `${layerName}:${version}`, () => this.client.send(new (lambdaSdk().GetLayerVersionCommand)({ LayerName: layerName, VersionNumber: version })), true));
    return out && { arn: out.LayerVersionArn!, version: out.Version!, description: out.Description ?? '', createdDate: out.CreatedDate, codeSize: out.Content?.CodeSize, location: out.Content?.Location, codeSha256: out.Content?.CodeSha256 };
  }


  async layerVersionPolicySids(layerName: string, version: number): Promise<string[]> {
    // A version nobody was granted anything has no policy: Lambda answers 404, which means "no statements".
    const out = await unlessNotFound(this.call('GetLayerVersionPolicy', `${layerName}:${version}`, () => this.client.send(new (lambdaSdk().GetLayerVersionPolicyCommand)({ LayerName: layerName, VersionNumber: version })), true));
    const statements = (out?.Policy ? (JSON.parse(out.Policy) as { Statement?: { Sid?: string }[] }).Statement : undefined) ?? [];
    return statements.flatMap((statement) => (statement.Sid ? [statement.Sid] : []));
  }

  async addLayerVersionPermission(layerName: string, version: number, grant: { sid: string; principal: string; organizationId?: string }): Promise<void> {
    await this.call('AddLayerVersionPermission', `${layerName}:${version} ${grant.sid}`, () => this.client.send(new (lambdaSdk().AddLayerVersionPermissionCommand)({ LayerName: layerName, VersionNumber: version, StatementId: grant.sid, Action: 'lambda:GetLayerVersion', Principal: grant.principal, OrganizationId: grant.organizationId })), true);
  }

  async removeLayerVersionPermission(layerName: string, version: number, sid: string): Promise<void> {
    // Already gone (a retry after a lost answer): the goal is reached.
    await unlessNotFound(this.call('RemoveLayerVersionPermission', `${layerName}:${version} ${sid}`, () => this.client.send(new (lambdaSdk().RemoveLayerVersionPermissionCommand)({ LayerName: layerName, VersionNumber: version, StatementId: sid })), true));
  }

  async getFunction(name: string, qualifier?: string): Promise<FunctionState | undefined> {
    const out = await unlessNotFound(this.call('GetFunction', qualifier ? `${name}:${qualifier}` : name, () => this.client.send(new (lambdaSdk().GetFunctionCommand)({ FunctionName: name, Qualifier: qualifier })), false));
    return out && { ...toFunctionState(out.Configuration!), tags: out.Tags ?? {}, reservedConcurrency: out.Concurrency?.ReservedConcurrentExecutions };
  }


  async createFunction(input: { name: string; role: string; code: CodeSource; architecture: Architecture; settings: ConfigurationChange & { runtime: string; handler: string }; layers: string[]; tags?: Record<string, string> }): Promise<FunctionState> {
    const { settings } = input;
    const out = await this.call(
      'CreateFunction',
      input.name,
      () =>
        this.client.send(
          new (lambdaSdk().CreateFunctionCommand)({
            FunctionName: input.name,
            Code: 'zipFile' in input.code ? { ZipFile: input.code.zipFile } : { S3Bucket: input.code.s3Bucket, S3Key: input.code.s3Key },
            Architectures: [input.architecture],
            ...configurationInput({ ...settings, layers: input.layers }),
            Role: input.role,
            Tags: input.tags,
          }),
        ),
      true,
      (error) => (alreadyExists(error) ? 'fatal' : classifyError(error)),
    ).catch((error: unknown) => {
      // A create retried after its answer was lost, or raced by another deploy: the function is there now.
      if (!alreadyExists((error as DeployError).cause)) throw error;
      return undefined;
    });
    if (!out) return (await this.getFunction(input.name))!;
    return toFunctionState(out);
  }

  async updateFunctionCode(name: string, code: CodeSource, architecture: Architecture): Promise<FunctionState> {
    const out = await this.call(
      'UpdateFunctionCode',
      name,
      () =>
        this.client.send(
          new (lambdaSdk().UpdateFunctionCodeCommand)({
            FunctionName: name,
            Architectures: [architecture],
            ...('zipFile' in code ? { ZipFile: code.zipFile } : { S3Bucket: code.s3Bucket, S3Key: code.s3Key }),
          }),
        ),
      true,
    );
    return toFunctionState(out);
  }

  async updateFunctionConfiguration(name: string, change: ConfigurationChange): Promise<FunctionState> {
    const out = await this.call(
      'UpdateFunctionConfiguration',
      name,
      () =>
        this.client.send(
          new (lambdaSdk().UpdateFunctionConfigurationCommand)({
            FunctionName: name,
            ...configurationInput(change),
          }),
        ),
      true,
    );
    return toFunctionState(out);
  }

  async tagFunction(arn: string, tags: Record<string, string>): Promise<void> {
    await this.call('TagResource', arn, () => this.client.send(new (lambdaSdk().TagResourceCommand)({ Resource: arn, Tags: tags })), true);
  }

  async untagFunction(arn: string, keys: string[]): Promise<void> {
    await this.call('UntagResource', arn, () => this.client.send(new (lambdaSdk().UntagResourceCommand)({ Resource: arn, TagKeys: keys })), true);
  }

  async putReservedConcurrency(name: string, reserved: number): Promise<void> {
    await this.call('PutFunctionConcurrency', name, () => this.client.send(new (lambdaSdk().PutFunctionConcurrencyCommand)({ FunctionName: name, ReservedConcurrentExecutions: reserved })), true);
  }

  async publishVersion(name: string): Promise<FunctionState> {
    return toFunctionState(await this.call('PublishVersion', name, () => this.client.send(new (lambdaSdk().PublishVersionCommand)({ FunctionName: name })), true));
  }

  async getAlias(name: string, alias: string): Promise<{ functionVersion: string } | undefined> {
    const out = await unlessNotFound(this.call('GetAlias', `${name}:${alias}`, () => this.client.send(new (lambdaSdk().GetAliasCommand)({ FunctionName: name, Name: alias })), true));
    return out && { functionVersion: out.FunctionVersion! };
  }


  async pointAlias(name: string, alias: string, version: string, exists: boolean): Promise<void> {
    if (exists) {
      await this.call('UpdateAlias', `${name}:${alias}`, () => this.client.send(new (lambdaSdk().UpdateAliasCommand)({ FunctionName: name, Name: alias, FunctionVersion: version })), true);
    } else {
      await this.call('CreateAlias', `${name}:${alias}`, () => this.client.send(new (lambdaSdk().CreateAliasCommand)({ FunctionName: name, Name: alias, FunctionVersion: version })), true);
    }
  }

  async listFunctions(options: { allVersions?: boolean } = {}): Promise<FunctionState[]> {
    const functions: FunctionState[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call('ListFunctions', 'account', () => this.client.send(new (lambdaSdk().ListFunctionsCommand)({ Marker: marker, MaxItems: 50, FunctionVersion: options.allVersions ? 'ALL' : undefined })), true);
      functions.push(...(page.Functions ?? []).map(toFunctionState));
      marker = page.NextMarker;
    } while (marker);
    return functions;
  }
}

function toFunctionState(c: FunctionConfiguration): FunctionState {
  return {
    name: c.FunctionName!,
    arn: c.FunctionArn!,
    runtime: c.Runtime ?? '',
    handler: c.Handler ?? '',
    memory: c.MemorySize ?? 128,
    timeout: c.Timeout ?? 3,
    environment: c.Environment?.Variables ?? {},
    description: c.Description ?? '',
    architecture: (c.Architectures?.[0] ?? 'x86_64') as Architecture,
    codeSha256: c.CodeSha256 ?? '',
    layers: (c.Layers ?? []).map((layer) => layer.Arn!),
    state: c.State,
    stateReason: c.StateReason,
    lastUpdateStatus: c.LastUpdateStatus,
    lastUpdateStatusReason: c.LastUpdateStatusReason,
    role: c.Role ?? '',
    tracing: c.TracingConfig?.Mode ?? 'PassThrough',
    ephemeralStorage: c.EphemeralStorage?.Size ?? 512,
    logging: {
      format: c.LoggingConfig?.LogFormat,
      applicationLogLevel: c.LoggingConfig?.ApplicationLogLevel,
      systemLogLevel: c.LoggingConfig?.SystemLogLevel,
      logGroup: c.LoggingConfig?.LogGroup,
    },
    vpc: { subnetIds: c.VpcConfig?.SubnetIds ?? [], securityGroupIds: c.VpcConfig?.SecurityGroupIds ?? [] },
    deadLetter: c.DeadLetterConfig?.TargetArn,
    version: c.Version,
  };
}

/** Settings in the SDK's shape; undefined fields are left out of the request, so Lambda keeps them. */
export function configurationInput(change: ConfigurationChange) {
  const { logging } = change;
  return {
    Runtime: change.runtime as never,
    Handler: change.handler,
    MemorySize: change.memory,
    Timeout: change.timeout,
    Description: change.description,
    Environment: change.environment ? { Variables: change.environment } : undefined,
    Layers: change.layers,
    Role: change.role,
    TracingConfig: change.tracing ? { Mode: change.tracing as never } : undefined,
    EphemeralStorage: change.ephemeralStorage ? { Size: change.ephemeralStorage } : undefined,
    LoggingConfig: logging ? { LogFormat: logging.format, ApplicationLogLevel: logging.applicationLogLevel, SystemLogLevel: logging.systemLogLevel, LogGroup: logging.logGroup } : undefined,
    VpcConfig: change.vpc ? { SubnetIds: change.vpc.subnetIds, SecurityGroupIds: change.vpc.securityGroupIds } : undefined,
    DeadLetterConfig: change.deadLetter ? { TargetArn: change.deadLetter } : undefined,
  };
}

/** The answer, or undefined when Lambda says the resource does not exist. */
async function unlessNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if ((error as { code?: string }).code === 'AWS_ResourceNotFoundException') return undefined;
    throw error;
  }
}

function alreadyExists(error: unknown): boolean {
  return awsErrorCode(error) === 'ResourceConflictException' && /already exist/i.test((error as Error)?.message ?? '');
}
