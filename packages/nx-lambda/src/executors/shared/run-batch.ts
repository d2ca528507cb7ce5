import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { DEFAULT_CASCADE_CONCURRENCY } from '@vectora/lambda-deploy';
import { availableParallelism } from 'node:os';
import { BufferedIo, type TaskIo } from './task-io';
import { TaskScope } from './task-scope';

/**
 * One task's run: its options, its own context (project, target, configuration), where its lines go,
 * and what it may share with the other tasks of its process.
 */
export type TaskRun<O> = (options: O, context: ExecutorContext, io: TaskIo, scope: TaskScope) => Promise<{ success: boolean }>;

export interface BatchTaskResult {
  success: boolean;
  status?: 'success' | 'failure' | 'skipped';
  terminalOutput: string;
  startTime: number;
  endTime: number;
}

/**
 * How many of a batch's tasks run at once, by default: local tasks work the CPU and zlib's thread
 * pool, so a few per core. Deploy tasks mostly wait on AWS and pass their own bound.
 */
export const BATCH_CONCURRENCY = Math.max(4, availableParallelism() * 2);

/** Packaging tasks at once in a batch: each deflates on zlib's thread pool already, so one per core. */
export const LOCAL_BATCH_CONCURRENCY = availableParallelism();

/** Deploy tasks in flight in a batch: like a cascade's (DEFAULT_CASCADE_CONCURRENCY), reads overlap, writes stay paced. */
export const DEPLOY_BATCH_CONCURRENCY = DEFAULT_CASCADE_CONCURRENCY;

/**
 * Nx batch implementation over a per-task run: every task of the batch in one process (one start-up,
 * one module load, one validation of the workspace), each still with its own options, context and
 * output. Tasks start once the tasks they depend on inside the batch have succeeded; a task whose
 * dependency failed is skipped, as Nx skips it outside a batch. Results stream back as tasks end.
 */
export function batchOf<O>(run: TaskRun<O>, concurrency = BATCH_CONCURRENCY) {
  return async function* batch(taskGraph: TaskGraph, inputs: Record<string, O>, _overrides: unknown, context: ExecutorContext): AsyncGenerator<{ task: string; result: BatchTaskResult }> {
    // Tasks know their `nx` invocation by the root process id, which Nx sets for task processes only;
    // a batch process is the root's own child.
    process.env.NX_INVOCATION_ROOT_PID ??= String(process.ppid);
    const ids = Object.keys(taskGraph.tasks);
    const inBatch = (id: string) => id in taskGraph.tasks;
    const depsOf = (id: string) => (taskGraph.dependencies[id] ?? []).filter(inBatch);
    const outcome = new Map<string, boolean>();
    const waiting = new Set(ids);
    const running = new Map<string, Promise<{ task: string; result: BatchTaskResult }>>();
    const scope = new TaskScope();

    const start = (id: string) => {
      const task = taskGraph.tasks[id];
      const io = new BufferedIo();
      const taskContext: ExecutorContext = { ...context, projectName: task.target.project, targetName: task.target.target, configurationName: task.target.configuration };
      const startTime = Date.now();
      const done = run(inputs[id], taskContext, io, scope)
        .catch((error: unknown) => {
          io.print(`[${task.target.project}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          return { success: false };
        })
        .then(({ success }) => ({ task: id, result: { success, terminalOutput: io.text(), startTime, endTime: Date.now() } }));
      running.set(id, done);
    };

    while (waiting.size > 0 || running.size > 0) {
      let progressed = false;
      for (const id of [...waiting]) {
        const deps = depsOf(id);
        if (deps.some((dep) => outcome.get(dep) === false)) {
          waiting.delete(id);
          outcome.set(id, false);
          progressed = true;
          const now = Date.now();
          yield { task: id, result: { success: false, status: 'skipped', terminalOutput: '', startTime: now, endTime: now } };
        } else if (running.size < concurrency && deps.every((dep) => outcome.get(dep) === true)) {
          waiting.delete(id);
          start(id);
        }
      }
      if (running.size === 0) {
        if (!progressed) throw new Error(`batch cannot progress: ${[...waiting].join(', ')} wait on each other`);
        continue;
      }
      const finished = await Promise.race(running.values());
      running.delete(finished.task);
      outcome.set(finished.task, finished.result.success);
      yield finished;
    }
  };
}
