import type { ExecutorContext } from '@nx/devkit';

/**
 * Every project with a task in this `nx` invocation: the scope whose files must all be valid before
 * the run's first write (`loadWorkspace(root, { scope })`). `run-many -t deploy` lists every project,
 * so the whole workspace is still validated first; `nx run <fn>:deploy` lists the function and, through
 * `^deploy`, its layers, so another project's broken file does not stop it.
 */
export function projectsInRun(context: Pick<ExecutorContext, 'taskGraph' | 'projectName'>): string[] {
  const projects = new Set(Object.values(context.taskGraph?.tasks ?? {}).map((task) => task.target.project));
  if (context.projectName) projects.add(context.projectName);
  return [...projects].sort();
}
