#!/usr/bin/env node
// Writes the Cedar benchmark workloads (format: README.md) into OUT_DIR:
//   <app>-<n>.jsonl   for app in gdrive, github, tinytodo and n in 5, 10, 20, 50: the app's
//                     policies and schema, then REQUESTS requests, each with its own generated
//                     entity slice of exactly n (non-action) entities conforming to the schema;
//   corpus.jsonl      every request of Cedar's fuzz corpus (corpus-tests.tar.gz, untarred into
//                     OUT_DIR/cedar-corpus), with the expected answers;
//   handwritten.jsonl every request of Cedar's hand-written integration tests (cedar/tests).
// Usage: node gen_workload.mjs OUT_DIR [--seed 1] [--requests 500] [--sizes 5,10,20,50]
// The output depends only on the seed and the inputs.
import fs from 'node:fs';
import path from 'node:path';
import { cedar, DATA_DIR, requirePath, untarCorpus, corpusTests, makeRng, jsonlWriter, parseJson, takeOption } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => takeOption(args, name, dflt);
const seed = Number(opt('seed', '1'));
const perSize = Number(opt('requests', '500'));
const sizes = opt('sizes', '5,10,20,50').split(',').map(Number);
const outDir = args[0];
if (!outDir) {
  console.error('usage: node gen_workload.mjs OUT_DIR [--seed N] [--requests N] [--sizes 5,10,20,50]');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const APPS = {
  gdrive: ['gdrive/cedar/policies.cedar', 'gdrive/cedar/gdrive.cedarschema.json'],
  github: ['github/cedar/policies.cedar', 'github/cedar/github.cedarschema.json'],
  tinytodo: ['tinytodo/cedar/tinytodo.cedar', 'tinytodo/cedar/tinytodo.cedarschema.json'],
};

// ---- OOPSLA apps: schema-driven entity-slice generator ---------------------------------------
// Works for the apps' schemas (one empty namespace, entity/record/set/primitive attributes).
// Each slice holds the request's principal and resource, every entity that a required
// entity-typed attribute points to (so attribute chains like resource.owner.readers never hit a
// missing entity), then random fillers; parents are random within memberOfTypes (same-type
// parents only towards older entities, so the graph is a DAG). Half the requests get a
// "planted" path (principal made a member of something the resource's attributes name, or the
// resource put under something the principal's attributes name, or the resource added to a
// principal's set attribute), so that `in` / `contains` checks are true often enough.
function sliceGenerator(schemaJson, rng) {
  const ns = schemaJson[''];
  const types = ns.entityTypes;
  const actions = Object.keys(ns.actions).filter((a) => ns.actions[a].appliesTo);
  const attrsOf = (t) => types[t].shape?.attributes ?? {};
  const isRequired = (a) => a.required !== false;
  // Entity types that must exist in the slice once an entity of type t exists.
  const needs = (t, acc = new Set()) => {
    const walk = (ty) => {
      if (ty.type === 'Entity' && !acc.has(ty.name)) {
        acc.add(ty.name);
        needs(ty.name, acc);
      } else if (ty.type === 'Record') {
        for (const a of Object.values(ty.attributes)) if (isRequired(a)) walk(a);
      }
    };
    for (const a of Object.values(attrsOf(t))) if (isRequired(a)) walk(a);
    return acc;
  };

  return function slice(n) {
    const action = rng.pick(actions);
    const spec = ns.actions[action].appliesTo;
    const byType = new Map(Object.keys(types).map((t) => [t, []]));
    const all = [];
    const make = (t) => {
      const e = { uid: { type: t, id: `${t.toLowerCase()}-${byType.get(t).length}` }, attrs: {}, parents: [] };
      byType.get(t).push(e);
      all.push(e);
      return e;
    };
    const missing = (t) => [...needs(t)].filter((x) => byType.get(x).length === 0 && x !== t);
    const makeWithNeeds = (t) => {
      const e = make(t);
      for (const x of missing(t)) make(x);
      return e;
    };
    const principal = makeWithNeeds(rng.pick(spec.principalTypes));
    const rType = rng.pick(spec.resourceTypes);
    const resource = byType.get(rType).length && rng.chance(0.1) ? rng.pick(byType.get(rType)) : makeWithNeeds(rType);
    if (all.length > n) throw new Error(`slice of ${n} too small for ${principal.uid.type}/${rType}`);
    while (all.length < n) {
      const fits = Object.keys(types).filter((t) => all.length + 1 + missing(t).length <= n);
      makeWithNeeds(rng.pick(fits));
    }

    const value = (ty) => {
      switch (ty.type) {
        case 'Entity': return { __entity: rng.pick(byType.get(ty.name)).uid };
        case 'Set':
          if (ty.element.type === 'Entity') return rng.subset(byType.get(ty.element.name), 3).map((e) => ({ __entity: e.uid }));
          return Array.from({ length: rng.int(0, 3) }, () => value(ty.element));
        case 'Record': {
          const r = {};
          for (const [k, a] of Object.entries(ty.attributes)) if (isRequired(a) || rng.chance(0.7)) r[k] = value(a);
          return r;
        }
        case 'Boolean': return rng.chance(0.5);
        case 'Long': return rng.int(0, 1000);
        case 'String': return rng.pick(['todo', 'done', 'draft', 'q3 report', 'notes', '']);
        default: throw new Error(`unsupported schema type ${JSON.stringify(ty)}`);
      }
    };
    for (const e of all) {
      const t = e.uid.type;
      e.attrs = value({ type: 'Record', attributes: attrsOf(t) });
      const own = byType.get(t).indexOf(e);
      const cands = all.filter((p) => (types[t].memberOfTypes ?? []).includes(p.uid.type) &&
        (p.uid.type !== t || byType.get(t).indexOf(p) < own));
      e.parents = rng.subset(cands, 2).map((p) => p.uid);
    }

    // Planting (see above). Candidates: entity uids named by x's attributes, one hop deep.
    const named = (x) => {
      const out = [];
      const walk = (v) => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          if (v.__entity) {
            out.push(v.__entity);
            const target = all.find((e) => e.uid.type === v.__entity.type && e.uid.id === v.__entity.id);
            if (target && target !== x) out.push(...Object.values(target.attrs).flatMap((w) => (w?.__entity ? [w.__entity] : [])));
          } else Object.values(v).forEach(walk);
        }
      };
      walk(x.attrs);
      return out;
    };
    const addParent = (child, uid) => {
      const t = child.uid.type;
      if (!(types[t].memberOfTypes ?? []).includes(uid.type)) return false;
      if (uid.type === t) return false; // keep same-type edges acyclic
      if (!child.parents.some((p) => p.type === uid.type && p.id === uid.id)) child.parents.push(uid);
      return true;
    };
    if (rng.chance(0.5)) {
      const plants = [
        () => { const u = rng.pick(named(resource)); return u && addParent(principal, u); },
        () => { const u = rng.pick(named(principal)); return u && addParent(resource, u); },
        () => {
          const sets = Object.entries(attrsOf(principal.uid.type))
            .filter(([, a]) => a.type === 'Set' && a.element.type === 'Entity' && a.element.name === resource.uid.type);
          if (!sets.length) return false;
          principal.attrs[rng.pick(sets)[0]].push({ __entity: resource.uid });
          return true;
        },
      ];
      for (const p of rng.shuffle(plants)) if (p()) break;
    }
    return {
      principal: principal.uid,
      action: { type: 'Action', id: action },
      resource: resource.uid,
      context: {}, // none of the three apps declares a context
      entities: rng.shuffle(all),
    };
  };
}

