import type { ExecutorContext } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import type { TaskReport } from '@vectora/lambda-deploy';
import { blocksDependents, hasDeployDependents, regionBlocks, regionSkipMessage, regionVerdict, upstreamTasks } from './region-failures';

function report(project: string, extra: Partial<TaskReport>): TaskReport {
  return { project, target: 'deploy', environment: 'prod', dryRun: false, startedAt: '', durationMs: 0, outcomes: {}, plans: [], events: [], awsCalls: {}, awsWrites: 0, retries: { retries: 0, byClass: { throttled: 0, conflict: 0, transient: 0, fatal: 0 } }, errors: [], ...extra };
}

/** `nx run-many -t deploy -c prod` over a layer and a function on it (deploy dependsOn ^deploy), plus a status task. */
function contextFor(project: string, tasks: string[] = ['core:deploy', 'fn:deploy', 'fn:status']): ExecutorContext {
  const projects = { core: { root: 'layers/core', targets: { deploy: { executor: '@vectora/nx-lambda:deploy' }, status: { executor: '@vectora/nx-lambda:status' } } }, fn: { root: 'lambdas/fn', targets: { deploy: { executor: '@vectora/nx-lambda:deploy' }, status: { executor: '@vectora/nx-lambda:status' } } } };
  const ids = tasks.map((t) => `${t}:prod`);
  const graph = Object.fromEntries(ids.map((id) => [id, { id, target: { project: id.split(':')[0], target: id.split(':')[1], configuration: 'prod' } }]));
  const dependencies = Object.fromEntries(ids.map((id) => [id, id.startsWith('fn:') && ids.includes('core:deploy:prod') ? ['core:deploy:prod'] : []]));
  return { root: '/ws', projectName: project, targetName: 'deploy', projectsConfigurations: { version: 2, projects }, taskGraph: { roots: [], tasks: graph, dependencies } } as unknown as ExecutorContext;
}

describe('regionVerdict: whether a task that failed in some regions lets its dependents run in the others', () => {
  it('one region: success exactly when it did not fail, whatever depends on it', () => {
    expect(regionVerdict([{ region: 'eu-west-1', failed: false }], () => true)).toEqual({ success: true });
    expect(regionVerdict([{ region: 'eu-west-1', failed: true }], () => true)).toEqual({ success: false });
  });

  it('several regions, one failed, with dependents that will skip it: success, naming the failed region', () => {
    expect(regionVerdict([{ region: 'us-east-1', failed: false }, { region: 'eu-west-1', failed: true }], () => true)).toEqual({ success: true, failedRegions: ['eu-west-1'] });
  });

  it('fails when no dependent would carry the failure, or when every region failed', () => {
    expect(regionVerdict([{ region: 'us-east-1', failed: false }, { region: 'eu-west-1', failed: true }], () => false)).toEqual({ success: false });
    expect(regionVerdict([{ region: 'us-east-1', failed: true }, { region: 'eu-west-1', failed: true }], () => true)).toEqual({ success: false });
  });
});

describe('regionBlocks and the skip line', () => {
  it('maps each failed region of an upstream report to that region\'s error, and leaves other regions free', () => {
    const layer = report('core', {
      outcomes: { 'core (us-east-1)': 'updated', 'core (eu-west-1)': 'failed' },
      errors: [{ code: 'AWS_AccessDeniedException', message: 'not allowed\nsecond line', hint: '', project: 'core (eu-west-1)' }],
      failedRegions: ['eu-west-1'],
    });
    const blocks = regionBlocks([layer, report('other', { outcomes: { 'other (us-east-1)': 'updated' } })]);
    expect([...blocks.keys()]).toEqual(['eu-west-1']);
    expect(blocks.get('eu-west-1')).toEqual({ upstream: 'core (eu-west-1)', cause: 'AWS_AccessDeniedException: not allowed' });
    expect(regionSkipMessage(blocks.get('eu-west-1')!, 'deploy')).toBe('core (eu-west-1) failed: not run here, left as it was (AWS_AccessDeniedException: not allowed); fix core (eu-west-1) and rerun deploy');
  });
});

describe('blocksDependents: which reports make the summary stop waiting for the tasks after them', () => {
  it('a failed task blocks; a task that failed in some regions only does not (its dependents still run); a skipped region blocks', () => {
    expect(blocksDependents(report('core', { outcomes: { core: 'failed' } }))).toBe(true);
    expect(blocksDependents(report('core', { outcomes: { core: 'updated' } }))).toBe(false);
    const partial = { outcomes: { 'core (eu-west-1)': 'failed' as const }, errors: [{ code: 'X', message: 'x', hint: '', project: 'core (eu-west-1)' }] };
    expect(blocksDependents(report('core', partial))).toBe(true);
    expect(blocksDependents(report('core', { ...partial, failedRegions: ['eu-west-1'] }))).toBe(false);
    expect(blocksDependents(report('fn', { outcomes: { 'fn (us-east-1)': 'updated', 'fn (eu-west-1)': 'not run' } }))).toBe(true);
  });
});

describe('the task graph around a task', () => {
  it('a layer has a deploy dependent when its function deploys in the run; not when only the function\'s status runs', () => {
    expect(hasDeployDependents(contextFor('core'))).toBe(true);
    expect(hasDeployDependents(contextFor('fn'))).toBe(false);
    expect(hasDeployDependents(contextFor('core', ['core:deploy']))).toBe(false);
  });

  it('a function\'s upstream tasks are its layers\' deploys', () => {
    expect(upstreamTasks(contextFor('fn'))).toEqual([{ project: 'core', target: 'deploy' }]);
    expect(upstreamTasks(contextFor('core'))).toEqual([]);
  });
});
