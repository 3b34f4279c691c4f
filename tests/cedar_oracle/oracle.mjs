#!/usr/bin/env node
// Answers differential-test cases with Cedar's own engine (@cedar-policy/cedar-wasm, pinned in
// bench/cedar/package.json) and prints the decision distribution as JSON on stdout.
//
// Usage: node --max-opt=2 oracle.mjs CASES.jsonl ANSWERS.jsonl   (flag: see run.sh)
//   case:   {id, policies, entities, schema?, principal, action, resource, context}
//   answer: {id, decision, reasons, errors[, failure]}  (see README.md)
// Each case: preparsePolicySet (policies parsed per case) + statefulIsAuthorized. Schemas are
// pre-parsed once per distinct text and reused (schema parsing costs milliseconds in wasm and
// the random cases share one schema); this gives the same answers as isAuthorized. With a
// schema, entities and context are parsed schema-directed and the request is validated
// (validateRequest: true).
import { cedar, readJsonl, jsonlWriter, normalizeAnswer } from '../../bench/cedar/lib.mjs';

const [casesFile, answersFile] = process.argv.slice(2);
if (!casesFile || !answersFile) {
  console.error('usage: node oracle.mjs CASES.jsonl ANSWERS.jsonl');
  process.exit(2);
}

const w = jsonlWriter(answersFile);
const dist = { cases: 0, allow: 0, deny: 0, failure: 0, withErrors: 0, allowWithErrors: 0, denyWithErrors: 0,
  random: { allow: 0, deny: 0, failure: 0, withErrors: 0 }, mutated: { allow: 0, deny: 0, failure: 0, withErrors: 0 } };
const failureKinds = {};
const errorKinds = {}; // evaluation-error messages, bucketed, to show which kinds of error occur
// Bucket a message: quoted parts blanked, up to the first colon.
const bump = (m, msg) => {
  const k = msg.replace(/`[^`]*`/g, '`_`').replace(/"(\\.|[^"\\])*"/g, '"_"').split(':')[0].slice(0, 70);
  m[k] = (m[k] ?? 0) + 1;
};
const schemas = new Map(); // schema text -> preparsed name, or the failure answer
const failed = (errs) => ({ decision: 'failure', reasons: [], errors: [], failure: errs.map((e) => e.message) });

function decide(c) {
  const p = cedar.preparsePolicySet('case', { staticPolicies: c.policies });
  if (p.type !== 'success') return failed(p.errors);
  const call = { principal: c.principal, action: c.action, resource: c.resource, context: c.context,
    preparsedPolicySetId: 'case', entities: c.entities };
  if (c.schema != null) {
    if (!schemas.has(c.schema)) {
      const name = `s${schemas.size}`;
      const s = cedar.preparseSchema(name, c.schema);
      schemas.set(c.schema, s.type === 'success' ? name : failed(s.errors));
    }
    const s = schemas.get(c.schema);
    if (typeof s !== 'string') return s;
    Object.assign(call, { preparsedSchemaName: s, validateRequest: true });
  }
  const raw = cedar.statefulIsAuthorized(call);
  if (raw.type === 'success') {
    for (const e of raw.response.diagnostics.errors) bump(errorKinds, e.error.message);
  }
  return normalizeAnswer(raw);
}
const t0 = Date.now();
for await (const c of readJsonl(casesFile)) {
  let a;
  try {
    a = decide(c);
  } catch (e) { // cedar-wasm itself threw (should not happen); record it as a failure
    a = { decision: 'failure', reasons: [], errors: [], failure: [`exception: ${e.message}`] };
  }
  w.write({ id: c.id, ...a });
  dist.cases++;
  dist[a.decision]++;
  const kind = c.id.startsWith('m') ? dist.mutated : dist.random;
  kind[a.decision]++;
  if (a.errors.length) {
    dist.withErrors++;
    kind.withErrors++;
    dist[`${a.decision}WithErrors`]++;
  }
  if (a.failure) bump(failureKinds, a.failure[0]);
}
w.close();
const top = (m) => Object.fromEntries(Object.entries(m).sort((x, y) => y[1] - x[1]).slice(0, 15));
console.log(JSON.stringify({ ...dist, seconds: (Date.now() - t0) / 1000, failureKinds: top(failureKinds), errorKinds: top(errorKinds) }, null, 1));
