import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionTargets, layerTargets } from '../../packages/nx-lambda/src/graph/inferred-targets';

const ROOT = join(__dirname, '..', '..');
const WORKFLOW = join(ROOT, 'docs', 'ci', 'github-actions-deploy.yml');

/**
 * The YAML parser Nx itself depends on (no new dependency): resolved from nx's own package, so the
 * test does not lean on whichever `yaml` npm happened to hoist to the root.
 */
const nxPackage = createRequire(join(ROOT, 'package.json')).resolve('nx/package.json');
const { parse: parseYaml } = createRequire(nxPackage)('yaml') as { parse: (text: string) => unknown };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

interface Job {
  if?: string;
  environment?: string | { name: string };
  needs?: string | string[];
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

interface NxCommand {
  job: string;
  text: string;
  targets: string[];
  configuration?: string;
  flags: Set<string>;
}

const workflow = parseYaml(readFileSync(WORKFLOW, 'utf8')) as Workflow;

function environmentNames(): string[] {
  const nxJson = JSON.parse(readFileSync(join(ROOT, 'nx.json'), 'utf8')) as { plugins: Array<string | { plugin: string; options?: { environments?: Record<string, unknown> } }> };
  const plugin = nxJson.plugins.find((p) => typeof p !== 'string' && p.plugin === '@vectora/nx-lambda');
  if (!plugin || typeof plugin === 'string') throw new Error('nx.json has no @vectora/nx-lambda plugin entry');
  return Object.keys(plugin.options?.environments ?? {});
}

/** A shell script as single logical lines: `\` continuations joined, then split on newlines, `;`, `&&` and `||`. */
function commandLines(script: string): string[] {
  return script
    .replace(/\\\n/g, ' ')
    .split(/\n|;|&&|\|\|/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/** Every `nx run-many|affected|run` invocation in the workflow's `run:` scripts, with its targets, configuration and other flags. */
function nxCommands(): NxCommand[] {
  const commands: NxCommand[] = [];
  for (const [job, { steps }] of Object.entries(workflow.jobs)) {
    for (const step of steps) {
      if (!step.run) continue;
      for (const line of commandLines(step.run)) {
        const tokens = line.split(/\s+/);
        const at = tokens.findIndex((token, i) => token === 'nx' && ['run-many', 'affected', 'run'].includes(tokens[i + 1] ?? ''));
        if (at < 0) continue;
        const args = tokens.slice(at + 2);
        const command: NxCommand = { job, text: line, targets: [], flags: new Set() };
        for (let i = 0; i < args.length; i++) {
          const [flag, inline] = args[i].split(/=(.*)/s, 2);
          const value = () => inline ?? args[++i];
          if (['-t', '--target', '--targets'].includes(flag)) command.targets.push(...value().split(','));
          else if (['-c', '--configuration'].includes(flag)) command.configuration = value();
          else if (flag.startsWith('-')) command.flags.add(args[i]);
          else if (tokens[at + 1] === 'run' && args[i].includes(':')) {
            // nx run <project>:<target>[:<configuration>]
            const [, target, configuration] = args[i].split(':');
            command.targets.push(target);
            if (configuration) command.configuration = configuration;
          }
        }
        commands.push(command);
      }
    }
  }
  return commands;
}

function runsOn(job: Job, event: string): boolean {
  return (job.if ?? '').includes(`github.event_name == '${event}'`);
}

function environmentOf(job: Job): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

const environments = environmentNames();
const inferred = { ...layerTargets('some-layer', environments), ...functionTargets('some-function', environments) };
const commands = nxCommands();
const deploys = commands.filter((c) => c.targets.includes('deploy'));

describe('the GitHub Actions example (docs/ci/github-actions-deploy.yml)', () => {
  it('runs on pull requests, on pushes to main and by hand', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    expect(workflow.on.push).toEqual({ branches: ['main'] });
  });

  it('names only targets and configurations the plugin infers, with static output', () => {
    expect(environments).toEqual(expect.arrayContaining(['dev', 'prod']));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) {
      expect(command.targets.length, command.text).toBeGreaterThan(0);
      expect(command.configuration, `${command.text}: every deploy-like target needs -c <env>`).toBeDefined();
      for (const target of command.targets) {
        expect(Object.keys(inferred), `${command.text}: no target ${target}`).toContain(target);
        expect(Object.keys(inferred[target].configurations ?? {}), `${command.text}: ${target} has no configuration ${command.configuration}`).toContain(command.configuration);
      }
      expect([...command.flags], command.text).toContain('--output-style=static');
    }
  });

  it('only plans on pull requests: every deploy there is a --dry-run against dev', () => {
    const prJobs = Object.entries(workflow.jobs).filter(([, job]) => runsOn(job, 'pull_request'));
    const prDeploys = deploys.filter((c) => prJobs.some(([name]) => name === c.job));
    expect(prDeploys.map((c) => c.text)).toContainEqual(expect.stringMatching(/\bnx affected\b/));
    for (const command of prDeploys) {
      expect([...command.flags], command.text).toContain('--dry-run');
      expect(command.configuration, command.text).toBe('dev');
    }
    // And the PR jobs never get a deploy role or a protected environment.
    for (const [name, job] of prJobs) expect(environmentOf(job), name).toBeUndefined();
  });

  it('deploys dev for real on pushes to main, with nx affected, one deploy at a time', () => {
    const pushDeploys = deploys.filter((c) => runsOn(workflow.jobs[c.job], 'push') && !c.flags.has('--dry-run'));
    expect(pushDeploys.length).toBeGreaterThan(0);
    expect(pushDeploys.map((c) => c.text)).toContainEqual(expect.stringMatching(/\bnx affected -t deploy -c dev\b/));
    for (const command of pushDeploys) {
      const job = workflow.jobs[command.job];
      expect(command.configuration, command.text).toBe('dev');
      expect(job.if, command.job).toContain("github.ref == 'refs/heads/main'");
      expect(job.concurrency?.group, command.job).toBe('deploy-dev');
      expect(job.concurrency?.['cancel-in-progress'], command.job).toBe(false);
      expect(job.needs, `${command.job} must wait for the tests`).toContain('test');
    }
  });

  it('deploys prod only by hand, behind the prod environment, with --yes', () => {
    const prodDeploys = deploys.filter((c) => c.configuration === 'prod' && !c.flags.has('--dry-run'));
    expect(prodDeploys.length).toBeGreaterThan(0);
    for (const command of prodDeploys) {
      const job = workflow.jobs[command.job];
      expect([...command.flags], `${command.text}: prod has requireApproval and CI has no terminal`).toContain('--yes');
      expect(environmentOf(job), `${command.job} must wait for the environment's reviewers`).toBe('prod');
      expect(runsOn(job, 'workflow_dispatch'), command.job).toBe(true);
      expect(runsOn(job, 'push') || runsOn(job, 'pull_request'), command.job).toBe(false);
      expect(job.concurrency?.group, command.job).toBe('deploy-prod');
      expect(job.concurrency?.['cancel-in-progress'], command.job).toBe(false);
    }
    // --yes appears nowhere else: only a job gated by an approval may skip the tool's own question.
    for (const command of commands.filter((c) => c.flags.has('--yes'))) expect(environmentOf(workflow.jobs[command.job]), command.text).toBe('prod');
  });

  it('is right that only install, build and package are cached (docs/ci/remote-cache.md relies on it)', () => {
    const cachedOf = (targets: Record<string, { cache?: boolean }>) => Object.keys(targets).filter((name) => targets[name].cache !== false).sort();
    expect(cachedOf(layerTargets('some-layer', environments))).toEqual(['build', 'install', 'package']);
    expect(cachedOf(layerTargets('some-layer', environments, { requirements: 'requirements.txt', pythonVersion: '3.12', architecture: 'x86_64' }))).toEqual(['build', 'install', 'package']);
    expect(cachedOf(functionTargets('some-function', environments))).toEqual(['package']);
  });

  it('checks out the whole history wherever nx runs (nx affected needs the base commit)', () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const checkouts = job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkouts.length, name).toBe(1);
      expect(checkouts[0].with?.['fetch-depth'], name).toBe(0);
    }
    for (const job of new Set(commands.filter((c) => c.text.includes('nx affected')).map((c) => c.job))) {
      expect(workflow.jobs[job].steps.some((s) => s.uses?.startsWith('nrwl/nx-set-shas@')), `${job} runs nx affected without nx-set-shas`).toBe(true);
    }
  });

  it('gets AWS credentials through OIDC only, with pinned actions', () => {
    expect(workflow.permissions).toEqual({});
    const text = readFileSync(WORKFLOW, 'utf8');
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const aws = job.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      for (const step of aws) expect(step.with?.['role-to-assume'], name).toBeTruthy();
      expect(job.permissions?.['id-token'] === 'write', `${name}: id-token: write exactly where AWS credentials are needed`).toBe(aws.length > 0);
      for (const step of job.steps.filter((s) => s.uses)) expect(step.uses, name).toMatch(/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    }
  });
});
