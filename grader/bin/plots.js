#!/usr/bin/env node
/** `npm run plots`: (re)builds the grader if its sources changed, then draws the figures. */
'use strict';
// Before anything is started: no descriptor of whatever started this reaches its children.
require('./descriptors').closeInheritedDescriptors();
const path = require('node:path');
require('./build').ensureBuilt();
// V8's code cache on disk (Node 22.1+): jest, ts-jest and the kit are compiled once, not at every run.
require(path.join(__dirname, '..', '..', 'build', 'grader', 'lib', 'code-cache.js')).useCodeCache();
const { plotsMain } = require(path.join(__dirname, '..', '..', 'build', 'grader', 'plots.js'));
plotsMain(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`plots: ${err && err.stack ? err.stack : String(err)}\n`); process.exitCode = 1; },
);
