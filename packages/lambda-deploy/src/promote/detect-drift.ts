import type { FunctionState } from '../aws/lambda-port';
import { DeployError } from '../errors';
import { configFingerprint, type HistoryRecord } from '../history/history-record';
import { parseLayerArn } from '../plan/layer-arn';

/** What promotion reads of one function in the source environment. */
export interface SourceFunction {
  project: string;
  functionName: string;
  actual: FunctionState;
  /** The newest deploy-history entry there; undefined when the tool never deployed it (or no bucket). */
  latest?: HistoryRecord;
  /** Settings that differ from the repo's configuration for the source environment (diffSettings lines). */
  settingsDiffs: string[];
}

/**
 * Whether the source function is what this tool left there: code and layers as its newest history
 * entry recorded, settings as the repo declares them for that environment. Answers the differences
 * (empty: no drift). Pure.
 */
export function driftOf(source: SourceFunction): string[] {
  const { actual, latest } = source;
  if (!latest) return ['no deploy history: the tool never deployed it there'];
  const differences: string[] = [];
  if (actual.codeSha256 !== latest.after.codeSha256) {
    differences.push(`code ${short(actual.codeSha256)} is not the ${short(latest.after.codeSha256)} of ${latest.kind} ${latest.id}`);
  }
  if (actual.layers.join() !== latest.after.layers.join()) {
    differences.push(`layers ${describeLayers(actual.layers)} are not the ${describeLayers(latest.after.layers)} of ${latest.kind} ${latest.id}`);
  }
  if (latest.after.config !== undefined && configFingerprint(actual) !== latest.after.config) {
    differences.push(`configuration changed since ${latest.kind} ${latest.id} (runtime, handler, memory, timeout, role, variables or another setting)`);
  }
  if (source.settingsDiffs.length > 0) differences.push(`settings differ from the repo's (${source.settingsDiffs.join('; ')})`);
  return differences;
}

/** The refusal for drifted source functions, naming each and what differs; undefined when none drifted. */
export function driftError(sources: SourceFunction[], from: string): DeployError | undefined {
  const drifted = sources.map((source) => ({ source, differences: driftOf(source) })).filter((entry) => entry.differences.length > 0);
  if (drifted.length === 0) return undefined;
  const lines = drifted.map(({ source, differences }) => `${source.functionName} (${source.project}): ${differences.join('; ')}`);
  const projects = drifted.map(({ source }) => source.project).join(',');
  return new DeployError(
    'PROMOTE_DRIFT',
    `${from} is not what this tool deployed there, so promoting it would ship what no deploy recorded:\n  ${lines.join('\n  ')}`,
    `bring ${from} back to the repo (\`nx run-many -t deploy -p ${projects} -c ${from}\`, or undo the hand change), then promote again; nothing was written`,
  );
}

function short(codeSha256: string): string {
  return `${codeSha256.slice(0, 10)}..`;
}

function describeLayers(arns: string[]): string {
  if (arns.length === 0) return '(none)';
  return arns.map((arn) => {
    const parsed = parseLayerArn(arn);
    return parsed ? `${parsed.layerName}:${parsed.version}` : arn;
  }).join(', ');
}
