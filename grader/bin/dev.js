#!/usr/bin/env node
/** `npm run dev`: (re)builds the grader if its sources changed, then grades on every save and serves the live page. */
'use strict';
// Before anything is started: no descriptor of whatever started this reaches its children.
require('./descriptors').closeInheritedDescriptors();
const path = require('node:path');
require('./build').ensureBuilt();
// V8's code cache on disk (Node 22.1+): jest, ts-jest and the kit are compiled once, not at every run.
require(path.join(__dirname, '..', '..', 'build', 'grader', 'lib', 'code-cache.js')).useCodeCache();
const { devMain } = require(path.join(__dirname, '..', '..', 'build', 'grader', 'dev', 'main.js'));
devMain(process.argv.slice(2)).then(
  // Exit at once: the session has ended its children; nothing else is worth waiting for.
  (code) => { process.exit(code); },
  (err) => { process.stderr.write(`dev: ${err && err.stack ? err.stack : String(err)}\n`); process.exit(1); },
);
