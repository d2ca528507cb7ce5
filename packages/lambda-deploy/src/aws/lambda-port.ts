import type { Architecture } from '../config/runtimes';
import type { LoggingSettings, VpcSettings } from '../config/function-settings-reader';

export interface LayerVersionInfo {
  arn: string;
  version: number;
  description: string;
  createdDate?: string;
  /** Bytes of the version's zip: only GetLayerVersion returns it, ListLayerVersions does not. */
  codeSize?: number;
  /** GetLayerVersion only: a presigned URL of the zip, valid for minutes. */
  location?: string;
  /** GetLayerVersion and PublishLayerVersion only: Lambda's base64 sha256 of the zip it holds. */
  codeSha256?: string;
}

export type CodeSource = { s3Bucket: string; s3Key: string } | { zipFile: Uint8Array };

export interface FunctionSettings {
  runtime: string;
  handler: string;
  memory?: number;
  timeout?: number;
  environment?: Record<string, string>;
  description?: string;
  role?: string;
  tracing?: string;
  ephemeralStorage?: number;
  logging?: LoggingSettings;
  vpc?: VpcSettings;
  deadLetter?: string;
}

export interface FunctionState extends Required<Pick<FunctionSettings, 'runtime' | 'handler'>> {
  name: string;
  arn: string;
  memory: number;
  timeout: number;
  environment: Record<string, string>;
  description: string;
  architecture: Architecture;
  codeSha256: string;
  /** Layer version ARNs in the order Lambda applies them. */
  layers: string[];
  state?: string;
  stateReason?: string;
  lastUpdateStatus?: string;
  lastUpdateStatusReason?: string;
  role: string;
  tracing: string;
  ephemeralStorage: number;
  logging: LoggingSettings;
  vpc: VpcSettings;
  deadLetter?: string;
  /** Only GetFunction returns these two (not the answers of updates). */
  tags?: Record<string, string>;
  reservedConcurrency?: number;
  /** `$LATEST`, or the number of a published function version (listed by `listFunctions({ allVersions: true })`). */
  version?: string;
}

export interface ConfigurationChange extends Partial<FunctionSettings> {
  layers?: string[];
}

/**
 * The narrow interface the engine needs from Lambda. One implementation over the SDK serves AWS and
 * moto alike; tests use it against moto rather than a hand-written fake.
 */
export interface LambdaPort {
  /** Statement ids of a layer version's policy (none when it has no policy). */
  layerVersionPolicySids(layerName: string, version: number): Promise<string[]>;
  addLayerVersionPermission(layerName: string, version: number, grant: { sid: string; principal: string; organizationId?: string }): Promise<void>;
  removeLayerVersionPermission(layerName: string, version: number, sid: string): Promise<void>;
  listLayerVersions(layerName: string): Promise<LayerVersionInfo[]>;
  publishLayerVersion(input: { layerName: string; description: string; content: CodeSource; runtimes: string[]; architectures: Architecture[] }): Promise<LayerVersionInfo>;
  deleteLayerVersion(layerName: string, version: number): Promise<void>;
  /** One version with its code size; undefined when it does not exist (deleted meanwhile). */
  getLayerVersion(layerName: string, version: number): Promise<LayerVersionInfo | undefined>;
  /** undefined when the function (or that `qualifier`: a version number or alias) does not exist. */
  getFunction(name: string, qualifier?: string): Promise<FunctionState | undefined>;
  /** Publishes $LATEST as a numbered version (Lambda returns the last one when nothing changed). */
  publishVersion(name: string): Promise<FunctionState>;
  /** The version an alias points to; undefined when there is no such alias. */
  getAlias(name: string, alias: string): Promise<{ functionVersion: string } | undefined>;
  /** Creates the alias or moves it to `version`. */
  pointAlias(name: string, alias: string, version: string, exists: boolean): Promise<void>;
  createFunction(input: { name: string; role: string; code: CodeSource; architecture: Architecture; settings: FunctionSettings; layers: string[]; tags?: Record<string, string> }): Promise<FunctionState>;
  updateFunctionCode(name: string, code: CodeSource, architecture: Architecture): Promise<FunctionState>;
  updateFunctionConfiguration(name: string, change: ConfigurationChange): Promise<FunctionState>;
  /** Adds or overwrites these tags on the function (TagResource); others are left alone. */
  tagFunction(arn: string, tags: Record<string, string>): Promise<void>;
  untagFunction(arn: string, keys: string[]): Promise<void>;
  putReservedConcurrency(name: string, reserved: number): Promise<void>;
  /** Every function of the account and region, all pages; `allVersions` adds each published version (FunctionVersion=ALL). */
  listFunctions(options?: { allVersions?: boolean }): Promise<FunctionState[]>;
}

export interface ArtifactStore {
  /** Fails with a clear error when the bucket is missing, unreachable or in another region. */
  checkBucket(bucket: string, region: string): Promise<void>;
  exists(bucket: string, key: string): Promise<boolean>;
  upload(bucket: string, key: string, file: string, onProgress?: (done: number, total: number) => void): Promise<void>;
  /** Writes a small object only if the key is free (S3 conditional write); `done` false if it was taken. */
  createIfAbsent(bucket: string, key: string, body: string): Promise<ConditionalResult>;
  /** A small object's text and ETag, or undefined if there is none. */
  read(bucket: string, key: string): Promise<{ body: string; etag: string } | undefined>;
  /** Keys under a prefix (every page). */
  list(bucket: string, prefix: string): Promise<string[]>;
  /** Deletes the object only if it still has this ETag (nobody replaced it meanwhile); `done` false if it had changed or was gone. */
  deleteIfUnchanged(bucket: string, key: string, etag: string): Promise<ConditionalResult>;
}

/** What a conditional write or delete did. */
export interface ConditionalResult {
  done: boolean;
  /** The ETag of the object written (createIfAbsent). */
  etag?: string;
  /**
   * Set when the store does not support the S3 precondition (the answer that showed it, e.g. `501
   * NotImplemented`): the call was then made as a read followed by a plain write or delete, which
   * leaves a short race between the two. The store remembers it and never sends that condition again.
   */
  withoutCondition?: string;
}
