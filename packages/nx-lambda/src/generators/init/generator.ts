import { logger, readNxJson, updateNxJson, writeJson, type NxJsonConfiguration, type Tree } from '@nx/devkit';
import { resolveEnvironment, VERSION_FILE } from '@vectora/lambda-deploy';
import { PLUGIN_NAME, type NxLambdaPluginOptions } from '../../graph/plugin-options';
import { GeneratorProblems } from '../shared/generator-errors';
import { NEW_VERSION_FILE_HEADER } from '../shared/versions';
import { withIgnoredPaths } from './gitignore-lines';
import type { InitGeneratorSchema } from './schema';
import { defaultPrefix, MAX_PREFIX_LENGTH, PREFIX_PATTERN } from './workspace-prefix';

/** The plugin entry init adds: one `local` environment on the embedded emulator, nothing that needs an AWS account. */
export function pluginEntryOf(prefix: string): { plugin: string; options: NxLambdaPluginOptions } {
  return {
    plugin: PLUGIN_NAME,
    options: {
      namePrefix: prefix,
      environments: {
        local: { emulator: true, region: 'us-east-1', artifactBucket: `${prefix}-artifacts-local`, createMissingFunctions: true },
      },
    },
  };
}

const isPluginEntry = (entry: NonNullable<NxJsonConfiguration['plugins']>[number]) => (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN_NAME;

/**
 * `nx g @vectora/nx-lambda:init`: registers the plugin with a `local` environment, creates VERSION and
 * ignores the emulator's and the build's folders. Each of the three is skipped when already there,
 * so a second run writes nothing; an existing plugin entry is never rewritten (it may hold the
 * team's own environments).
 */
export async function initGenerator(tree: Tree, schema: InitGeneratorSchema): Promise<void> {
  const problems = new GeneratorProblems();
  const nxJson = readNxJson(tree) ?? {};
  const registered = (nxJson.plugins ?? []).some(isPluginEntry);

  if (registered) {
    logger.info(`${PLUGIN_NAME}: nx.json already registers the plugin; its options are left as they are`);
  } else {
    const prefix = choosePrefix(tree, problems, schema.prefix);
    const entry = prefix ? pluginEntryOf(prefix) : undefined;
    // The entry must be one the engine accepts at deploy time, or init has a bug.
    if (entry) problems.collect(() => resolveEnvironment(entry.options, 'local', {}));
    problems.throwIfAny();
    const updated = { ...nxJson, plugins: [...(nxJson.plugins ?? []), entry!] };
    // updateNxJson only edits an existing nx.json (it would drop the entry silently otherwise).
    if (tree.exists('nx.json')) updateNxJson(tree, updated);
    else writeJson(tree, 'nx.json', updated);
  }

  if (!tree.exists(VERSION_FILE)) tree.write(VERSION_FILE, NEW_VERSION_FILE_HEADER);
  const gitignore = withIgnoredPaths(tree.read('.gitignore', 'utf-8'));
  if (gitignore !== null) tree.write('.gitignore', gitignore);
}

function choosePrefix(tree: Tree, problems: GeneratorProblems, option: string | undefined): string | undefined {
  if (option === undefined) {
    const derived = defaultPrefix(tree);
    if (!derived) problems.add('PREFIX_MISSING', 'no name prefix could be derived from package.json "name" or the workspace folder', 'pass one, e.g. --prefix=my-app');
    return derived;
  }
  const prefix = String(option).trim();
  if (!PREFIX_PATTERN.test(prefix)) {
    problems.add('INVALID_PREFIX', `--prefix "${prefix}" is not a valid name prefix`, 'use lowercase letters, digits and single dashes, starting with a letter (e.g. --prefix=acme-billing): it starts every AWS name and the artifact bucket name');
    return undefined;
  }
  if (prefix.length > MAX_PREFIX_LENGTH) {
    problems.add('INVALID_PREFIX', `--prefix "${prefix}" has ${prefix.length} characters, more than ${MAX_PREFIX_LENGTH}`, `choose a shorter prefix: <prefix>-<project>-<env> must fit Lambda's 64-character function names`);
    return undefined;
  }
  return prefix;
}

export default initGenerator;
