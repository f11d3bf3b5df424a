#!/usr/bin/env node
/** `npm run merge:grades`: (re)builds the grader if its sources changed, then joins shards' grades files (and, with --report-dir, writes the whole class's overview). */
'use strict';
const path = require('node:path');
require('./build').ensureBuilt();
const { main } = require(path.join(__dirname, '..', '..', 'build', 'grader', 'batch', 'merge.js'));
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
