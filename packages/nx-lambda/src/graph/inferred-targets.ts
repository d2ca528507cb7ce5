import type { TargetConfiguration } from '@nx/devkit';
import { artifactPaths } from '@vectora/lambda-deploy';

const EXECUTOR = (name: string) => `@vectora/nx-lambda:${name}`;

// The plugin's own version is an input: a new packager may zip differently, so its cache must not be reused.
const PLUGIN_VERSION_INPUT = '{workspaceRoot}/packages/nx-lambda/package.json';

/** `-c local|dev|...`: each configuration only names the environment; the executor reads the rest from nx.json. */
function environmentConfigurations(environments: string[]): Record<string, { environment: string }> {
  return Object.fromEntries(environments.map((env) => [env, { environment: env }]));
}

function awsTarget(executor: string, environments: string[], dependsOn: string[], description: string): TargetConfiguration {
  return {
    executor: EXECUTOR(executor),
    dependsOn,
    cache: false,
    options: {},
    configurations: environmentConfigurations(environments),
    metadata: { description },
  };
}

/**
 * Reads only names from the repo (no package, no AWS call), so it depends on nothing. Not cached:
 * which task of the run prints the policy depends on the run, not on the inputs.
 */
function iamPolicyTarget(environments: string[]): TargetConfiguration {
  return awsTarget('iam-policy', environments, [], 'Print the least-privilege IAM policy the deploy role needs for the projects of this run (exact ARNs; no AWS call)');
}

export function layerTargets(project: string, environments: string[]): Record<string, TargetConfiguration> {
  return {
    build: {
      executor: EXECUTOR('build-layer'),
      cache: true,
      inputs: ['{projectRoot}/**/*', PLUGIN_VERSION_INPUT],
      outputs: [`{workspaceRoot}/${artifactPaths.layerBuildDir(project)}`],
      metadata: { description: 'Assemble the layer tree (python/...): copy sources, pip-install requirements for the Lambda platform' },
    },
    package: {
      executor: EXECUTOR('package'),
      dependsOn: ['build'],
      cache: true,
      // The zip is made from build's output, so hash that output: unpinned transitive requirements can change it.
      inputs: [{ dependentTasksOutputFiles: '**/*' }, '{workspaceRoot}/VERSION', PLUGIN_VERSION_INPUT],
      outputs: [`{workspaceRoot}/${artifactPaths.layerPackageDir(project)}`],
      metadata: { description: 'Deterministic zip of the layer tree plus manifest.json (sha256, sizes, file count)' },
    },
    deploy: awsTarget('deploy-layer', environments, ['package'], 'Publish the layer if no version holds this content and semver, then repoint dependent functions not deployed in this run'),
    status: awsTarget('status', environments, ['package'], 'Published versions of the layer and which functions use each (read-only)'),
    // Needs the package manifest: the version holding the repo's content is never pruned.
    prune: awsTarget('prune', environments, ['package'], 'Delete old layer versions no function uses, keeping the --keep newest (default 3), the one the repo describes and what a rollback would restore'),
    'iam-policy': iamPolicyTarget(environments),
  };
}

export function functionTargets(project: string, environments: string[]): Record<string, TargetConfiguration> {
  return {
    package: {
      executor: EXECUTOR('package'),
      cache: true,
      inputs: ['{projectRoot}/**/*', PLUGIN_VERSION_INPUT],
      outputs: [`{workspaceRoot}/${artifactPaths.functionPackageDir(project)}`],
      metadata: { description: 'Deterministic zip of the handler folder plus manifest.json' },
    },
    deploy: awsTarget('deploy-function', environments, ['package', '^deploy'], 'Update code and configuration when they differ, then set the layers to the versions the repo describes'),
    'update-layers': awsTarget('update-layers', environments, ['^package'], 'Set the function layers to the versions matching the repo layer content; unmanaged layers kept in place'),
    status: awsTarget('status', environments, ['package', '^package'], 'Layer versions in use vs. the repo, and code drift (read-only)'),
    // No dependsOn: a rollback restores recorded code and layers, nothing is built.
    rollback: awsTarget('rollback', environments, [], 'Restore code and layers from the deploy history: undo the last deploy, or --to=<entry>'),
    'iam-policy': iamPolicyTarget(environments),
  };
}
