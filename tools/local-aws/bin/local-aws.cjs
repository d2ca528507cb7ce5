#!/usr/bin/env node
// Launches the TypeScript CLI without a build step.
require('@swc-node/register');
require('../src/cli.ts');
