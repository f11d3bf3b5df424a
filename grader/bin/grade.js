#!/usr/bin/env node
/** `npm run grade`: (re)builds the grader if its sources changed, then runs it. */
'use strict';
const path = require('node:path');
require('./build').ensureBuilt();
const { main } = require(path.join(__dirname, '..', '..', 'build', 'grader', 'cli.js'));
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`grade: ${err && err.stack ? err.stack : String(err)}\n`); process.exitCode = 1; },
);
