#!/usr/bin/env node
// Measures @cedar-policy/cedar-wasm `statefulIsAuthorized` per decision on a workload written by
// gen_workload.mjs, and prints one JSON summary per mode on stdout.
//
// Usage: node run_wasm.mjs WORKLOAD.jsonl [--modes json,floor] [--seconds 20] [--no-schema]
//   json       (mode i) entities passed with every call, as the API requires: cedar-wasm
//              JSON.stringify()s the call object and parses it (entities included) in Rust
//              each time; policy set and schema pre-parsed (preparsePolicySet/preparseSchema).
//   preloaded  (mode ii) not available in cedar-wasm 4.13: there is no call that caches an
//              entity store (only policy sets and schemas can be pre-parsed). Requesting it
//              prints {"supported": false}.
//   floor      NOT the same decisions: the same calls with `entities: []`, i.e. the fixed
//              per-call cost (call marshalling, request building/validation, policy evaluation
//              against an empty store). Only to show how much of `json` is entity parsing.
//   --seconds  time budget per mode (default 20; keep runs short on the shared machine): one
//              full timed pass over the workload always, further passes (at most 3 in all)
//              while the budget lasts.
//   --no-schema  ignore the workload's schemas (no schema-directed entity parsing, no request
//              validation); by default the schema is used as the workload says.
//
// Before timing, every request is decided once (this is also the warm-up) and the decisions
// are tallied; where the workload carries expected answers (the corpus), the agreement count
// is reported: decision only, and decision + reasons + erroring policy ids.
import os from 'node:os';
import { cedar, readJsonl, normalizeAnswer, takeOption } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => takeOption(args, name, dflt);
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args.splice(i, 1), true) : false;
};
const modes = opt('modes', 'json').split(',');
const seconds = Number(opt('seconds', '20'));
const noSchema = flag('no-schema');
const file = args[0];
if (!file) {
  console.error('usage: node run_wasm.mjs WORKLOAD.jsonl [--modes json,preloaded,floor] [--seconds N] [--no-schema]');
  process.exit(2);
}

// ---- load: pre-parse policy sets and schemas, build one call object per request -------------
let header = {};
const entities = new Map(); // entities id -> array
const psets = new Map(); // policies id -> cedar-wasm cache id
const setupFailures = new Map(); // policies id -> messages
const hasSchema = new Set();
const requests = [];
let n = 0;
for await (const rec of readJsonl(file)) {
  if (rec.kind === 'workload') header = rec;
  else if (rec.kind === 'policies') {
    const id = `w${n++}`; // short cache keys; the workload's ids can be long paths
    rec.cacheId = id;
    const p = cedar.preparsePolicySet(id, { staticPolicies: rec.text });
    if (p.type !== 'success') setupFailures.set(rec.id, p.errors.map((e) => e.message));
    if (rec.schema != null && !noSchema) {
      const s = cedar.preparseSchema(id, rec.schemaJson ?? rec.schema);
      if (s.type !== 'success') setupFailures.set(rec.id, s.errors.map((e) => e.message));
      else hasSchema.add(id);
    }
    psets.set(rec.id, id);
  } else if (rec.kind === 'entities') entities.set(rec.id, rec.entities);
  else if (rec.kind === 'request') {
    const pid = psets.get(rec.policies);
    const call = {
      principal: rec.principal, action: rec.action, resource: rec.resource, context: rec.context,
      preparsedPolicySetId: pid, entities: entities.get(rec.entities),
    };
    if (hasSchema.has(pid)) {
      call.preparsedSchemaName = pid;
      call.validateRequest = rec.validateRequest ?? true;
    }
    requests.push({ id: rec.id, call, expect: rec.expect, setupFailed: setupFailures.has(rec.policies) });
  }
}

// ---- correctness pass (also the warm-up) -------------------------------------------------------
const tally = { allow: 0, deny: 0, failure: 0, withErrors: 0 };
let expected = 0, decisionMatch = 0, fullMatch = 0;
const mismatches = [];
const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
for (const r of requests) {
  const a = normalizeAnswer(cedar.statefulIsAuthorized(r.call));
  tally[a.decision]++;
  if (a.errors.length) tally.withErrors++;
  if (r.expect) {
    expected++;
    if (a.decision === r.expect.decision) decisionMatch++;
    if (a.decision === r.expect.decision && same(a.reasons, r.expect.reason) && same(a.errors, r.expect.errors)) fullMatch++;
    else if (mismatches.length < 5) mismatches.push({ id: r.id, got: a, expect: r.expect });
  }
}

// ---- timed passes --------------------------------------------------------------------------------
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function timeMode(makeCall) {
  const calls = requests.map((r) => makeCall(r.call));
  // short second warm-up on this mode's call shape
  for (let i = 0; i < Math.min(calls.length, 1000); i++) cedar.statefulIsAuthorized(calls[i]);
  const samples = [];
  const cpu0 = process.cpuUsage();
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let passes = 0;
  outer: while (passes < 3) {
    for (const c of calls) {
      const t0 = process.hrtime.bigint();
      cedar.statefulIsAuthorized(c);
      samples.push(Number(process.hrtime.bigint() - t0));
      if (passes >= 1 && process.hrtime.bigint() > deadline) break outer;
    }
    passes++;
    if (process.hrtime.bigint() > deadline) break;
  }
  // CPU time per decision: immune to the waits for a core that inflate wall-clock samples on a
  // loaded machine (but counts all of the process's threads, e.g. GC helpers).
  const cpu = process.cpuUsage(cpu0);
  const sorted = Float64Array.from(samples).sort();
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { count: samples.length, passes: +(samples.length / calls.length).toFixed(2), median_ns: percentile(sorted, 50), p99_ns: percentile(sorted, 99),
    mean_ns: Math.round(mean), min_ns: sorted[0], max_ns: sorted[sorted.length - 1],
    cpu_mean_ns: Math.round(((cpu.user + cpu.system) * 1000) / samples.length) };
}

const base = {
  workload: header.name ?? file, cedarWasm: cedar.getCedarVersion(), node: process.version,
  cpus: os.cpus().length, loadavg: os.loadavg().map((x) => +x.toFixed(2)), // the machine is shared: context for the numbers
  requests: requests.length, schema: !noSchema, decisions: tally,
  setupFailedRequests: requests.filter((r) => r.setupFailed).length,
};
if (expected) Object.assign(base, { expected, decisionMatch, fullMatch, firstMismatches: mismatches });
for (const mode of modes) {
  let out;
  if (mode === 'json') out = timeMode((c) => c);
  else if (mode === 'floor') out = timeMode((c) => ({ ...c, entities: [] }));
  else if (mode === 'preloaded') out = { supported: false, why: 'cedar-wasm 4.13 has no API to pre-load entities; statefulIsAuthorized takes them per call' };
  else throw new Error(`unknown mode ${mode}`);
  console.log(JSON.stringify({ ...base, mode, ...out }));
}
