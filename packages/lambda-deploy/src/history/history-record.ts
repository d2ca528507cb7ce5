import { createHash } from 'node:crypto';
import type { FunctionState } from '../aws/lambda-port';

/** A function as one deploy left it: enough to put it back (code by hash, layers by ARN). */
export interface FunctionSnapshot {
  /** Base64 sha256 of the code zip, as Lambda reports it (CodeSha256). */
  codeSha256: string;
  layers: string[];
  /** configFingerprint of its settings (absent in entries of older versions of the tool). */
  config?: string;
}

/** What a history entry records of a function's state. */
export function snapshotOf(state: FunctionState): FunctionSnapshot {
  return { codeSha256: state.codeSha256, layers: state.layers, config: configFingerprint(state) };
}

/**
 * A hash of the settings Lambda keeps in a function's configuration, so that a later hand change
 * (memory, timeout, handler, variables...) shows, even of settings the repo does not manage. Variable
 * values stay out (they may be secrets, and a hash of a short secret can be guessed): their names count.
 */
export function configFingerprint(state: FunctionState): string {
  const settings = {
    runtime: state.runtime,
    handler: state.handler,
    architecture: state.architecture,
    memory: state.memory,
    timeout: state.timeout,
    description: state.description,
    role: state.role,
    tracing: state.tracing,
    ephemeralStorage: state.ephemeralStorage,
    logging: state.logging,
    vpc: { subnetIds: [...state.vpc.subnetIds].sort(), securityGroupIds: [...state.vpc.securityGroupIds].sort() },
    deadLetter: state.deadLetter ?? null,
    environmentNames: Object.keys(state.environment).sort(),
  };
  return createHash('sha256').update(stableJson(settings)).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((key) => (value as Record<string, unknown>)[key] !== undefined).map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Where promoted code came from: the environment it ran in, its content hash, the repo commit the promotion ran at. */
export interface Provenance {
  from: string;
  /** `sha256:<hex>` of the code zip (Lambda's CodeSha256, in hex). */
  contentHash: string;
  commit?: string;
}

/**
 * One entry of an environment's deploy history: a function before and after one deploy (or
 * rollback). Kept as one object per entry in the artifact bucket, so appending never rewrites.
 */
export interface HistoryRecord {
  id: string;
  at: string;
  kind: 'deploy' | 'rollback' | 'promote';
  project: string;
  functionName: string;
  runId?: string;
  /** Absent when the deploy created the function. */
  before?: FunctionSnapshot;
  after: FunctionSnapshot;
  /** Promotions only. */
  provenance?: Provenance;
}

export function historyPrefix(functionName: string): string {
  return `history/${functionName}/`;
}

/** Sortable by time: the id starts with a compact UTC timestamp. */
export function historyRecordId(at: Date, runId: string | undefined): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '$1Z');
  return `${stamp}-${(runId ?? String(process.pid)).replace(/[^\w-]/g, '')}`;
}

export function historyKey(record: Pick<HistoryRecord, 'functionName' | 'id'>): string {
  return `${historyPrefix(record.functionName)}${record.id}.json`;
}

/** Where the tool keeps a function's code zips: content-addressed like the layers', so a rollback can find them. */
export function codeArtifactKey(project: string, codeSha256Base64: string): string {
  return `functions/${project}/${Buffer.from(codeSha256Base64, 'base64').toString('hex')}.zip`;
}

/** Configurations are compared only when both snapshots have one (an alias's version snapshot does not). */
export function sameSnapshot(a: FunctionSnapshot, b: FunctionSnapshot): boolean {
  return a.codeSha256 === b.codeSha256 && a.layers.length === b.layers.length && a.layers.every((arn, i) => arn === b.layers[i]) && (a.config === undefined || b.config === undefined || a.config === b.config);
}
