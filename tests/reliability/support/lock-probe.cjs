/**
 * Preloaded into a hook process (`node -r lock-probe.cjs hook.cjs …`) to see how it took its lock,
 * without touching src/: every link(2) onto a `*.lock` path is counted, and on exit one JSON line
 * per lock taken is appended to $LOCK_PROBE_FILE: {lock, attempts, waitMs}. A lock taken over from
 * a dead owner takes 2 attempts and no sleep; one waited for takes many.
 */
const fs = require('node:fs');

const out = process.env.LOCK_PROBE_FILE;
const link = fs.linkSync;
const taken = [];
let pending = null;
fs.linkSync = function probedLink(...args) {
  const to = args[1];
  if (!String(to).endsWith('.lock')) return link.apply(this, args);
  if (!pending || pending.lock !== String(to)) pending = { lock: String(to), attempts: 0, started: Date.now() };
  pending.attempts++;
  link.apply(this, args); // throws EEXIST while held
  taken.push({ lock: pending.lock, attempts: pending.attempts, waitMs: Date.now() - pending.started });
  pending = null;
};
process.on('exit', () => {
  if (out) fs.appendFileSync(out, taken.map((t) => `${JSON.stringify(t)}\n`).join(''));
});
