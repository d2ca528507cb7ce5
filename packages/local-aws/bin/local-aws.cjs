#!/usr/bin/env node
// The compiled CLI (built at install by `npm run build`).
require('../dist/cli.js');
