import { DeployError, throwIfAny } from '../errors';
import type { Environment } from './environment';

const MAX_FUNCTION_NAME = 64;
const MAX_LAYER_NAME = 140;

/** `<prefix>-<project>-<env>` unless the project overrides it; `{env}`/`{prefix}` keep overrides per-environment. */
export function awsNameOf(project: { project: string; awsName?: string; file: string; kind: 'layer' | 'function' }, env: Environment): string {
  const name = project.awsName
    ? project.awsName.replaceAll('{env}', env.name).replaceAll('{prefix}', env.namePrefix)
    : `${env.namePrefix}-${project.project}-${env.name}`;
  const max = project.kind === 'function' ? MAX_FUNCTION_NAME : MAX_LAYER_NAME;
  if (name.length > max) {
    throw new DeployError(
      'NAME_TOO_LONG',
      `${project.file}: the AWS ${project.kind} name "${name}" has ${name.length} characters, Lambda allows ${max}`,
      'set a shorter "awsName" in that file (placeholders {env} and {prefix} are available)',
    );
  }
  return name;
}

/**
 * Every project's AWS name in this environment, checked up front: a name too long, or two projects
 * that would deploy to the same function or layer (via "awsName" overrides), stop the run before
 * any AWS call instead of one project overwriting another.
 */
export function checkAwsNames(projects: { project: string; awsName?: string; file: string; kind: 'layer' | 'function' }[], env: Environment): void {
  const errors: DeployError[] = [];
  const owners = new Map<string, string>();
  for (const project of projects) {
    let name: string;
    try {
      name = awsNameOf(project, env);
    } catch (error) {
      errors.push(error as DeployError);
      continue;
    }
    const key = `${project.kind}:${name}`;
    const owner = owners.get(key);
    if (owner) {
      errors.push(new DeployError('DUPLICATE_AWS_NAME', `${project.file}: deploys to the ${project.kind} "${name}" in ${env.name}, as ${owner} does`, 'give one of them a different "awsName" (placeholders {env} and {prefix} are available)'));
    } else {
      owners.set(key, project.file);
    }
  }
  throwIfAny(errors);
}
