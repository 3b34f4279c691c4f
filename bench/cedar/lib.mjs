// Small shared helpers for the Cedar peer scripts (bench/cedar and tests/cedar_oracle).
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// Cedar Longs are 64-bit; a JS number holds integers exactly only up to 2^53, and the corpus has
// larger ones. parseJson() turns such integer literals into sentinel strings, and JSON.stringify
// (patched below, process-wide) turns the sentinels back into the exact digits. cedar-wasm
// JSON.stringify()s its argument, so the exact integers reach Cedar, and JSONL writers emit
// them verbatim. (Node 20's JSON.rawJSON would do this natively, but only behind a V8 harmony
// flag.) The patch costs one substring scan per cedar-wasm call (~0.1 µs for 5 KB).
const BIG = '\u0000int:';
export const bigInt = (digits) => BIG + digits; // a Long that JSON.stringify emits as digits
const UNSAFE = /"(?:\\.|[^"\\])*"|-?\d{16,}(?![.eE\d])/g; // strings are matched to be skipped
export function parseJson(text) {
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return JSON.parse(text.replace(UNSAFE, (t) => (t[0] === '"' || Number.isSafeInteger(Number(t)) ? t : `"\\u0000int:${t}"`)));
}
const stringify = JSON.stringify;
const SENTINEL = /"\\u0000int:(-?\d+)"/g;
JSON.stringify = function (value, replacer, space) {
  const out = stringify(value, replacer, space);
  return typeof out === 'string' && out.includes('\\u0000int:') ? out.replace(SENTINEL, '$1') : out;
};

// cedar-wasm's "nodejs" build loads the .wasm synchronously with fs; the version is pinned in
// bench/cedar/package.json, so tests/cedar_oracle resolves it from here as well.
export const cedar = createRequire(path.join(here, 'package.json'))('@cedar-policy/cedar-wasm/nodejs');

// Shared data lives next to the project root (../shared/data); PACTUM_SHARED_DATA overrides.
export const DATA_DIR = process.env.PACTUM_SHARED_DATA ?? path.resolve(here, '../../../shared/data');

export function requirePath(p) {
  if (!fs.existsSync(p)) {
    console.error(`missing input: ${p}`);
    process.exit(2);
  }
  return p;
}

// Untars Cedar's fuzz corpus into BUILD_DIR/cedar-corpus (once) and returns that folder; the
// tests inside name their files relative to it ("corpus-tests/<hash>.cedar").
export function untarCorpus(buildDir) {
  const tarball = requirePath(path.join(DATA_DIR, 'cedar', 'corpus-tests.tar.gz'));
  const dest = path.join(buildDir, 'cedar-corpus');
  if (!fs.existsSync(dest)) {
    // untar next to it, then rename: an interrupted untar never looks complete
    const tmp = `${dest}.tmp${process.pid}`;
    fs.mkdirSync(tmp, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', tmp]);
    fs.renameSync(tmp, dest);
  }
  return dest;
}

// Lists the corpus test files (the <hash>.json that are not <hash>.entities.json), sorted so
// every generator sees them in the same order.
export function corpusTests(corpusDir) {
  return fs.readdirSync(path.join(corpusDir, 'corpus-tests'))
    .filter((f) => f.endsWith('.json') && !f.endsWith('.entities.json'))
    .sort()
    .map((f) => path.join(corpusDir, 'corpus-tests', f));
}

// Deterministic PRNG (mulberry32): the generators must produce identical files for a seed.
export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = () => next();
  rng.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  rng.pick = (arr) => arr[Math.floor(next() * arr.length)];
  rng.chance = (p) => next() < p;
  rng.shuffle = (arr) => {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  };
  rng.subset = (arr, max) => rng.shuffle([...arr]).slice(0, rng.int(0, Math.min(max, arr.length)));
  return rng;
}

export async function* readJsonl(file) {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) yield parseJson(line);
}

// Buffered JSONL writer (one write per ~1 MB instead of per line).
export function jsonlWriter(file) {
  const fd = fs.openSync(file, 'w');
  let buf = [];
  let size = 0;
  const flush = () => {
    if (buf.length) fs.writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  return {
    write(obj) {
      const s = JSON.stringify(obj) + '\n';
      buf.push(s);
      size += s.length;
      if (size > 1 << 20) flush();
    },
    close() {
      flush();
      fs.closeSync(fd);
    },
  };
}

// Normalizes a cedar-wasm AuthorizationAnswer to the corpus's vocabulary:
// {decision: "allow"|"deny"|"failure", reasons: [...policy ids], errors: [...policy ids]}.
// "failure" = cedar-wasm refused the call (parse error in policies/entities/context/schema, or
// request validation failed); its messages go in `failure`, which comparisons ignore.
export function normalizeAnswer(ans) {
  if (ans.type !== 'success') {
    return { decision: 'failure', reasons: [], errors: [], failure: ans.errors.map((e) => e.message) };
  }
  const d = ans.response.diagnostics;
  return {
    decision: ans.response.decision,
    reasons: [...d.reason].sort(),
    errors: [...new Set(d.errors.map((e) => e.policyId))].sort(),
  };
}

// Removes `--name VALUE` from `args` (an argv slice) and returns VALUE, or `dflt` when absent.
export function takeOption(args, name, dflt) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
}
