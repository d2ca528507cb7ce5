import type { TargetConfiguration } from '@nx/devkit';
import { posix } from 'node:path';
import { artifactPaths, installInputsOf, type InstallKey } from '@vectora/lambda-deploy';
import { PLUGIN_VERSION } from './plugin-version';

const EXECUTOR = (name: string) => `@vectora/nx-lambda:${name}`;

/**
 * The plugin's version is part of every cached target's options: a new packager may zip differently,
 * so its cache must not be reused. Nx hashes a project's target options into each of its tasks, so
 * this works wherever the plugin is installed from, unlike a path to its package.json.
 */
const CACHE_OPTIONS = { pluginVersion: PLUGIN_VERSION };

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

/**
 * The cached install step of a layer or a Python function (see layerTargets): its options are its
 * cache key. A function's requirements file may sit outside its folder (beside a shared code folder):
 * such an input is named from the workspace root, as Nx takes no `..` after {projectRoot}.
 */
function installTarget(install: InstallKey, outputDir: string, projectRoot?: string): TargetConfiguration {
  const input = (file: string) => (projectRoot && file.split('/').includes('..') ? `{workspaceRoot}/${posix.normalize(posix.join(projectRoot, file))}` : `{projectRoot}/${file}`);
  return {
    executor: EXECUTOR('install'),
    cache: true,
    inputs: Object.values(installInputsOf(install)).map(input),
    options: { ...install, ...CACHE_OPTIONS },
    outputs: [`{workspaceRoot}/${outputDir}`],
    metadata: { description: 'requirements' in install ? 'pip-install the requirements for the Lambda platform (cached on the requirements file, Python version and architecture only)' : 'npm ci the production dependencies for the Lambda platform (cached on package.json, its lockfile, Node version and architecture only)' },
  };
}

/**
 * A layer with nothing to install (sources only, or a layer.json that cannot be read) still has an
 * `install` step: a cached `nx:noop`, which Nx completes without a process and replays like any
 * cached task. So every layer's package is three steps from the start, and a no-op run forms one
 * deploy batch: Nx replays cached tasks in rounds, one step deeper each round, and batches the
 * deploys ready at that moment, so a layer packaged a round earlier got a batch process of its own
 * (each costs most of a second before our code runs, and Nx runs batches one after another).
 */
const NOTHING_TO_INSTALL: TargetConfiguration = {
  executor: 'nx:noop',
  cache: true,
  inputs: [],
  metadata: { description: 'Nothing to install (no requirements or dependencies): an empty step, so every layer is built after the same steps' },
};

/**
 * A layer with requirements (pip) or dependencies (npm) installs them in `install`. Its inputs are
 * exactly what the installer's output depends on: the requirements file (or package.json and its
 * lockfile), and the Python or Node version and architecture, which are options so that Nx hashes
 * them; the rest of layer.json and the sources are not inputs, so editing them never reruns the
 * install. When layer.json cannot be read, `install` is the empty step and `build` fails with the error.
 */
export function layerTargets(project: string, environments: string[], install?: InstallKey): Record<string, TargetConfiguration> {
  return {
    install: install ? installTarget(install, artifactPaths.layerInstallDir(project)) : NOTHING_TO_INSTALL,
    build: {
      executor: EXECUTOR('build-layer'),
      dependsOn: ['install'],
      cache: true,
      // The installed tree is a function of the requirements file and layer.json, both in here.
      inputs: ['{projectRoot}/**/*'],
      options: CACHE_OPTIONS,
      outputs: [`{workspaceRoot}/${artifactPaths.layerBuildDir(project)}`],
      metadata: { description: 'Assemble the layer tree (python/...): the installed requirements, then the sources' },
    },
    package: {
      executor: EXECUTOR('package'),
      dependsOn: ['build'],
      cache: true,
      // The zip is made from build's output, so hash that output: unpinned transitive requirements can change it.
      // The layer's own files too: Nx 23 missed build output changes here (a Node layer's package.json and
      // lockfile moved to another ms version, install and build reran, package came back from the cache
      // with the old tree; tests/e2e/node-runtime.e2e.spec.ts), and every file build reads is in the folder.
      inputs: ['{projectRoot}/**/*', { dependentTasksOutputFiles: '**/*' }, '{workspaceRoot}/VERSION'],
      options: CACHE_OPTIONS,
      outputs: [`{workspaceRoot}/${artifactPaths.layerPackageDir(project)}`],
      metadata: { description: 'Deterministic zip of the layer tree plus manifest.json (sha256, sizes, file count)' },
    },
    deploy: awsTarget('deploy', environments, ['package'], 'Publish the layer if no version holds this content and semver, then repoint dependent functions not deployed in this run'),
    status: awsTarget('status', environments, ['package'], 'Published versions of the layer and which functions use each (read-only)'),
    // Needs the package manifest: the version holding the repo's content is never pruned.
    prune: awsTarget('prune', environments, ['package'], 'Delete old layer versions no function uses, keeping the --keep newest (default 3), the one the repo describes and what a rollback would restore'),
    // No build or package: a promotion copies the bytes another environment runs.
    promote: awsTarget('promote', environments, [], 'Publish here the layer content another environment\'s functions use (--from=<env>), copied from there; nothing is built'),
    'iam-policy': iamPolicyTarget(environments),
  };
}

