import type { ProjectOutcome, TaskReport } from './task-report';

export interface SummaryRow {
  project: string;
  outcome: ProjectOutcome;
  detail: string;
}

/**
 * One row per project of the run. A function updated by a layer's cascade and by nothing else gets
 * its row from that layer's report; the function's own task, when there is one, wins.
 */
export function summaryRows(reports: TaskReport[]): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  const add = (report: TaskReport, project: string, outcome: ProjectOutcome) => {
    const mine = [...report.events].reverse().filter((event) => event.project === project && event.outcome !== 'info');
    // A dry-run's rows have only plan lines: show the last one, what the real run would do.
    const last = mine.find((event) => event.step !== 'plan') ?? mine.find((event) => event.step === 'plan');
    const error = outcome === 'failed' ? (report.errors.find((e) => e.project === project) ?? report.errors.find((e) => e.project === undefined)) : undefined;
    rows.set(project, { project, outcome, detail: error ? `${error.code}: ${error.message.split('\n')[0]}` : (last?.message ?? '') });
  };
  for (const report of reports) {
    if (report.outcomes[report.project]) add(report, report.project, report.outcomes[report.project]);
  }
  for (const report of reports) {
    for (const [project, outcome] of Object.entries(report.outcomes)) {
      if (!rows.has(project)) add(report, project, outcome);
    }
  }
  return [...rows.values()].sort((a, b) => a.project.localeCompare(b.project));
}

/** `notRun`: tasks Nx skipped because something they depend on failed; the run says what it left undone. */
export function renderSummary(reports: TaskReport[], environment: string, dryRun: boolean, notRun: { project: string; reason: string }[] = []): string {
  const reported = summaryRows(reports);
  const skipped = notRun.filter((task) => !reported.some((row) => row.project === task.project));
  const rows: SummaryRow[] = [...reported, ...skipped.map((task) => ({ project: task.project, outcome: 'not run' as const, detail: `${task.reason} failed: not deployed, left as it was` }))].sort((a, b) => a.project.localeCompare(b.project));
  const width = Math.max(7, ...rows.map((row) => row.project.length));
  const counts = (['updated', 'unchanged', 'warning', 'failed', 'not run', 'planned'] as const).map((outcome) => [outcome, rows.filter((row) => row.outcome === outcome).length] as const).filter(([, n]) => n > 0);
  const writes = reports.reduce((sum, report) => sum + report.awsWrites, 0);
  const calls = reports.reduce((sum, report) => sum + Object.values(report.awsCalls).reduce((a, b) => a + b, 0), 0);
  const lines = [
    '',
    `Deploy summary (${environment}${dryRun ? ', dry-run' : ''}): ${counts.map(([outcome, n]) => `${n} ${outcome}`).join(', ') || 'nothing to do'}; ${calls} AWS calls, ${writes} writes`,
    `${'project'.padEnd(width)}  ${'outcome'.padEnd(9)}  detail`,
    ...rows.map((row) => `${row.project.padEnd(width)}  ${row.outcome.padEnd(9)}  ${truncate(row.detail, 100)}`),
  ];
  return lines.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
