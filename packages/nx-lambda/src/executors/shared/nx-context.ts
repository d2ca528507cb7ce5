import type { ExecutorContext } from '@nx/devkit';
import { readFileSync, readlinkSync } from 'node:fs';
import { PLUGIN_NAME, type NxLambdaPluginOptions } from '../../graph/plugin-options';

/** The plugin's options as registered in nx.json: the single place environments are defined. */
export function pluginOptionsOf(context: ExecutorContext): NxLambdaPluginOptions {
  for (const entry of context.nxJsonConfiguration?.plugins ?? []) {
    if (typeof entry === 'string' && entry === PLUGIN_NAME) return {};
    if (typeof entry === 'object' && entry.plugin === PLUGIN_NAME) return (entry.options ?? {}) as NxLambdaPluginOptions;
  }
  return {};
}

// Every executor that runs in the deploy frame (report + summary), so the summary waits for all of them.
const DEPLOY_EXECUTORS = ['deploy', 'update-layers', 'prune', 'rollback', 'promote'].map((name) => `${PLUGIN_NAME}:${name}`);

// By task graph: every task of a batch asks, and a batch of 200 deploys shares one graph of 800 tasks.
const deployTasksByGraph = new WeakMap<object, readonly { project: string; target: string }[]>();

/** `project:target` of every task in this run that deploys something (for the summary and the cascade). */
export function deployTasksInRun(context: ExecutorContext): readonly { project: string; target: string }[] {
  const graph = context.taskGraph;
  const cached = graph && deployTasksByGraph.get(graph);
  if (cached) return cached;
  const tasks = Object.values(graph?.tasks ?? {})
    .filter((task) => DEPLOY_EXECUTORS.includes(context.projectsConfigurations.projects[task.target.project]?.targets?.[task.target.target]?.executor ?? ''))
    .map((task) => ({ project: task.target.project, target: task.target.target }));
  if (graph) deployTasksByGraph.set(graph, tasks);
  return tasks;
}

/**
 * Identifies one `nx` invocation: the root process id plus its start time (so a recycled pid is not
 * the same run). Outside Nx, or off Linux, falls back to what is known.
 */
export function runIdOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pid = env.NX_INVOCATION_ROOT_PID;
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return `${pid}-${startTicks}`;
  } catch {
    return pid;
  }
}

/** `--dry-run` arrives as the `dryRun` override; NX_DRY_RUN=true asks for the same from the environment. */
export function isDryRun(options: { dryRun?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return options.dryRun === true || env.NX_DRY_RUN === 'true' || env.NX_DRY_RUN === '1';
}

export function isVerbose(options: { verbose?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return options.verbose === true || env.NX_VERBOSE_LOGGING === 'true';
}

/**
 * Nx sets FORCE_COLOR=true on every task, whatever the terminal, so a task cannot trust it. The run's
 * real stdout is the `nx` root process's: colour only when that is a terminal (read from /proc on
 * Linux). Elsewhere, FORCE_COLOR/NO_COLOR decide as usual.
 */
export function runWritesToTerminal(env: NodeJS.ProcessEnv = process.env): boolean | undefined {
  if (env.NO_COLOR) return false;
  const pid = env.NX_INVOCATION_ROOT_PID;
  if (!pid) return undefined;
  try {
    return /^\/dev\/(pts\/\d+|tty)/.test(readlinkSync(`/proc/${pid}/fd/1`));
  } catch {
    return undefined;
  }
}
