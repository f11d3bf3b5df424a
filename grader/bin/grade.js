#!/usr/bin/env node
/** `npm run grade`: (re)builds the grader if its sources changed, then runs it. */
'use strict';
// Before anything is started: no descriptor of whatever started this reaches its children.
require('./descriptors').closeInheritedDescriptors();
const path = require('node:path');
require('./build').ensureBuilt();
// V8's code cache on disk (Node 22.1+): jest, ts-jest and the kit are compiled once, not at every run.
require(path.join(__dirname, '..', '..', 'build', 'grader', 'lib', 'code-cache.js')).useCodeCache();
const { main } = require(path.join(__dirname, '..', '..', 'build', 'grader', 'cli.js'));
const { exitSoon } = require(path.join(__dirname, '..', '..', 'build', 'grader', 'watchdog.js'));
main(process.argv.slice(2)).then(
  // The result is written: nothing left over (a child's pipe, a library's timer) keeps the
  // command running past a short grace.
  (code) => { process.exitCode = code; exitSoon(); },
  (err) => { process.stderr.write(`grade: ${err && err.stack ? err.stack : String(err)}\n`); process.exitCode = 1; },
);
