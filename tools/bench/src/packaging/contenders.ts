import { join } from 'node:path';
import { runMeasured } from './measure-process';

export interface ContenderRun {
  seconds: number;
  maxRssBytes: number;
}

export interface Contender {
  name: string;
  /** Zips every file under `root` into `outFile`, which does not exist yet. */
  run(root: string, outFile: string): Promise<ContenderRun>;
}

export const infoZip: Contender = {
  name: 'zip -X -r -6',
  async run(root, outFile) {
    const measure = await runMeasured('zip', ['-X', '-r', '-6', '-q', outFile, '.'], root);
    return { seconds: measure.wallSeconds, maxRssBytes: measure.maxRssBytes };
  },
};

/**
 * A Node contender runs in its own process so its peak RSS is its own, and times itself: the
 * engine zips inside an already running process, so Node's start-up is not part of the cost.
 */
function nodeContender(name: string, script: string): Contender {
  return {
    name,
    async run(root, outFile) {
      const measure = await runMeasured(process.execPath, ['-r', require.resolve('@swc-node/register'), join(__dirname, script), root, outFile], root);
      const reported = JSON.parse(measure.stdout) as { seconds: number };
      return { seconds: reported.seconds, maxRssBytes: measure.maxRssBytes };
    },
  };
}

export const ourWriter = nodeContender('writeDeterministicZip', 'zip-with-writer.ts');

export const archiverZip = nodeContender('archiver 7.0.1, level 6', 'zip-with-archiver.ts');
