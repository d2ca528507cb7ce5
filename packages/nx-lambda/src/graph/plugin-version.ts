import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The plugin's own version, from its package.json: two folders up from both src/graph (tests) and
 * dist/graph (installed), so it works in this repo and wherever the package is installed from npm.
 */
export const PLUGIN_VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