function writeApp(app) {
  const [polFile, schemaFile] = APPS[app].map((f) => requirePath(path.join(DATA_DIR, 'cedar-bench', f)));
  const text = fs.readFileSync(polFile, 'utf8');
  const schemaJson = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const asText = cedar.schemaToText(schemaJson);
  if (asText.type !== 'success') throw new Error(`${app}: schemaToText failed`);
  for (const n of sizes) {
    const name = `${app}-${n}`;
    const rng = makeRng(seed * 1000003 + n * 101 + app.length); // independent stream per file
    const slice = sliceGenerator(schemaJson, rng);
    const w = jsonlWriter(path.join(outDir, `${name}.jsonl`));
    w.write({ kind: 'workload', name, source: `cedar-bench/${app}`, seed, entitiesPerRequest: n, requests: perSize });
    w.write({ kind: 'policies', id: app, text, schema: asText.text, schemaJson });
    for (let i = 0; i < perSize; i++) {
      const s = slice(n);
      const id = `${name}/${i}`;
      w.write({ kind: 'entities', id, entities: s.entities });
      w.write({ kind: 'request', id, policies: app, entities: id, principal: s.principal, action: s.action,
        resource: s.resource, context: s.context, validateRequest: true });
    }
    w.close();
    console.log(`wrote ${name}.jsonl`);
  }
}

// ---- Cedar's own tests ------------------------------------------------------------------------
// Policy set, schema and entity store are emitted once per distinct file and referenced by the
// requests; ids are the files' paths relative to the test base folder.
function writeTests(name, baseDir, testFiles, source) {
  const w = jsonlWriter(path.join(outDir, `${name}.jsonl`));
  const emitted = new Set();
  let count = 0;
  w.write({ kind: 'workload', name, source, tests: testFiles.length });
  for (const file of testFiles) {
    const t = parseJson(fs.readFileSync(file, 'utf8'));
    const pid = `${t.policies}|${t.schema}`;
    if (!emitted.has(pid)) {
      emitted.add(pid);
      w.write({ kind: 'policies', id: pid, text: fs.readFileSync(path.join(baseDir, t.policies), 'utf8'),
        schema: fs.readFileSync(path.join(baseDir, t.schema), 'utf8'), shouldValidate: t.shouldValidate });
    }
    if (!emitted.has(t.entities)) {
      emitted.add(t.entities);
      w.write({ kind: 'entities', id: t.entities, entities: parseJson(fs.readFileSync(path.join(baseDir, t.entities), 'utf8')) });
    }
    t.requests.forEach((r, i) => {
      w.write({ kind: 'request', id: `${path.relative(baseDir, file)}#${i}`, policies: pid, entities: t.entities,
        principal: r.principal, action: r.action, resource: r.resource, context: r.context,
        validateRequest: r.validateRequest ?? true, expect: { decision: r.decision, reason: r.reason, errors: r.errors } });
      count++;
    });
  }
  w.close();
  console.log(`wrote ${name}.jsonl (${count} requests)`);
}

for (const app of Object.keys(APPS)) writeApp(app);

const corpusDir = untarCorpus(outDir);
writeTests('corpus', corpusDir, corpusTests(corpusDir), 'cedar/corpus-tests.tar.gz');

const handDir = requirePath(path.join(DATA_DIR, 'cedar'));
const handTests = fs.readdirSync(path.join(handDir, 'tests'), { recursive: true })
  .filter((f) => f.endsWith('.json')).sort().map((f) => path.join(handDir, 'tests', f));
writeTests('handwritten', handDir, handTests, 'cedar/tests');
