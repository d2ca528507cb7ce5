import type { ExecutorContext } from '@nx/devkit';
import { PLUGIN_NAME } from '../../graph/plugin-options';

const IAM_POLICY_EXECUTOR = `${PLUGIN_NAME}:iam-policy`;

/**
 * The projects whose iam-policy task is in this run, sorted; just this one outside a task graph.
 *
 * A deploy role serves a whole run, so the policy is one document for the run's projects, not one
 * per project (five partial policies would leave the user to merge them). Every task can compute it
 * (pure, no AWS), but only the first project in name order prints and writes it: the choice needs no
 * coordination between tasks and is the same whichever task Nx starts first.
 */
export function policyProjectsInRun(context: ExecutorContext): string[] {
  const projects = Object.values(context.taskGraph?.tasks ?? {})
    .filter((task) => context.projectsConfigurations.projects[task.target.project]?.targets?.[task.target.target]?.executor === IAM_POLICY_EXECUTOR)
    .map((task) => task.target.project);
  if (!projects.includes(context.projectName!)) projects.push(context.projectName!);
  return [...new Set(projects)].sort();
}
