/** A function as one deploy left it: enough to put it back (code by hash, layers by ARN). */
export interface FunctionSnapshot {
  /** Base64 sha256 of the code zip, as Lambda reports it (CodeSha256). */
  codeSha256: string;
  layers: string[];
}

/**
 * One entry of an environment's deploy history: a function before and after one deploy (or
 * rollback). Kept as one object per entry in the artifact bucket, so appending never rewrites.
 */
export interface HistoryRecord {
  id: string;
  at: string;
  kind: 'deploy' | 'rollback';
  project: string;
  functionName: string;
  runId?: string;
  /** Absent when the deploy created the function. */
  before?: FunctionSnapshot;
  after: FunctionSnapshot;
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

export function sameSnapshot(a: FunctionSnapshot, b: FunctionSnapshot): boolean {
  return a.codeSha256 === b.codeSha256 && a.layers.length === b.layers.length && a.layers.every((arn, i) => arn === b.layers[i]);
}
