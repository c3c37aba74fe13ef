// Building blocks of the synthetic Claude Code history: a seeded PRNG, a text pool, the line
// shapes of Claude Code 2.1.x (key order copied from the real CLI 2.1.331 where known) and a
// session writer that tracks the exact usage it wrote, so the bench can check totals.
//
// Used by bench/generate-corpus.mjs (the 400 MiB corpus) and bench/hook.mjs (hook transcripts).
import fs from 'node:fs';
import path from 'node:path';

// ---------------------------------------------------------------- PRNG (sfc32, seeded by splitmix32)

export function makeRng(seed) {
  let s = typeof seed === 'number' ? seed >>> 0 : hashString(String(seed));
  const split = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  const u32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = () => u32() / 4294967296;
  const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const rng = {
    u32,
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    weighted(pairs) {
      let total = 0;
      for (const [, w] of pairs) total += w;
      let r = next() * total;
      for (const [v, w] of pairs) if ((r -= w) < 0) return v;
      return pairs[pairs.length - 1][0];
    },
    normal() {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    /** Sample from a piecewise log-linear quantile table [[q, value], ...] with q from 0 to 1. */
    quantile(table) {
      const u = next();
      for (let i = 1; i < table.length; i++) {
        const [q1, v1] = table[i];
        if (u <= q1) {
          const [q0, v0] = table[i - 1];
          const f = (u - q0) / (q1 - q0);
          return Math.round(Math.exp(Math.log(v0) + f * (Math.log(v1) - Math.log(v0))));
        }
      }
      return table[table.length - 1][1];
    },
    hex(n) {
      let out = '';
      while (out.length < n) out += u32().toString(16).padStart(8, '0');
      return out.slice(0, n);
    },
    b62(n) {
      let out = '';
      for (let i = 0; i < n; i++) out += B62[u32() % 62];
      return out;
    },
    uuid() {
      const h = rng.hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
  return rng;
}

export function hashString(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// ---------------------------------------------------------------- text pool

const IDENTS = [
  'config',
  'session',
  'ledger',
  'transcript',
  'usage',
  'tokens',
  'request',
  'handler',
  'result',
  'buffer',
  'offset',
  'cursor',
  'report',
  'invoice',
  'customer',
  'order',
  'payment',
  'schema',
  'router',
  'service',
  'repository',
  'client',
  'index',
  'value',
  'items',
  'state',
  'options',
  'context',
  'logger',
  'cache',
  'stream',
  'worker',
  'queue',
  'task',
  'spec',
  'user',
  'account',
  'price',
  'model',
  'daily',
];
const WORDS = [
  'the',
  'a',
  'to',
  'of',
  'and',
  'in',
  'is',
  'for',
  'that',
  'with',
  'this',
  'we',
  'file',
  'test',
  'function',
  'returns',
  'when',
  'should',
  'error',
  'value',
  'each',
  'line',
  'call',
  'not',
  'be',
  'by',
  'from',
  'it',
  'on',
  'are',
  'read',
  'write',
  'update',
  'check',
  'fix',
  'add',
  'remove',
  'build',
  'run',
  'output',
  'because',
  'then',
  'now',
  'so',
];
const UNICODE = ['é', 'ü', 'ß', '漢字', '日本語', '→', '✓', '✗', '…', '😀', '🚀', 'Ω', 'ñ'];

/** A few MiB of code-, log- and prose-like text with quotes, backslashes, tabs and some unicode. */
export function makeTextPool(rng, chars = 6 << 20) {
  const parts = [];
  let size = 0;
  const id = () =>
    rng.pick(IDENTS) + (rng.chance(0.3) ? rng.pick(IDENTS)[0].toUpperCase() + rng.pick(IDENTS).slice(1) : '');
  const sentence = () => {
    const n = rng.int(4, 18);
    const w = [];
    for (let i = 0; i < n; i++) w.push(rng.chance(0.02) ? rng.pick(UNICODE) : rng.pick(WORDS));
    const s = w.join(' ');
    return `${s[0].toUpperCase() + s.slice(1)}.`;
  };
  let lineNo = 1;
  while (size < chars) {
    let line;
    const kind = rng.next();
    if (kind < 0.35)
      line = `${'  '.repeat(rng.int(0, 4))}const ${id()} = await ${id()}.${id()}(${id()}, "${rng.pick(WORDS)}-${rng.int(0, 999)}");`;
    else if (kind < 0.5)
      line = `${'  '.repeat(rng.int(0, 3))}if (${id()}.${id()} !== undefined && ${id()}[${rng.int(0, 9)}] > ${rng.int(0, 4096)}) return { ${id()}: '${rng.pick(WORDS)}', ${id()}: ${rng.int(0, 99999)} };`;
    else if (kind < 0.6) line = `${String(lineNo++).padStart(6)}\t${'  '.repeat(rng.int(0, 3))}// ${sentence()}`;
    else if (kind < 0.7)
      line = `{"${id()}": "${rng.pick(WORDS)}", "${id()}": ${rng.int(0, 100000)}, "path": "C:\\\\Users\\\\dev\\\\${id()}.ts"}`;
    else if (kind < 0.8)
      line = `2026-10-${String(rng.int(1, 30)).padStart(2, '0')}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:12.345Z INFO [${id()}] ${sentence()}`;
    else if (kind < 0.85)
      line = `    at ${id()}.${id()} (/home/dev/work/app/src/${id()}/${id()}.ts:${rng.int(1, 500)}:${rng.int(1, 80)})`;
    else line = `${sentence()} ${sentence()}`;
    parts.push(line);
    size += line.length + 1;
  }
  return parts.join('\n');
}

/** A slice of the pool of about `len` characters (never splitting a surrogate pair). */
export function poolText(pool, rng, len) {
  if (len <= 0) return '';
  if (len >= pool.length) len = pool.length - 1;
  let start = rng.int(0, pool.length - len - 1);
  let end = start + len;
  if (isLowSurrogate(pool.charCodeAt(start))) start++;
  if (isLowSurrogate(pool.charCodeAt(end))) end++;
  return pool.slice(start, end);
}
const isLowSurrogate = (c) => c >= 0xdc00 && c <= 0xdfff;

// ---------------------------------------------------------------- distributions

/** Sizes of transcript files (bytes): median ~100 KB, p90 ~650 KB, p99 ~5 MB, capped at 20 MB. */
export const FILE_SIZE_QUANTILES = [
  [0, 2_500],
  [0.5, 112_000],
  [0.9, 600_000],
  [0.99, 5_000_000],
  [1, 20_000_000],
];
/** Sizes of tool results (characters). */
const TOOL_RESULT_QUANTILES = [
  [0, 20],
  [0.5, 1_800],
  [0.9, 14_000],
  [0.99, 90_000],
  [1, 400_000],
];
/** Sizes of file-history-snapshot lines (bytes). */
const SNAPSHOT_QUANTILES = [
  [0, 400],
  [0.5, 3_000],
  [0.8, 30_000],
  [0.97, 180_000],
  [1, 450_000],
];

export const MODELS_MAIN = [
  ['claude-opus-5-5', 34],
  ['claude-sonnet-4-5-20250929', 24],
  ['claude-opus-4-6', 20],
  ['claude-sonnet-4-6', 8],
  ['claude-haiku-4-5-20251001', 6],
  ['claude-opus-4-1-20250805', 5],
  ['claude-opus-4-5-20251101', 3],
];
export const MODELS_SUBAGENT = [
  ['claude-haiku-4-5-20251001', 40],
  ['claude-sonnet-4-5-20250929', 25],
  ['claude-opus-5-5', 20],
  ['claude-opus-4-6', 15],
];

/**
 * Version profiles: what each Claude Code generation writes.
 * - outputs: 'final' every line carries the final output_tokens (2.1.97+);
 *   'last' only the message's last line has it, earlier lines a 1-8 placeholder (2.1.85);
 *   'placeholder' every line a 1-8 placeholder, the final count never reaches the file (<=2.1.56).
 */
export const PROFILES = {
  v331: { version: '2.1.331', modern: true, outputs: 'final', subOutputs: 'final', progress: false, summary: false },
  v112: { version: '2.1.112', modern: false, outputs: 'final', subOutputs: 'last', progress: false, summary: false },
  v85: { version: '2.1.85', modern: false, outputs: 'last', subOutputs: 'last', progress: false, summary: false },
  v34: {
    version: '2.1.34',
    modern: false,
    outputs: 'placeholder',
    subOutputs: 'placeholder',
    progress: true,
    summary: true,
  },
};
export const PROFILE_WEIGHTS = [
  ['v331', 40],
  ['v112', 22],
  ['v85', 13],
  ['v34', 25],
];

const TOOLS = [
  ['Read', 30],
  ['Bash', 28],
  ['Edit', 14],
  ['Grep', 10],
  ['Glob', 5],
  ['Write', 5],
  ['TodoWrite', 4],
  ['WebFetch', 2],
  ['WebSearch', 2],
];
const BRANCHES = [
  'main',
  'main',
  'main',
  'feat/invoices',
  'fix/login-redirect',
  'spec/payments-1.2',
  'develop',
  'HEAD',
];

export function mungeProject(cwd) {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

// ---------------------------------------------------------------- buffered writer

export class LineWriter {
  constructor(file, { record = false, flushChars = 4 << 20 } = {}) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.file = file;
    this.fd = fs.openSync(file, 'a');
    this.parts = [];
    this.pending = 0;
    this.chars = 0; // characters written (≈ bytes: the text is mostly ASCII)
    this.flushChars = flushChars;
    this.recorded = record ? [] : null;
  }
  line(text) {
    this.parts.push(text);
    this.pending += text.length + 1;
    this.chars += text.length + 1;
    if (this.recorded) {
      this.recorded.push(text);
      if (this.chars > 1_500_000) this.recorded = null; // too big to fork from
    }
    if (this.pending >= this.flushChars) this.flush();
  }
  /** Raw bytes without the newline (a truncated last line). */
  raw(text) {
    this.flush();
    fs.writeSync(this.fd, text);
    this.chars += text.length;
  }
  flush() {
    if (this.parts.length === 0) return;
    fs.writeSync(this.fd, `${this.parts.join('\n')}\n`);
    this.parts = [];
    this.pending = 0;
  }
  close() {
    this.flush();
    fs.closeSync(this.fd);
  }
}

// ---------------------------------------------------------------- usage accounting

const DAY_MS = 86_400_000;

/**
 * Exact totals per UTC day and per model of the calls written (each call once, field-wise max over
 * its copies). `hidden` calls are billed calls that no assistant line shows (the 2.1.331 /compact
 * summary call, visible only in cost-state): they count in the totals, and `fromLines` leaves them out.
 */
export class Expected {
  constructor() {
    this.all = { days: new Map(), models: new Map(), total: emptyTotals() };
    this.lines = { days: new Map(), models: new Map(), total: emptyTotals() };
    this.hidden = emptyTotals();
  }
  add(time, model, u, hidden = false) {
    const date = new Date(time).toISOString().slice(0, 10);
    for (const set of hidden ? [this.all] : [this.all, this.lines]) {
      for (const [map, key] of [
        [set.days, date],
        [set.models, model],
      ]) {
        let t = map.get(key);
        if (!t) map.set(key, (t = emptyTotals()));
        addTotals(t, u);
      }
      addTotals(set.total, u);
    }
    if (hidden) addTotals(this.hidden, u);
  }
  toJSON() {
    const view = (set) => ({
      daily: [...set.days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, t]) => ({ date, ...t })),
      models: Object.fromEntries([...set.models.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
      totals: set.total,
    });
    return { ...view(this.all), costStateOnly: this.hidden, fromLines: view(this.lines) };
  }
}

function emptyTotals() {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0, calls: 0 };
}
function addTotals(t, u) {
  t.inputTokens += u.input;
  t.outputTokens += u.output;
  t.cacheCreationTokens += u.cacheCreation;
  t.cacheReadTokens += u.cacheRead;
  t.totalTokens += u.input + u.output + u.cacheCreation + u.cacheRead;
  t.calls++;
}

// ---------------------------------------------------------------- session writer

const iso = (t) => new Date(t).toISOString();

/**
 * Writes one Claude Code session: the main transcript and its subagent files.
 *
 * opts: { rng, pool, dir (the project folder under projects/), cwd, sessionId, profile (key of
 * PROFILES), model, start (ms), mainTarget (chars), subTargets [chars], gateway (no requestId),
 * expected (Expected), fork: {lines, sessionId, end} | undefined, record (keep lines for forks),
 * costStates (P331: append cost-state at the end of each run) }
 * Returns { files: [paths], end (ms), lines (recorded lines or null) }.
 */
export function writeSession(opts) {
  const s = new Session(opts);
  return s.run();
}

class Session {
  constructor(o) {
    Object.assign(this, o);
    this.p = PROFILES[o.profile];
    this.t = o.start;
    this.branch = o.rng.pick(BRANCHES);
    this.slug = `${o.rng.pick(WORDS)}-${o.rng.pick(IDENTS)}-${o.rng.pick(['squid', 'otter', 'falcon', 'maple', 'comet'])}`;
    this.context = o.rng.int(14_000, 32_000); // tokens in the prompt cache
    this.oneHourCache = o.rng.chance(0.2);
    this.noSplit = !this.p.modern && o.rng.chance(0.1); // older lines with only the cache-creation total
    this.files = [];
    this.costModels = new Map(o.fork?.costModels ? [...o.fork.costModels].map(([m, v]) => [m, { ...v }]) : []);
    this.parent = null;
    this.turnsDone = 0;
  }

  run() {
    const { rng } = this;
    const mainFile = path.join(this.dir, `${this.sessionId}.jsonl`);
    this.out = new LineWriter(mainFile, { record: this.record });
    this.curOut = this.out;
    this.curTarget = this.mainTarget;
    this.files.push(mainFile);
    if (this.fork) {
      for (const line of this.fork.lines) {
        if (line.startsWith('{"type":"cost-state"')) continue;
        let copy = line.split(`"sessionId":"${this.fork.sessionId}"`).join(`"sessionId":"${this.sessionId}"`);
        // 2.1.331 marks the copied assistant lines with the session that made them, at the line's end.
        if (this.p.modern && copy.includes('"type":"assistant"'))
          copy = `${copy.slice(0, -1)},"requestSessionId":"${this.fork.sessionId}"}`;
        this.out.line(copy);
      }
      this.t = Math.max(this.t, this.fork.end + rng.int(60_000, 36 * 3_600_000));
    } else if (this.p.summary && rng.chance(0.5)) {
      for (let i = rng.int(1, 3); i > 0; i--)
        this.out.line(JSON.stringify({ type: 'summary', summary: this.sentence(), leafUuid: rng.uuid() }));
    }
    const pendingSubs = [...(this.subTargets ?? [])];
    const totalSubs = pendingSubs.length;
    let switched = false;
    while (this.out.chars < this.mainTarget || (pendingSubs.length > 0 && this.turnsDone < 200_000)) {
      const spawnAt = this.mainTarget * ((totalSubs - pendingSubs.length + 1) / (totalSubs + 1));
      const sub =
        pendingSubs.length > 0 && (this.out.chars >= spawnAt || this.out.chars >= this.mainTarget)
          ? pendingSubs.shift()
          : undefined;
      if (!switched && rng.chance(0.002)) {
        this.model = rng.weighted(MODELS_MAIN); // /model mid-session
        switched = true;
      }
      this.turn(sub);
      if (this.p.modern && this.costStates && rng.chance(0.08)) this.costState(); // end of a `claude -p` run
      if (rng.chance(0.004)) this.t += rng.int(3_600_000, 20 * 3_600_000); // resumed later
    }
    if (this.p.modern || this.p.version === '2.1.112')
      this.out.line(JSON.stringify({ type: 'last-prompt', lastPrompt: this.sentence(), sessionId: this.sessionId }));
    if (this.p.modern && this.costStates) this.costState();
    if (rng.chance(0.02) && this.lastAssistantLine)
      this.out.raw(this.lastAssistantLine.slice(0, rng.int(40, this.lastAssistantLine.length - 2))); // being written
    const lines = this.out.recorded;
    this.out.close();
    return { files: this.files, end: this.t, lines, costModels: this.costModels };
  }

  /** Characters left before the file being written reaches its target (caps big pieces near the end). */
  room() {
    return Math.max(300, (this.curTarget - this.curOut.chars) / 3);
  }

  sentence() {
    return poolText(this.pool, this.rng, this.rng.int(30, 120)).replace(/\s+/g, ' ').trim();
  }

  // ---- envelopes: the key order of each generation

  env(sidechain, agentId, body) {
    const { p } = this;
    if (p.modern) {
      const o = { parentUuid: this.parent, isSidechain: sidechain };
      if (agentId) o.agentId = agentId;
      Object.assign(o, body);
      o.userType = 'external';
      o.entrypoint = 'cli';
      o.cwd = this.cwd;
      o.sessionId = this.sessionId;
      o.version = p.version;
      o.gitBranch = this.branch;
      return o;
    }
    const o = {
      parentUuid: this.parent,
      isSidechain: sidechain,
      userType: 'external',
      cwd: this.cwd,
      sessionId: this.sessionId,
      version: p.version,
      gitBranch: this.branch,
    };
    if (agentId) o.agentId = agentId;
    o.slug = this.slug;
    return Object.assign(o, body);
  }

  emit(obj, out = this.out) {
    const text = JSON.stringify(obj);
    out.line(text);
    if (obj.uuid) this.parent = obj.uuid;
    return text;
  }

  tick(lo, hi) {
    this.t += this.rng.int(lo, hi);
    return this.t;
  }

  // ---- one user turn: prompt, API calls with tools, end-of-turn lines

  turn(sub) {
    const { rng, p } = this;
    this.turnsDone++;
    const prompt = this.sentence();
    this.tick(20_000, 900_000);
    if (p.modern) {
      this.out.line(
        JSON.stringify({
          type: 'queue-operation',
          operation: 'enqueue',
          timestamp: iso(this.t),
          sessionId: this.sessionId,
          content: prompt,
        }),
      );
      this.out.line(
        JSON.stringify({
          type: 'queue-operation',
          operation: 'dequeue',
          timestamp: iso(this.t + 2),
          sessionId: this.sessionId,
        }),
      );
    }
    const promptUuid = rng.uuid();
    this.snapshot(promptUuid);
    const slash = rng.chance(0.08);
    const content = slash
      ? `<command-message>do-task</command-message>\n<command-name>/do-task</command-name>\n<command-args>${rng.pick(IDENTS)}-management ${rng.int(1, 5)}.${rng.int(1, 9)}</command-args>`
      : prompt;
    const promptId = rng.uuid();
    this.emit(
      this.env(
        false,
        null,
        p.modern
          ? { promptId, type: 'user', message: { role: 'user', content }, uuid: promptUuid, timestamp: iso(this.t) }
          : {
              type: 'user',
              message: { role: 'user', content },
              uuid: promptUuid,
              timestamp: iso(this.t),
              thinkingMetadata: { maxThinkingTokens: 31999 },
              todos: [],
            },
      ),
    );
    if (slash)
      this.emit(
        this.env(false, null, {
          promptId,
          type: 'user',
          message: { role: 'user', content: [{ type: 'text', text: poolText(this.pool, rng, rng.int(300, 3000)) }] },
          isMeta: true,
          uuid: rng.uuid(),
          timestamp: iso(this.t + 1),
        }),
      );
    if (p.modern || p.version === '2.1.112') this.attachments();

    const calls = sub ? rng.int(2, 6) : Math.min(40, 1 + Math.floor(-Math.log(1 - rng.next()) * 4));
    let agentPending = sub;
    for (let c = 0; c < calls; c++) {
      if (rng.chance(0.01)) this.apiError();
      const last = c === calls - 1;
      const tools = last
        ? []
        : agentPending !== undefined
          ? ['Agent']
          : Array.from({ length: rng.chance(0.15) ? rng.int(2, 4) : 1 }, () => rng.weighted(TOOLS));
      const msg = this.call({
        tools,
        sidechain: false,
        agentId: null,
        out: this.out,
        outputs: p.outputs,
        model: this.model,
      });
      for (const tool of msg.toolUses) {
        if (tool.name === 'Agent') {
          const result = this.subagent(agentPending, tool);
          agentPending = undefined;
          this.toolResult(tool, msg.lastUuid, result);
        } else {
          this.tick(100, 30_000);
          this.toolResult(tool, msg.lastUuid);
        }
      }
    }
    if (rng.chance(0.005)) this.synthetic();
    if (rng.chance(0.5))
      this.emit(
        this.env(false, null, {
          type: 'system',
          subtype: 'stop_hook_summary',
          hookCount: 1,
          hookInfos: [{ command: 'node "$CLAUDE_PROJECT_DIR/.claude/spec-session/hook.cjs" Stop' }],
          hookErrors: [],
          preventedContinuation: false,
          stopReason: '',
          hasOutput: false,
          level: 'suggestion',
          timestamp: iso(this.t + 5),
          uuid: rng.uuid(),
          toolUseID: rng.uuid(),
        }),
      );
    if (p.version !== '2.1.34' && rng.chance(0.6))
      this.emit(
        this.env(false, null, {
          type: 'system',
          subtype: 'turn_duration',
          durationMs: rng.int(2_000, 600_000),
          timestamp: iso(this.t + 6),
          uuid: rng.uuid(),
          isMeta: false,
        }),
      );
    if (p.modern)
      this.out.line(
        JSON.stringify({
          type: 'tools-used',
          tools: ['Bash', 'Read', 'Edit'].slice(0, rng.int(1, 3)),
          sessionId: this.sessionId,
          timestamp: iso(this.t + 7),
        }),
      );
    if (this.context > rng.int(140_000, 185_000)) this.compact();
  }

  snapshot(messageId) {
    const { rng } = this;
    const size = Math.min(rng.quantile(SNAPSHOT_QUANTILES), this.room());
    const backups = {};
    const n = Math.max(1, Math.floor(size / 120));
    for (let i = 0; i < n; i++) {
      const v = rng.int(1, 40);
      backups[`src/${rng.pick(IDENTS)}/${rng.pick(IDENTS)}-${i}.ts`] = {
        backupFileName: `${rng.hex(16)}@v${v}`,
        version: v,
        backupTime: iso(this.t - rng.int(0, 3_600_000)),
      };
    }
    this.out.line(
      JSON.stringify({
        type: 'file-history-snapshot',
        messageId,
        snapshot: { messageId, trackedFileBackups: backups, timestamp: iso(this.t) },
        isSnapshotUpdate: rng.chance(0.3),
      }),
    );
  }

  attachments() {
    const { rng } = this;
    if (this.turnsDone === 1 && this.p.modern && this.mainTarget > 150_000) {
      this.emit(
        this.env(false, null, {
          attachment: { type: 'prompt_snapshot', content: poolText(this.pool, rng, rng.int(20_000, 45_000)) },
          type: 'attachment',
          uuid: rng.uuid(),
          timestamp: iso(this.t + 3),
        }),
      );
    }
    for (let i = rng.int(0, 2); i > 0; i--) {
      const kind = rng.pick(['todo_reminder', 'hook_success', 'critical_system_reminder', 'deferred_tools_delta']);
      const attachment =
        kind === 'hook_success'
          ? {
              type: kind,
              hookName: 'UserPromptSubmit',
              toolUseID: rng.uuid(),
              hookEvent: 'UserPromptSubmit',
              content: '',
              stdout: '',
              stderr: '',
              exitCode: 0,
            }
          : kind === 'todo_reminder'
            ? { type: kind, content: [], itemCount: 0 }
            : { type: kind, content: poolText(this.pool, rng, rng.int(100, 2000)) };
      this.emit(
        this.env(false, null, { attachment, type: 'attachment', uuid: rng.uuid(), timestamp: iso(this.t + 4) }),
      );
    }
  }

  /** Usage of one API call, from the conversation's size. */
  usage(model, blocksOut) {
    const { rng } = this;
    const miss = rng.chance(0.04);
    const growth = rng.int(200, 9_000);
    const cacheRead = miss ? 0 : this.context;
    const cacheCreation = miss ? this.context + growth : growth;
    this.context += growth;
    const output = Math.max(12, blocksOut + rng.int(0, 400));
    const input = rng.chance(0.9) ? rng.int(1, 12) : rng.int(100, 6_000);
    const h1 = this.oneHourCache ? cacheCreation : 0;
    return {
      input,
      output,
      cacheCreation,
      cacheRead,
      h1,
      m5: cacheCreation - h1,
      web: rng.chance(0.02) ? rng.int(1, 3) : 0,
      model,
    };
  }

  /** One API call written as one line per content block. Returns the tool uses it made. */
  call({ tools, sidechain, agentId, out, outputs, model, progress }) {
    const { rng, p } = this;
    const blocks = [];
    if (rng.chance(0.35))
      blocks.push({
        type: 'thinking',
        thinking: poolText(this.pool, rng, Math.min(rng.int(200, 6_000), this.room())),
        signature: rng.b62(rng.int(300, 1_200)),
      });
    if (tools.length === 0 || rng.chance(0.6))
      blocks.push({ type: 'text', text: poolText(this.pool, rng, rng.int(40, tools.length === 0 ? 3_000 : 600)) });
    const toolUses = [];
    for (const name of tools) {
      const id = `toolu_01${rng.b62(22)}`;
      const input = this.toolInput(name);
      blocks.push({ type: 'tool_use', id, name, input });
      toolUses.push({ id, name, input });
    }
    let outChars = 0;
    for (const b of blocks) outChars += (b.thinking ?? b.text ?? JSON.stringify(b.input)).length;
    const u = this.usage(model, Math.round(outChars / 3.5));
    const t = this.tick(1_500, 90_000);
    const callTime = t % DAY_MS > DAY_MS - 10_000 ? t - 10_000 : t; // all blocks of a call on one UTC day
    const msgId = `msg_01${rng.b62(22)}`;
    const requestId = this.gateway ? null : `req_011C${rng.b62(20)}`;
    const requestRef = rng.uuid();
    if (p.modern && !sidechain)
      out.line(
        JSON.stringify({
          type: 'api-request',
          id: requestRef,
          timestamp: iso(callTime - 1_000),
          sessionId: this.sessionId,
          model,
          querySource: 'repl_main_thread',
        }),
      );
    const stop = tools.length ? 'tool_use' : 'end_turn';
    const max = { input: u.input, output: 0, cacheCreation: u.cacheCreation, cacheRead: u.cacheRead };
    let lastUuid = null;
    let lastText = null;
    for (let i = 0; i < blocks.length; i++) {
      const isLast = i === blocks.length - 1;
      const output = outputs === 'final' || (outputs === 'last' && isLast) ? u.output : rng.int(1, 8);
      max.output = Math.max(max.output, output);
      const uuid = rng.uuid();
      const ts = iso(callTime + i * rng.int(1, 40));
      const line = p.modern
        ? this.env(sidechain, agentId, {
            message: {
              id: msgId,
              type: 'message',
              role: 'assistant',
              model,
              content: [blocks[i]],
              stop_reason: stop,
              stop_sequence: null,
              usage: {
                input_tokens: u.input,
                cache_creation_input_tokens: u.cacheCreation,
                cache_read_input_tokens: u.cacheRead,
                output_tokens: output,
                output_tokens_details: { thinking_tokens: 0 },
                server_tool_use: { web_search_requests: u.web, web_fetch_requests: 0 },
                service_tier: 'standard',
                cache_creation: { ephemeral_1h_input_tokens: u.h1, ephemeral_5m_input_tokens: u.m5 },
                inference_geo: '',
                iterations: [],
                speed: 'standard',
                fallback_credit: null,
              },
              stop_details: null,
            },
            apiBlockIndex: i,
            ...(requestId ? { requestId } : {}),
            requestRef,
            requestedModel: model,
            promptCacheRequested: this.oneHourCache ? '1h' : '5m',
            ...(sidechain ? { attributionAgent: 'general-purpose' } : {}),
            type: 'assistant',
            uuid,
            timestamp: ts,
            effort: 'medium',
            perTurnEffort: 'medium',
            madeBy: 'model',
          })
        : this.env(sidechain, agentId, {
            message: {
              model,
              id: msgId,
              type: 'message',
              role: 'assistant',
              content: [blocks[i]],
              stop_reason: isLast || outputs === 'final' ? stop : null,
              stop_sequence: null,
              usage: {
                input_tokens: u.input,
                cache_creation_input_tokens: u.cacheCreation,
                cache_read_input_tokens: u.cacheRead,
                ...(this.noSplit
                  ? {}
                  : { cache_creation: { ephemeral_5m_input_tokens: u.m5, ephemeral_1h_input_tokens: u.h1 } }),
                output_tokens: output,
                service_tier: 'standard',
                ...(u.web ? { server_tool_use: { web_search_requests: u.web, web_fetch_requests: 0 } } : {}),
              },
            },
            ...(requestId ? { requestId } : {}),
            type: 'assistant',
            uuid,
            timestamp: ts,
          });
      lastText = this.emit(line, out);
      lastUuid = uuid;
      if (progress) progress(line);
      if (rng.chance(0.0008)) out.line(lastText.slice(0, lastText.indexOf('"usage"') + rng.int(8, 60))); // a torn line
    }
    this.lastAssistantLine = lastText;
    this.expected.add(callTime, model, max);
    this.count(model, u);
    this.context += Math.round(outChars / 3.5);
    return { toolUses, lastUuid };
  }

  /** Adds a call to the session's own cumulative count (what cost-state lines show). */
  count(model, u) {
    const cm = this.costModels.get(model) ?? {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheCreation1h: 0,
    };
    cm.inputTokens += u.input;
    cm.outputTokens += u.output;
    cm.cacheReadInputTokens += u.cacheRead;
    cm.cacheCreationInputTokens += u.cacheCreation;
    cm.cacheCreation1h += u.h1;
    this.costModels.set(model, cm);
  }

  toolInput(name) {
    const { rng } = this;
    const file = `${this.cwd}/src/${rng.pick(IDENTS)}/${rng.pick(IDENTS)}.ts`;
    switch (name) {
      case 'Agent':
        return {
          description: this.sentence().slice(0, 40),
          prompt: poolText(this.pool, rng, rng.int(200, 2_500)),
          subagent_type: rng.pick(['general-purpose', 'Explore', 'Plan']),
          run_in_background: false,
        };
      case 'Bash':
        return { command: `npm test -- ${rng.pick(IDENTS)}`, description: 'Run the tests' };
      case 'Edit':
        return {
          file_path: file,
          old_string: poolText(this.pool, rng, Math.min(rng.int(20, 3_000), this.room())),
          new_string: poolText(this.pool, rng, Math.min(rng.int(20, 4_000), this.room())),
          replace_all: false,
        };
      case 'Write':
        return { file_path: file, content: poolText(this.pool, rng, Math.min(rng.int(200, 25_000), this.room())) };
      case 'Grep':
        return { pattern: rng.pick(IDENTS), path: this.cwd, output_mode: 'content', '-n': true };
      case 'Glob':
        return { pattern: `src/**/*${rng.pick(IDENTS)}*.ts` };
      case 'TodoWrite':
        return {
          todos: Array.from({ length: rng.int(2, 8) }, () => ({
            content: this.sentence(),
            status: rng.pick(['pending', 'in_progress', 'completed']),
            activeForm: this.sentence(),
          })),
        };
      case 'WebFetch':
        return { url: `https://docs.example.com/${rng.pick(IDENTS)}`, prompt: this.sentence() };
      case 'WebSearch':
        return { query: this.sentence().slice(0, 60) };
      default:
        return { file_path: file };
    }
  }

  toolResult(tool, parentAssistant, agentResult) {
    const { rng, p } = this;
    const size = agentResult ? rng.int(500, 6_000) : Math.min(rng.quantile(TOOL_RESULT_QUANTILES), this.room());
    let text = poolText(this.pool, rng, size);
    let toolUseResult;
    if (agentResult) {
      text += `\n<usage>subagent_tokens: ${agentResult.totalTokens}\ntool_uses: ${agentResult.toolUses}\nduration_ms: ${agentResult.durationMs}</usage>`;
      toolUseResult = {
        status: 'completed',
        prompt: tool.input.prompt,
        agentId: agentResult.agentId,
        agentType: tool.input.subagent_type,
        content: [{ type: 'text', text }],
        totalDurationMs: agentResult.durationMs,
        totalTokens: agentResult.totalTokens,
        totalToolUseCount: agentResult.toolUses,
        usage: agentResult.lastUsage,
      };
    } else if (tool.name === 'Read') {
      toolUseResult = {
        type: 'text',
        file: {
          filePath: tool.input.file_path,
          content: text,
          numLines: text.split('\n').length,
          startLine: 1,
          totalLines: rng.int(50, 3000),
        },
      };
    } else if (tool.name === 'Bash') {
      toolUseResult = { stdout: text, stderr: '', interrupted: false, isImage: false, noOutputExpected: false };
    } else if (tool.name === 'Edit') {
      toolUseResult = {
        filePath: tool.input.file_path,
        oldString: tool.input.old_string,
        newString: tool.input.new_string,
        originalFile: text,
        structuredPatch: [],
        userModified: false,
        replaceAll: false,
      };
      text = `The file ${tool.input.file_path} has been updated.`;
    } else {
      toolUseResult = { type: 'text', content: text.slice(0, 2_000) };
    }
    this.context += Math.round(text.length / 3.8);
    const isError = rng.chance(0.03);
    const body = {
      ...(p.modern ? { promptId: rng.uuid() } : {}),
      type: 'user',
      message: {
        role: 'user',
        content: [
          {
            tool_use_id: tool.id,
            type: 'tool_result',
            content: isError ? `<tool_use_error>${text.slice(0, 300)}</tool_use_error>` : text,
            ...(isError ? { is_error: true } : {}),
          },
        ],
      },
      uuid: rng.uuid(),
      timestamp: iso(this.t),
      toolUseResult,
      sourceToolAssistantUUID: parentAssistant,
    };
    this.emit(this.env(false, null, body));
  }

  apiError() {
    const { rng } = this;
    this.emit(
      this.env(false, null, {
        type: 'system',
        subtype: 'api_error',
        level: 'error',
        error: {
          status: rng.pick([500, 529, 429]),
          headers: {},
          requestID: null,
          error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
        },
        retryInMs: rng.int(500, 30_000),
        retryAttempt: rng.int(1, 4),
        maxRetries: 10,
        timestamp: iso(this.tick(500, 20_000)),
        uuid: rng.uuid(),
      }),
    );
  }

  synthetic() {
    const { rng } = this;
    this.emit(
      this.env(false, null, {
        message: {
          id: rng.uuid(),
          model: '<synthetic>',
          role: 'assistant',
          stop_reason: 'stop_sequence',
          stop_sequence: '',
          type: 'message',
          usage: {
            input_tokens: 0,
            output_tokens: 0,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
            server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
            service_tier: null,
            cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
          },
          content: [
            {
              type: 'text',
              text: 'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}',
            },
          ],
        },
        type: 'assistant',
        uuid: rng.uuid(),
        timestamp: iso(this.tick(100, 2_000)),
        isApiErrorMessage: true,
      }),
    );
  }

  compact() {
    const { rng, p } = this;
    const pre = this.context;
    this.tick(10_000, 90_000);
    const boundary = rng.uuid();
    const logical = this.parent;
    this.parent = null;
    this.emit(
      this.env(false, null, {
        logicalParentUuid: logical,
        type: 'system',
        subtype: 'compact_boundary',
        content: 'Conversation compacted',
        isMeta: false,
        timestamp: iso(this.t),
        uuid: boundary,
        level: 'info',
        compactMetadata: {
          trigger: rng.pick(['auto', 'manual']),
          preTokens: pre,
          durationMs: rng.int(20_000, 90_000),
          postTokens: rng.int(3_000, 9_000),
          cumulativeDroppedTokens: 0,
        },
      }),
    );
    this.emit(
      this.env(false, null, {
        type: 'user',
        message: {
          role: 'user',
          content: `This session is being continued from a previous conversation that ran out of context. Summary:\n${poolText(this.pool, rng, rng.int(3_000, 12_000))}`,
        },
        isVisibleInTranscriptOnly: true,
        isCompactSummary: true,
        uuid: rng.uuid(),
        timestamp: iso(this.t + 1),
      }),
    );
    this.context = rng.int(15_000, 35_000);
    if (p.modern) {
      // 2.1.331 never writes the compaction summary call as a line; only cost-state counts it.
      const u = {
        input: rng.int(3, 40),
        output: rng.int(800, 5_000),
        cacheCreation: rng.int(0, 3_000),
        cacheRead: pre,
        h1: 0,
      };
      this.count(this.model, u);
      this.expected.add(this.t, this.model, u, true);
    }
    // 2.1.x before 2.1.331 wrote the compaction call as an agent-acompact file (a billed call).
    if (!p.modern && rng.chance(0.5)) {
      const id = `acompact-${rng.hex(16)}`;
      const file = path.join(this.dir, this.sessionId, 'subagents', `agent-${id}.jsonl`);
      const out = new LineWriter(file);
      this.files.push(file);
      const saved = { parent: this.parent, t: this.t, context: this.context };
      this.parent = null;
      this.t -= 30_000;
      this.context = pre;
      this.emit(
        this.env(true, id, {
          type: 'user',
          message: { role: 'user', content: poolText(this.pool, rng, rng.int(2_000, 20_000)) },
          uuid: rng.uuid(),
          timestamp: iso(this.t),
        }),
        out,
      );
      this.call({ tools: [], sidechain: true, agentId: id, out, outputs: 'final', model: this.model });
      out.close();
      Object.assign(this, saved);
    }
  }

  costState() {
    const modelUsage = {};
    for (const [model, m] of this.costModels) {
      modelUsage[model] = {
        inputTokens: m.inputTokens,
        outputTokens: m.outputTokens,
        thinkingTokens: 0,
        cacheReadInputTokens: m.cacheReadInputTokens,
        cacheCreationInputTokens: m.cacheCreationInputTokens,
        cacheCreationEphemeral5mInputTokens: m.cacheCreationInputTokens - m.cacheCreation1h,
        cacheCreationEphemeral1hInputTokens: m.cacheCreation1h,
        webSearchRequests: 0,
        costUSD: 0,
      };
    }
    this.out.line(
      JSON.stringify({
        type: 'cost-state',
        sessionId: this.sessionId,
        totalCostUSD: 0,
        totalAPIDuration: this.rng.int(1_000, 900_000),
        totalAPIDurationWithoutRetries: 0,
        totalToolDuration: 0,
        totalLinesAdded: 0,
        totalLinesRemoved: 0,
        totalDuration: 0,
        startTime: this.start,
        modelUsage,
        hasUnknownModelCost: false,
      }),
    );
  }

  /** A subagent run: its own file (and, in 2.1.3x, progress lines in the main file). */
  subagent(target, tool) {
    const { rng, p } = this;
    const agentId = `a${rng.hex(16)}`;
    const dir = path.join(this.dir, this.sessionId, 'subagents');
    const file = path.join(dir, `agent-${agentId}.jsonl`);
    const model = rng.chance(0.5) ? this.model : rng.weighted(MODELS_SUBAGENT);
    const out = new LineWriter(file);
    this.files.push(file);
    fs.writeFileSync(
      path.join(dir, `agent-${agentId}.meta.json`),
      JSON.stringify({
        agentType: tool.input.subagent_type,
        isBuiltIn: true,
        description: tool.input.description,
        toolUseId: tool.id,
        spawnDepth: 1,
        requestShape: 'foreground',
        model,
        finished: true,
      }),
    );
    const saved = { parent: this.parent, context: this.context, curOut: this.curOut, curTarget: this.curTarget };
    this.curOut = out;
    this.curTarget = target;
    const started = this.t;
    this.parent = null;
    this.context = rng.int(8_000, 20_000);
    this.emit(
      this.env(true, agentId, {
        type: 'user',
        message: { role: 'user', content: tool.input.prompt },
        uuid: rng.uuid(),
        timestamp: iso(this.t),
      }),
      out,
    );
    const mainOut = this.out;
    const progress = p.progress
      ? (line) => {
          const normalized = (this.recentSub ??= []);
          mainOut.line(
            JSON.stringify(
              this.env(false, null, {
                type: 'progress',
                data: {
                  message: {
                    type: 'assistant',
                    message: line.message,
                    requestId: line.requestId,
                    uuid: line.uuid,
                    timestamp: line.timestamp,
                  },
                  normalizedMessages: normalized.slice(-4),
                  type: 'agent_progress',
                  prompt: tool.input.prompt,
                  agentId,
                },
                toolUseID: `agent_msg_01${rng.b62(22)}`,
                parentToolUseID: tool.id,
                uuid: rng.uuid(),
                timestamp: line.timestamp,
              }),
            ),
          );
          normalized.push({ type: 'assistant', message: line.message, uuid: line.uuid, timestamp: line.timestamp });
        }
      : undefined;
    this.recentSub = [];
    let toolUses = 0;
    let lastUsage = null;
    let tokens = 0;
    while (out.chars < target) {
      const tools = rng.chance(0.85) ? [rng.weighted(TOOLS)] : [];
      const msg = this.call({ tools, sidechain: true, agentId, out, outputs: p.subOutputs, model, progress });
      tokens = this.context;
      for (const t of msg.toolUses) {
        toolUses++;
        this.tick(100, 10_000);
        const text = poolText(this.pool, rng, Math.min(rng.quantile(TOOL_RESULT_QUANTILES), this.room()));
        this.context += Math.round(text.length / 3.8);
        const res = {
          type: 'user',
          message: { role: 'user', content: [{ tool_use_id: t.id, type: 'tool_result', content: text }] },
          uuid: rng.uuid(),
          timestamp: iso(this.t),
          toolUseResult: { stdout: text.slice(0, 1_000), stderr: '', interrupted: false, isImage: false },
          sourceToolAssistantUUID: msg.lastUuid,
        };
        this.emit(this.env(true, agentId, res), out);
        if (p.progress && rng.chance(0.3))
          mainOut.line(
            JSON.stringify(
              this.env(false, null, {
                type: 'progress',
                data: {
                  type: 'bash_progress',
                  output: text.slice(0, 200),
                  fullOutput: text.slice(0, 2_000),
                  elapsedTimeSeconds: rng.int(1, 30),
                  totalLines: rng.int(1, 400),
                },
                toolUseID: `bash-progress-${rng.int(0, 99)}`,
                parentToolUseID: t.id,
                uuid: rng.uuid(),
                timestamp: iso(this.t),
              }),
            ),
          );
      }
    }
    this.call({ tools: [], sidechain: true, agentId, out, outputs: p.subOutputs, model, progress });
    const last = JSON.parse(this.lastAssistantLine);
    lastUsage = last.message.usage;
    out.close();
    this.recentSub = null;
    const durationMs = this.t - started;
    Object.assign(this, saved);
    return { agentId, totalTokens: tokens, toolUses, durationMs, lastUsage };
  }
}
