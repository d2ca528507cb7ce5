import { ensureLocalAws, endpointOf, isMotoHealthy, LOCAL_AWS_DEFAULT_PORT, resetMoto, stopMotoServer } from './moto-server';

const USAGE = `usage: npm run local-aws -- <command> [--port N]

commands:
  start    start the local AWS emulator (moto) on 127.0.0.1, installing it on first use
  stop     stop an emulator this tool started
  reset    wipe every resource in the running emulator
  status   say whether an emulator answers

--port N   port to use (default ${LOCAL_AWS_DEFAULT_PORT}, the \`local\` environment's)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const portIndex = rest.indexOf('--port');
  const port = portIndex >= 0 ? Number(rest[portIndex + 1]) : LOCAL_AWS_DEFAULT_PORT;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    process.stderr.write(`local-aws: --port must be a port number, got "${rest[portIndex + 1]}"\n`);
    return 2;
  }
  const endpoint = endpointOf(port);
  switch (command) {
    case 'start':
      await ensureLocalAws({ port, log: (line) => process.stdout.write(`${line}\n`) });
      process.stdout.write(`local-aws: ready at ${endpoint}\n`);
      return 0;
    case 'stop':
      process.stdout.write((await stopMotoServer(port)) ? `local-aws: stopped ${endpoint}\n` : `local-aws: nothing started by this tool on ${endpoint}\n`);
      return 0;
    case 'reset':
      await resetMoto(endpoint);
      process.stdout.write(`local-aws: ${endpoint} reset\n`);
      return 0;
    case 'status':
      process.stdout.write((await isMotoHealthy(endpoint)) ? `local-aws: up at ${endpoint}\n` : `local-aws: not running on ${endpoint}\n`);
      return 0;
    default:
      process.stderr.write(`${command ? `local-aws: unknown command "${command}"\n` : ''}${USAGE}\n`);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
