import { resetMoto } from './moto-server';
import { ensureLocalAws, localAwsStatus, runningEmulator, stopLocalAws } from './workspace-emulator';
import { findWorkspaceRoot } from './workspace-root';

const USAGE = `usage: npm run local-aws -- <command> [--port N]

Each Nx workspace has its own emulator (moto on 127.0.0.1); these commands act on the one of the
workspace around the current folder. Its port is recorded in .local-aws/emulator.json.

commands:
  start    start this workspace's emulator, installing moto on first use
  stop     stop this workspace's emulator
  reset    wipe every resource in this workspace's emulator
  status   say whether this workspace's emulator runs, and on which port

--port N   with start only: the port to start on (default: the one it had, if free, else any free port)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const portIndex = rest.indexOf('--port');
  const port = portIndex >= 0 ? Number(rest[portIndex + 1]) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port <= 0 || port > 65535)) {
    process.stderr.write(`local-aws: --port must be a port number, got "${rest[portIndex + 1] ?? ''}"\n`);
    return 2;
  }
  if (port !== undefined && command !== 'start') {
    process.stderr.write(`local-aws: --port applies to start only; ${command} acts on this workspace's emulator wherever it runs\n`);
    return 2;
  }
  const workspace = findWorkspaceRoot(process.cwd());
  const print = (line: string) => process.stdout.write(`${line}\n`);
  switch (command) {
    case 'start': {
      const emulator = await ensureLocalAws({ workspaceRoot: workspace, port, log: print });
      print(`local-aws: ${emulator.started ? 'started' : 'already running'} at ${emulator.endpoint} (pid ${emulator.pid}) for workspace ${emulator.workspace}`);
      return 0;
    }
    case 'stop': {
      const stopped = await stopLocalAws(workspace);
      print(stopped ? `local-aws: stopped ${stopped.endpoint} (pid ${stopped.pid}) of workspace ${workspace}` : `local-aws: no emulator running for workspace ${workspace}`);
      return 0;
    }
    case 'reset': {
      const running = await runningEmulator(workspace);
      if (!running) {
        process.stderr.write(`local-aws: no emulator running for workspace ${workspace}: nothing to reset (start one with npm run local-aws -- start)\n`);
        return 1;
      }
      await resetMoto(running.endpoint);
      print(`local-aws: ${running.endpoint} of workspace ${workspace} reset`);
      return 0;
    }
    case 'status': {
      const status = await localAwsStatus(workspace);
      if (status.running) print(`local-aws: up at ${status.running.endpoint} (port ${status.running.port}, pid ${status.running.pid}) for workspace ${workspace}`);
      else {
        const last = status.recordedPort === undefined ? '' : `; it last ran on port ${status.recordedPort}${status.occupant ? `, now taken by ${status.occupant}` : ''}`;
        print(`local-aws: not running for workspace ${workspace}${last}`);
      }
      return 0;
    }
    default:
      process.stderr.write(`local-aws: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
