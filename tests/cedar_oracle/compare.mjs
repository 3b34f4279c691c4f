#!/usr/bin/env node
// Diffs two answer files (JSONL {id, decision, reasons, errors[, failure]}), e.g. cedar-wasm's
// (oracle.mjs) against pactum's. Compares, per id: decision, and the reasons and errors as sets
// of policy ids; `failure` messages are not compared (only that both sides refused the case).
// Prints the first mismatches and the totals; exit status 1 on any mismatch or missing answer.
//
// Usage: node compare.mjs EXPECTED.jsonl ACTUAL.jsonl [--show 20]
import { readJsonl } from '../../bench/cedar/lib.mjs';

const args = process.argv.slice(2);
const si = args.indexOf('--show');
const show = si >= 0 ? Number(args.splice(si, 2)[1]) : 20;
const [expFile, actFile] = args;
if (!expFile || !actFile) {
  console.error('usage: node compare.mjs EXPECTED.jsonl ACTUAL.jsonl [--show N]');
  process.exit(2);
}

const key = (a) => JSON.stringify([a.decision, [...(a.reasons ?? [])].sort(), [...(a.errors ?? [])].sort()]);
const expected = new Map();
for await (const a of readJsonl(expFile)) expected.set(a.id, a);

const t = { expected: expected.size, answered: 0, match: 0, decisionMismatch: 0, diagnosticsMismatch: 0, unknownId: 0, missing: 0 };
const printed = [];
const report = (kind, id, exp, act) => {
  if (printed.length < show) printed.push({ kind, id, expected: exp, actual: act });
};
for await (const a of readJsonl(actFile)) {
  t.answered++;
  const e = expected.get(a.id);
  if (!e) {
    t.unknownId++;
    report('unknown id', a.id, null, a);
    continue;
  }
  expected.delete(a.id);
  if (key(e) === key(a)) t.match++;
  else if (e.decision !== a.decision) {
    t.decisionMismatch++;
    report('decision', a.id, e, a);
  } else {
    t.diagnosticsMismatch++; // same decision, different reasons or erroring policies
    report('reasons/errors', a.id, e, a);
  }
}
t.missing = expected.size;
for (const id of [...expected.keys()].slice(0, Math.max(0, show - printed.length))) report('missing', id, expected.get(id), null);

for (const p of printed) console.log(JSON.stringify(p));
console.log(JSON.stringify(t));
const ok = t.match === t.expected && t.unknownId === 0 && t.answered === t.expected;
console.log(ok ? 'OK: all answers match' : 'MISMATCH');
process.exit(ok ? 0 : 1);
