import { describe, expect, it } from 'vitest';
import { renderSummary } from './run-summary';
import type { TaskReport } from './task-report';

function report(project: string, outcomes: TaskReport['outcomes'], events: TaskReport['events'], extra: Partial<TaskReport> = {}): TaskReport {
  return { project, target: 'deploy', environment: 'dev', dryRun: false, startedAt: '', durationMs: 0, outcomes, plans: [], events, awsCalls: { 'lambda:GetFunction': 1 }, awsWrites: 0, retries: { retries: 0, byClass: { throttled: 0, conflict: 0, transient: 0, fatal: 0 } }, errors: [], ...extra };
}

describe('the run summary', () => {
  it('takes a cascaded function row from the layer report unless the function had its own task', () => {
    const layer = report('core', { core: 'updated', 'fn-a': 'updated', 'fn-b': 'updated' }, [
      { project: 'core', step: 'publish-layer', outcome: 'done', message: 'published version 49' },
      { project: 'fn-a', step: 'update-layers', outcome: 'done', message: 'layers core 43 -> 49' },
      { project: 'fn-b', step: 'update-layers', outcome: 'done', message: 'layers core 43 -> 49' },
    ]);
    const own = report('fn-b', { 'fn-b': 'warning' }, [{ project: 'fn-b', step: 'warn', outcome: 'warning', message: 'function x not found, skipped' }]);
    const text = renderSummary([layer, own], 'dev', false);
    expect(text).toContain('Deploy summary (dev): 2 updated, 1 warning; 2 AWS calls, 0 writes');
    expect(text).toMatch(/fn-a +updated +layers core 43 -> 49/);
    expect(text).toMatch(/fn-b +warning +function x not found, skipped/);
  });

  it('shows in a dry-run what the real run would do', () => {
    const dry = report('core', { core: 'planned' }, [
      { project: 'core', step: 'plan', outcome: 'planned', message: 'plan publish-layer: content sha256:ab12.. not published' },
      { project: 'core', step: 'dry-run', outcome: 'info', message: 'dry-run: 1 write planned, none made' },
    ], { dryRun: true });
    expect(renderSummary([dry], 'dev', true)).toMatch(/core +planned +plan publish-layer: content sha256:ab12\.\. not published/);
  });

  it('lists tasks that never ran, with the failure that stopped them, and failures with their code', () => {
    const failed = report('core', { core: 'failed' }, [], { target: 'package', errors: [{ code: 'SYMLINK_ESCAPES', message: 'layers/core/layer.json: a link leaves the layer', hint: '' }] });
    const text = renderSummary([failed], 'dev', false, [{ project: 'fn-a', reason: 'core:package' }, { project: 'core', reason: 'core:package' }]);
    expect(text).toContain('1 failed, 1 not run');
    expect(text).toMatch(/core +failed +SYMLINK_ESCAPES: layers\/core\/layer\.json: a link leaves the layer/);
    expect(text).toMatch(/fn-a +not run +core:package failed: not deployed, left as it was/);
  });

  it('gives each region its own row, with the error of that region only', () => {
    const fleet = report('core', { 'core (eu-west-1)': 'updated', 'core (us-east-1)': 'failed' }, [
      { project: 'core (eu-west-1)', step: 'publish-layer', outcome: 'done', message: 'published version 3' },
      { project: 'core (us-east-1)', step: 'publish-layer', outcome: 'failed', message: 'publish-layer failed' },
    ], { errors: [{ code: 'AWS_AccessDenied', message: 'us-east-1 refused', hint: '', project: 'core (us-east-1)' }] });
    const text = renderSummary([fleet], 'dev', false);
    expect(text).toContain('1 updated, 1 failed');
    expect(text).toMatch(/core \(eu-west-1\) +updated +published version 3/);
    expect(text).toMatch(/core \(us-east-1\) +failed +AWS_AccessDenied: us-east-1 refused/);
  });

  it('counts a region a function skipped, because its layer failed there, as not run with the skip line', () => {
    const fn = report('fn-a', { 'fn-a (eu-west-1)': 'updated', 'fn-a (us-east-1)': 'not run' }, [
      { project: 'fn-a (eu-west-1)', step: 'update-layers', outcome: 'done', message: 'layers core 2 -> 3' },
      { project: 'fn-a (us-east-1)', step: 'skip-region', outcome: 'warning', message: 'core (us-east-1) failed: not run here, left as it was' },
    ]);
    const text = renderSummary([fn], 'dev', false);
    expect(text).toContain('1 updated, 1 not run');
    expect(text).toMatch(/fn-a \(us-east-1\) +not run +core \(us-east-1\) failed: not run here, left as it was/);
  });
});
