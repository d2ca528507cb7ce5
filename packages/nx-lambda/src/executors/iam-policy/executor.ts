import type { ExecutorContext } from '@nx/devkit';
import { projectsInRun } from '../shared/run-scope';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { artifactPaths } from '@vectora/lambda-deploy';
import { resolveEnvironments } from '@vectora/lambda-deploy';
import { checkAwsNames } from '@vectora/lambda-deploy';
import { loadWorkspace } from '@vectora/lambda-deploy';
import { renderError } from '@vectora/lambda-deploy';
import { prefixLines } from '@vectora/lambda-deploy';
import { checkPromoteFrom, fleetDeployPolicy, promotePolicy, type DeployPolicy } from '@vectora/lambda-deploy';
import { pluginOptionsOf } from '../shared/nx-context';
import { policyProjectsInRun } from './policy-tasks';
import type { Schema } from './schema';

/** Prints the deploy-role policy for the run's projects (see policy-tasks.ts for who prints). No AWS call. */
export default async function iamPolicyExecutor(options: Schema, context: ExecutorContext): Promise<{ success: boolean }> {
  const project = context.projectName!;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const plugin = pluginOptionsOf(context);
    const envs = resolveEnvironments(plugin, options.environment, process.env);
    const env = envs[0];
    // --promoteFrom: the same policy plus promote's reads of that environment (the source regions it reads).
    const sources = options.promoteFrom === undefined ? undefined : resolveEnvironments(plugin, checkPromoteFrom(options.promoteFrom, env.name, Object.keys(plugin.environments ?? {}), '--promoteFrom'), process.env);
    const workspace = loadWorkspace(context.root, { scope: projectsInRun(context) });
    checkAwsNames([...workspace.layers.values(), ...workspace.functions.values()], env);
    const selection = policyProjectsInRun(context);
    const file = join(artifactPaths.deployDir(env.name), sources ? `iam-policy.promote-from-${sources[0].name}.json` : 'iam-policy.json');
    if (selection[0] !== project) {
      print(`[${project}] included in the policy printed by ${selection[0]} (${file})`);
      return { success: true };
    }
    const policy = sources ? promotePolicy(workspace, envs, sources, selection) : fleetDeployPolicy(workspace, envs, selection);
    const json = JSON.stringify(policy.document, null, 2);
    writeAtomically(join(context.root, file), `${json}\n`);
    print(`[${project}] ${headline(policy, env.name, envs.map((e) => e.region).join(', '), envs.map((e) => e.artifactBucket).filter(Boolean).join(', ') || undefined)}${sources ? `; with promote's reads of ${sources[0].name}` : ''}`);
    print(json);
    for (const note of policy.notes) print(`[${project}] note: ${note}`);
    print(`[${project}] written to ${file}`);
    return { success: true };
  } catch (error) {
    print(prefixLines(project, renderError(error)));
    return { success: false };
  }
}

function headline(policy: DeployPolicy, environment: string, region: string, bucket: string | undefined): string {
  const { layers, functions, cascaded } = policy.scope;
  const parts = [`layers ${layers.join(', ') || '(none)'}`, `functions ${functions.join(', ') || '(none)'}`];
  if (cascaded.length) parts.push(`repointed by the cascade ${cascaded.join(', ')}`);
  if (bucket && layers.length) parts.push(`bucket ${bucket}`);
  return `deploy-role policy for ${environment} (${region}, account ${policy.account}): ${parts.join('; ')}`;
}

function writeAtomically(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}