/**
 * `sharedSource`: the workspace-relative code folder when `source` points outside the function's own
 * folder (shared by several functions): an input of the package, so an edit there repackages them.
 * `install`: a Python function's own requirements, pip-installed in a cached step of its own keyed
 * like a layer's (the requirements file, Python version, architecture), so a handler edit repackages
 * without rerunning pip; absent when function.json cannot be read (package then fails with the error).
 */
export function functionTargets(project: string, environments: string[], sharedSource?: string, runtime?: string, install?: InstallKey, projectRoot = `lambdas/${project}`): Record<string, TargetConfiguration> {
  const sharedInputs = sharedSource ? [`{workspaceRoot}/${sharedSource}/**/*`] : [];
  return {
    ...(install && !runtime?.startsWith('nodejs') ? { install: installTarget(install, artifactPaths.functionInstallDir(project), projectRoot) } : {}),
    package: runtime?.startsWith('nodejs') ? nodePackageTarget(project) : install ? {
      executor: EXECUTOR('package'),
      dependsOn: ['install'],
      cache: true,
      // The installed tree is hashed as install's output: unpinned transitive requirements can change it.
      inputs: ['{projectRoot}/**/*', ...sharedInputs, { dependentTasksOutputFiles: '**/*' }],
      options: CACHE_OPTIONS,
      outputs: [`{workspaceRoot}/${artifactPaths.functionPackageDir(project)}`, `{workspaceRoot}/${artifactPaths.functionBuildDir(project)}`],
      metadata: { description: 'Deterministic zip of the installed requirements with the handler folder on top, plus manifest.json' },
    } : {
      executor: EXECUTOR('package'),
      cache: true,
      inputs: ['{projectRoot}/**/*', ...sharedInputs],
      options: CACHE_OPTIONS,
      outputs: [`{workspaceRoot}/${artifactPaths.functionPackageDir(project)}`],
      metadata: { description: 'Deterministic zip of the handler folder plus manifest.json' },
    },
    deploy: awsTarget('deploy', environments, ['package', '^deploy'], 'Update code and configuration when they differ, then set the layers to the versions the repo describes'),
    'update-layers': awsTarget('update-layers', environments, ['^package'], 'Set the function layers to the versions matching the repo layer content; unmanaged layers kept in place'),
    status: awsTarget('status', environments, ['package', '^package'], 'Layer versions in use vs. the repo, and code drift (read-only)'),
    // No dependsOn: a rollback restores recorded code and layers, nothing is built.
    rollback: awsTarget('rollback', environments, [], 'Restore code and layers from the deploy history: undo the last deploy, or --to=<entry>'),
    // Layers first (^promote), so the function's layers are already in this environment; nothing is built.
    promote: awsTarget('promote', environments, ['^promote'], 'Deploy here the exact code and layer contents another environment runs (--from=<env>), copied from there; refused on drift there'),
    'iam-policy': iamPolicyTarget(environments),
  };
}

/**
 * A Node function's package bundles its handler with esbuild, leaving out what its layers provide:
 * so its layers are built first, and their packages' manifests (names, versions, entry points) are
 * inputs. The sources of the workspace libraries it imports (its project-graph dependencies) are too,
 * as esbuild inlines them
 * (esbuild's own version is pinned by the engine's, which the plugin version in the options stands for).
 */
function nodePackageTarget(project: string): TargetConfiguration {
  return {
    executor: EXECUTOR('package'),
    dependsOn: ['^build'],
    cache: true,
    inputs: ['{projectRoot}/**/*', '^{projectRoot}/**/*', { dependentTasksOutputFiles: '**/package.json' }],
    options: CACHE_OPTIONS,
    outputs: [`{workspaceRoot}/${artifactPaths.functionPackageDir(project)}`, `{workspaceRoot}/${artifactPaths.functionBundleDir(project)}`],
    metadata: { description: 'Bundle the handler with esbuild (layer packages and @aws-sdk/* external), then a deterministic zip plus manifest.json' },
  };
}
