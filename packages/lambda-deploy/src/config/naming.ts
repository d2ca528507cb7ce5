import { DeployError } from '../errors';
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
