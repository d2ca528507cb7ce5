import { benches, type BenchContext } from './benches';

/** `npm run bench -- [--size=smoke|full] [name...]`: runs the named benches, or all of them, in turn. */
async function main(argv: string[]): Promise<void> {
  let size: BenchContext['size'] = 'full';
  const names: string[] = [];
  for (const arg of argv) {
    const sizeArg = /^--size=(.*)$/.exec(arg);
    if (sizeArg) {
      if (sizeArg[1] !== 'smoke' && sizeArg[1] !== 'full') throw new Error(`--size must be smoke or full, not ${sizeArg[1]}`);
      size = sizeArg[1];
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}; usage: bench [--size=smoke|full] [${Object.keys(benches).join('|')}...]`);
    } else if (!(arg in benches)) {
      throw new Error(`no bench named ${arg}; there are: ${Object.keys(benches).join(', ')}`);
    } else {
      names.push(arg);
    }
  }
  for (const name of names.length > 0 ? names : Object.keys(benches)) {
    process.stdout.write(`\n== ${name} (${size}) ==\n`);
    await benches[name]({ size });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
