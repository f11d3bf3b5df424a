/**
 * Closes the file descriptors this process inherited that are not its own, first thing in each of
 * the kit's commands: whatever started it may have passed some on (a platform's pipe, a shell's
 * process substitution at fd 63), and neither Node's spawn nor bwrap closes them, so every sandbox
 * child would inherit them too: a review wrote to and read from such a pipe from inside the
 * sandbox. Node opens every descriptor of its own close-on-exec; stdin, stdout, stderr and the
 * channel to a parent (NODE_CHANNEL_FD) are kept, and any other without that flag is closed.
 * Linux only (/proc tells the flags); elsewhere nothing is done.
 */
'use strict';
const fs = require('node:fs');

/** O_CLOEXEC as /proc/<pid>/fdinfo prints the flags (octal). */
const CLOSE_ON_EXEC = 0o2000000;

function closeInheritedDescriptors() {
  const keep = new Set([0, 1, 2]);
  const channel = Number(process.env.NODE_CHANNEL_FD);
  if (Number.isInteger(channel)) keep.add(channel);
  let names;
  try { names = fs.readdirSync('/proc/self/fd'); } catch { return []; }
  const closed = [];
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || keep.has(fd)) continue;
    try {
      const flags = /^flags:\s*([0-7]+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
      if (flags && (parseInt(flags[1], 8) & CLOSE_ON_EXEC) === 0) {
        fs.closeSync(fd);
        closed.push(fd);
      }
    } catch { /* gone meanwhile (the listing's own) */ }
  }
  return closed;
}

module.exports = { closeInheritedDescriptors };
