// Measuring one whole process: wall time, peak RSS and CPU time, the same way for every tool.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

export const TIME_BIN = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-session-measure-'));
let seq = 0;

export function cleanUp() {
  fs.rmSync(tmp, { recursive: true, force: true });
}

/**
 * Runs one command; wall time by process.hrtime around it; peak RSS by GNU time's %M (ru_maxrss:
 * the largest resident set of the process or any descendant it waited for — for ccusage that is
 * max(node launcher, native binary), not their sum; spec-session is one process, its worker threads
 * included). Without /usr/bin/time: VmHWM of the process tree polled from /proc every 5 ms.
 * Returns { wallMs, rssKb, cpuMs, outFile } (cpuMs: user + sys, NaN without GNU time).
 */
export async function measure(cmd, args, env) {
  const n = ++seq;
  const outFile = path.join(tmp, `out-${n}.json`);
  const fd = fs.openSync(outFile, 'w');
  let wallMs;
  let rssKb;
  let cpuMs = NaN;
  let status;
  let stderr = '';
  if (TIME_BIN) {
    const timeFile = path.join(tmp, `time-${n}.txt`);
    const t = process.hrtime.bigint();
    const r = spawnSync(TIME_BIN, ['-f', '%M %U %S', '-o', timeFile, cmd, ...args], {
      env,
      stdio: ['ignore', fd, 'pipe'],
      maxBuffer: 64 << 20,
    });
    wallMs = Number(process.hrtime.bigint() - t) / 1e6;
    status = r.status;
    stderr = String(r.stderr ?? '');
    const [maxrss, user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    rssKb = maxrss;
    cpuMs = (user + sys) * 1000;
  } else {
    const t = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', fd, 'pipe'] });
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, treeHwm(child.pid))), 5);
    status = await new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    clearInterval(poll);
    wallMs = Number(process.hrtime.bigint() - t) / 1e6;
    rssKb = peak;
  }
  fs.closeSync(fd);
  if (status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${status}: ${stderr.slice(0, 2000)}`);
  return { wallMs, rssKb, cpuMs, outFile };
}

function treeHwm(pid) {
  let max = 0;
  const visit = (p) => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) max = Math.max(max, Number(m[1]));
      for (const c of fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean))
        visit(c);
    } catch {}
  };
  visit(pid);
  return max;
}

export function newDir(prefix) {
  return fs.mkdtempSync(path.join(tmp, prefix));
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const sec = (ms) => (ms / 1000).toFixed(2);
export const msText = (ms) => ms.toFixed(0);
export const mb = (kb) => (kb / 1024).toFixed(0);
export const mark = (ok) => (ok ? '✓' : '✗');

/** Reads every file under `dir` once, so every tool runs on a warm page cache. */
export function warmPageCache(dir) {
  let bytes = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else bytes += fs.readFileSync(p).length;
    }
  };
  walk(dir);
  return bytes;
}
