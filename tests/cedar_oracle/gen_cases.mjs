#!/usr/bin/env node
// Seeded generator of differential-test cases for the Cedar engine (format: README.md).
//
// Usage: node gen_cases.mjs OUT.jsonl CORPUS_DIR
//            [--seed 1] [--random 90000] [--mutated 10000]
//   CORPUS_DIR: the untarred corpus-tests.tar.gz (the folder holding corpus-tests/).
//
// Two kinds of case:
//  * random (id "r<N>"): 1-4 random policies over the small fixed schema below, exercising every
//    operator, extension function (valid and invalid literals), tags, records, sets, entity
//    literals and 64-bit edge values; a random entity graph conforming to that schema; a random
//    request. A quarter of them carry the schema (schema-directed parsing + request validation),
//    the rest do not (and then sometimes use ill-typed requests/contexts). Expressions are
//    deliberately ill-typed now and then so that evaluation errors are common.
//  * mutated (id "m<N>"): a corpus test's policies with 1-3 token-level mutations (operator
//    swaps, permit/forbid, when/unless, edge-value numbers, swapped strings/attribute names),
//    with that test's schema, entities and one of its requests.
//
// 64-bit integers that a JS number cannot hold exactly (e.g. 9223372036854775807) are written
// verbatim into the JSON (lib.mjs: bigInt/parseJson).
import fs from 'node:fs';
import path from 'node:path';
import { makeRng, jsonlWriter, corpusTests, parseJson, bigInt, takeOption } from '../../bench/cedar/lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => takeOption(args, name, dflt);
const seed = Number(opt('seed', '1'));
const nRandom = Number(opt('random', '90000'));
const nMutated = Number(opt('mutated', '10000'));
const [outFile, corpusDir] = args;
if (!outFile || !corpusDir) {
  console.error('usage: node gen_cases.mjs OUT.jsonl CORPUS_DIR [--seed N] [--random N] [--mutated N]');
  process.exit(2);
}
const rng = makeRng(seed);
const { pick, chance, int } = rng;

// ---- the fixed schema -----------------------------------------------------------------------------
export const SCHEMA = `type Profile = { nick?: String, n: Long, tags: Set<String> };
type Ctx = { ip: ipaddr, n: Long, flag: Bool, s: String, at?: datetime, amount?: decimal };
entity Group in [Group] { name: String, level: Long };
entity User in [Group] {
  name: String, age: Long, roles: Set<String>, profile: Profile,
  manager?: User, addr?: ipaddr, score?: decimal, joined?: datetime, ttl?: duration
} tags String;
entity Folder in [Folder] { owner: User, name: String };
entity Doc in [Folder] {
  owner: User, public: Bool, size: Long, labels: Set<String>, readers: Set<User>
} tags Long;
action read, write appliesTo { principal: [User], resource: [Doc, Folder], context: Ctx };
action admin in [write] appliesTo { principal: [User], resource: [Doc, Folder], context: Ctx };
`;

// ---- value pools ----------------------------------------------------------------------------------
const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';
const bigLong = (s) => bigInt(s); // exact 64-bit integer in the JSON output
const longJson = () => (chance(0.15) ? bigLong(pick([I64_MAX, I64_MIN, '4611686018427387904', '-4611686018427387905'])) : pick([0, 1, -1, 2, 7, 42, 100, 1000, -1000]));
const LONG_LITS = ['0', '1', '2', '3', '7', '42', '100', '-1', '-42', I64_MAX, I64_MIN, '4611686018427387904', '3037000500', '-3037000500', '9223372036854775806'];
const STRINGS = ['', 'a', 'alice', 'bob', 'admin', 'read', 'x*y', '*', 'ab', 'a\nb', 'quote"d', 'back\\slash', 'ünï', '😀', ' spaced ', 'g0'];
const USER_IDS = ['alice', 'bob', 'carol', '', 'ünï', 'q"t', '0'];
const TAG_KEYS = ['k', 'owner', '', 'x y'];
const DECIMALS_OK = ['0.0', '1.5', '-1.5', '12.3456', '922337203685477.5807', '-922337203685477.5808', '0.1', '3.14'];
const DECIMALS_BAD = ['1.23456', 'abc', '1', '922337203685477.5808', '.5', '1.'];
const IPS_OK = ['127.0.0.1', '10.0.0.0/8', '192.168.1.7', '::1', 'ffff::/16', '224.0.0.1', '0.0.0.0/0', '10.1.2.3/32'];
const IPS_BAD = ['1.2.3', '256.0.0.1', '10.0.0.0/33', 'localhost', '::1/129', ''];
const DATETIMES_OK = ['2024-10-15', '2024-10-15T11:35:00Z', '2024-10-15T11:35:00.123Z', '2024-10-15T11:35:00+0130', '1970-01-01', '2038-01-19T03:14:07Z', '0001-01-01'];
const DATETIMES_BAD = ['2024-13-01', '2024-10-15T25:00:00Z', '2024/10/15', '24-10-15', '2024-10-15T11:35Z', ''];
const DURATIONS_OK = ['1d', '2h', '30m', '15s', '250ms', '1d2h3m4s5ms', '-1h', '0ms', '-3d'];
const DURATIONS_BAD = ['1x', '1h1d', '', 'ms', '9999999999999999999d', '1.5h'];
const HAS_ATTRS = ['name', 'age', 'manager', 'addr', 'score', 'joined', 'ttl', 'profile', 'public', 'size', 'owner', 'labels', 'readers', 'nick', 'n', 'tags', 'ip', 'at', 'amount', 'missing', 'level', '"weird key"'];

const q = (s) => JSON.stringify(s).replace(/\\u([0-9a-f]{4})/g, (_, h) => `\\u{${h}}`); // Cedar string literal
const ext = (fn, ok, bad) => `${fn}(${q(chance(0.1) ? pick(bad) : pick(ok))})`;
// Invalid values in entity/context JSON make the whole call fail, so they are kept rare.
const extJson = (fn, ok, bad) => ({ __extn: { fn, arg: chance(0.002) ? pick(bad) : pick(ok) } });

// ---- random entity graph (always conforms to SCHEMA) --------------------------------------------
function genEntities(withActions) {
  const uid = (type, id) => ({ type, id });
  const groups = Array.from({ length: int(1, 4) }, (_, i) => uid('Group', `g${i}`));
  const users = rng.shuffle([...USER_IDS]).slice(0, int(2, 4)).map((id) => uid('User', id));
  const folders = Array.from({ length: int(1, 3) }, (_, i) => uid('Folder', `f${i}`));
  const docs = Array.from({ length: int(1, 3) }, (_, i) => uid('Doc', `d${i}`));
  const ent = (u) => ({ __entity: u });
  const strSet = () => rng.subset(STRINGS, 3);
  const below = (list, i) => rng.subset(list.slice(0, i), 2); // same-type parents: acyclic
  const out = [];
  groups.forEach((g, i) => out.push({ uid: g, attrs: { name: pick(STRINGS), level: longJson() }, parents: below(groups, i) }));
  users.forEach((u) => {
    const attrs = { name: pick(STRINGS), age: longJson(), roles: strSet(), profile: { n: longJson(), tags: strSet() } };
    if (chance(0.5)) attrs.profile.nick = pick(STRINGS);
    if (chance(0.5)) attrs.manager = ent(pick(users));
    if (chance(0.6)) attrs.addr = extJson('ip', IPS_OK, IPS_BAD);
    if (chance(0.6)) attrs.score = extJson('decimal', DECIMALS_OK, DECIMALS_BAD);
    if (chance(0.5)) attrs.joined = extJson('datetime', DATETIMES_OK, DATETIMES_BAD);
    if (chance(0.5)) attrs.ttl = extJson('duration', DURATIONS_OK, DURATIONS_BAD);
    const tags = {};
    for (const k of rng.subset(TAG_KEYS, 2)) tags[k] = pick(STRINGS);
    out.push({ uid: u, attrs, parents: rng.subset(groups, 2), tags });
  });
  folders.forEach((f, i) => out.push({ uid: f, attrs: { owner: ent(pick(users)), name: pick(STRINGS) }, parents: below(folders, i) }));
  docs.forEach((d) => {
    const tags = {};
    for (const k of rng.subset(TAG_KEYS, 2)) tags[k] = longJson();
    out.push({ uid: d, attrs: { owner: ent(pick(users)), public: chance(0.5), size: longJson(), labels: strSet(),
      readers: rng.subset(users, 2).map(ent) }, parents: rng.subset(folders, 2), tags });
  });
  if (withActions) {
    out.push({ uid: uid('Action', 'read'), attrs: {}, parents: [] });
    out.push({ uid: uid('Action', 'write'), attrs: {}, parents: [] });
    out.push({ uid: uid('Action', 'admin'), attrs: {}, parents: [uid('Action', 'write')] });
  }
  return { all: rng.shuffle(out), groups, users, folders, docs };
}

// ---- random expressions ---------------------------------------------------------------------------
// gen(type, depth) returns Cedar source text of (usually) that type; with probability WRONG a
// node is generated at a random other type, so ill-typed expressions (evaluation errors) are
// common but not dominant.
const TYPES = ['bool', 'long', 'string', 'set', 'record', 'entity', 'decimal', 'ip', 'datetime', 'duration'];
const WRONG = 0.05;
let G; // the current entity graph: entity literals name its entities (and a few absent ones)

function entityLit() {
  const r = rng();
  const u = r < 0.3 ? pick(G.users) : r < 0.5 ? pick(G.groups) : r < 0.65 ? pick(G.folders) : r < 0.8 ? pick(G.docs)
    : r < 0.9 ? { type: 'Action', id: pick(['read', 'write', 'admin']) } : { type: pick(['User', 'Group', 'NS::Thing']), id: 'ghost' };
  return `${u.type}::${q(u.id)}`;
}
// Sometimes rely on Cedar's precedence rules instead of parentheses (never for if-then-else,
// which the grammar only allows at the top of an expression).
const paren = (s) => (!s.startsWith('if ') && chance(0.12) ? s : `(${s})`);

function gen(type, d) {
  if (chance(WRONG)) type = pick(TYPES);
  const leaf = d <= 0 || chance(0.3);
  const sub = (t) => paren(gen(t, d - 1));
  const any = () => sub(pick(TYPES));
  switch (type) {
    case 'bool': {
      if (leaf) return pick(['true', 'false', 'resource.public', 'context.flag', `principal has ${pick(HAS_ATTRS)}`, `resource has ${pick(HAS_ATTRS)}`]);
      const k = int(0, 22);
      switch (k) {
        case 0: return `${sub('bool')} && ${sub('bool')}`;
        case 1: return `${sub('bool')} || ${sub('bool')}`;
        case 2: return `!${sub('bool')}`;
        case 3: { const t = pick(TYPES); return `${sub(t)} ${pick(['==', '!='])} ${sub(chance(0.8) ? t : pick(TYPES))}`; }
        case 4: case 5: return `${sub('long')} ${pick(['<', '<=', '>', '>='])} ${sub('long')}`;
        case 6: return `${sub(pick(['datetime', 'duration', 'decimal']))} ${pick(['<', '<=', '>', '>='])} ${sub(pick(['datetime', 'duration', 'decimal']))}`;
        case 7: return `${sub('entity')} in ${chance(0.7) ? sub('entity') : `[${entityLit()}, ${sub('entity')}]`}`;
        case 8: { const a = pick(HAS_ATTRS); return `${sub(pick(['entity', 'record']))} has ${a}${!a.startsWith('"') && chance(0.2) ? '.' + pick(['n', 'nick', 'tags', 'x']) : ''}`; }
        case 9: return `${sub('string')} like ${q(pick(['*', 'a*', '*b', 'a*b', '', '\\*', '*\\**', 'alice', '😀*', 'a\\nb']))}`.replace(/\\\\\*/g, '\\*');
        case 10: return `${sub('entity')} is ${pick(['User', 'Group', 'Doc', 'Folder', 'Action', 'NS::Thing'])}${chance(0.3) ? ` in ${sub('entity')}` : ''}`;
        case 11: return `${sub('set')}.contains(${any()})`;
        case 12: return `${sub('set')}.${pick(['containsAll', 'containsAny'])}(${sub('set')})`;
        case 13: return `${sub('set')}.isEmpty()`;
        case 14: return `if ${sub('bool')} then ${sub('bool')} else ${sub('bool')}`;
        case 15: return `${sub('decimal')}.${pick(['lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual'])}(${sub('decimal')})`;
        case 16: return `${sub('ip')}.${pick(['isIpv4', 'isIpv6', 'isLoopback', 'isMulticast'])}()`;
        case 17: return `${sub('ip')}.isInRange(${sub('ip')})`;
        case 18: return `${pick(['principal', 'resource', sub('entity')])}.hasTag(${sub('string')})`;
        case 19: return `${sub('record')}.${pick(['flag', 'public', 'b'])}`;
        case 20: return `principal in resource.readers || resource.readers.contains(principal)`;
        case 21: return `${sub('entity')} in ${sub('set')}`;
        default: return `${sub('string')} == ${sub('string')}`;
      }
    }
    case 'long': {
      if (leaf) return pick([pick(LONG_LITS), 'principal.age', 'resource.size', 'context.n', 'principal.profile.n', 'Group::"g0".level']);
      switch (int(0, 9)) {
        case 0: case 1: return `${sub('long')} ${pick(['+', '-', '*'])} ${sub('long')}`;
        case 2: return `-${sub('long')}`;
        case 3: return `${pick(LONG_LITS)} * ${pick(LONG_LITS)}`;
        case 4: return `if ${sub('bool')} then ${sub('long')} else ${sub('long')}`;
        case 5: return `${pick(['resource', 'Doc::"d0"'])}.getTag(${sub('string')})`;
        case 6: return `${sub('duration')}.${pick(['toDays', 'toHours', 'toMinutes', 'toSeconds', 'toMilliseconds'])}()`;
        case 7: return `${sub('record')}.n`;
        default: return `${sub('long')} + ${pick(LONG_LITS)}`;
      }
    }
    case 'string':
      if (leaf || chance(0.5)) return pick([q(pick(STRINGS)), 'principal.name', 'resource.name', 'context.s', 'principal.profile.nick']);
      return chance(0.5) ? `principal.getTag(${sub('string')})` : `if ${sub('bool')} then ${sub('string')} else ${sub('string')}`;
    case 'set': {
      if (leaf) return pick(['principal.roles', 'resource.labels', 'resource.readers', 'principal.profile.tags', '[]', `[${q(pick(STRINGS))}]`]);
      const t = pick(TYPES);
      return `[${Array.from({ length: int(0, 3) }, () => gen(chance(0.85) ? t : pick(TYPES), d - 1)).join(', ')}]`;
    }
    case 'record': {
      if (leaf) return pick(['principal.profile', 'context', '{}']);
      const keys = rng.subset(['n', 'flag', 'nick', 'tags', '"b c"', 'public'], 3);
      return `{${keys.map((k) => `${k}: ${gen(pick(TYPES), d - 1)}`).join(', ')}}`;
    }
    case 'entity':
      if (leaf || chance(0.4)) return pick(['principal', 'resource', 'action', entityLit(), 'resource.owner', 'principal.manager']);
      return `if ${sub('bool')} then ${sub('entity')} else ${sub('entity')}`;
    case 'decimal':
      if (leaf || chance(0.6)) return pick([ext('decimal', DECIMALS_OK, DECIMALS_BAD), 'principal.score', 'context.amount']);
      return `if ${sub('bool')} then ${sub('decimal')} else ${sub('decimal')}`;
    case 'ip':
      return pick([ext('ip', IPS_OK, IPS_BAD), ext('ip', IPS_OK, IPS_BAD), 'context.ip', 'principal.addr']);
    case 'datetime':
      if (leaf || chance(0.5)) return pick([ext('datetime', DATETIMES_OK, DATETIMES_BAD), 'principal.joined', 'context.at']);
      return chance(0.5) ? `${sub('datetime')}.offset(${sub('duration')})` : `${sub('datetime')}.toDate()`;
    case 'duration':
      if (leaf || chance(0.5)) return pick([ext('duration', DURATIONS_OK, DURATIONS_BAD), 'principal.ttl']);
      return chance(0.5) ? `${sub('datetime')}.durationSince(${sub('datetime')})` : `${sub('datetime')}.toTime()`;
    default: throw new Error(type);
  }
}

// Scope constraints name the request's own entities (or their parents) half of the time, so
// that scopes match often enough for the conditions to matter.
function genScope(v, types, others) {
  const lit = (u) => `${u.type}::${q(u.id)}`;
  const self = G.req[v];
  const parents = G.all.find((e) => e.uid.type === self.type && e.uid.id === self.id)?.parents ?? [];
  const target = () => lit(chance(0.5) ? (parents.length && chance(0.7) ? pick(parents) : self) : pick(others));
  const type = () => (chance(0.6) ? self.type : pick(types));
  switch (int(0, 7)) {
    case 0: case 1: case 6: return v;
    case 2: return `${v} == ${chance(0.5) ? lit(self) : entityLit()}`;
    case 3: case 7: return `${v} in ${target()}`;
    case 4: return `${v} is ${type()}`;
    default: return `${v} is ${type()} in ${target()}`;
  }
}

function genPolicy() {
  const p = genScope('principal', ['User', 'Group'], [...G.groups, ...G.users]);
  const a = pick(['action', 'action', `action == Action::"${G.req.action.id}"`, 'action == Action::"read"',
    'action in [Action::"read", Action::"admin"]', 'action in Action::"write"', 'action == Action::"admin"']);
  const r = genScope('resource', ['Doc', 'Folder'], [...G.folders, ...G.docs]);
  // Forbids get more conditions than permits, so that they do not swamp the allows.
  const permit = chance(0.75);
  const conds = Array.from({ length: permit ? pick([0, 1, 1, 1, 2]) : pick([1, 2, 2]) },
    () => ` ${chance(0.75) ? 'when' : 'unless'} { ${gen('bool', int(1, 4))} }`);
  const ann = chance(0.1) ? '@advice("generated")\n' : '';
  return `${ann}${permit ? 'permit' : 'forbid'} (${p}, ${a}, ${r})${conds.join('')};`;
}

function genRandomCase(id) {
  const withSchema = chance(0.25);
  G = genEntities(!withSchema);
  const principal = withSchema || chance(0.9) ? pick(G.users) : pick([{ type: 'User', id: 'ghost' }, pick(G.groups)]);
  const resource = pick([...G.docs, ...G.folders, ...(withSchema ? [] : [pick(G.groups)])]);
  const action = { type: 'Action', id: pick(['read', 'write', 'admin']) };
  G.req = { principal, resource, action };
  const policies = Array.from({ length: int(1, 5) }, genPolicy).join('\n');
  const context = { ip: extJson('ip', IPS_OK, IPS_BAD), n: longJson(), flag: chance(0.5), s: pick(STRINGS) };
  if (chance(0.5)) context.at = extJson('datetime', DATETIMES_OK, DATETIMES_BAD);
  if (chance(0.5)) context.amount = extJson('decimal', DECIMALS_OK, DECIMALS_BAD);
  if (!withSchema && chance(0.1)) delete context[pick(['ip', 'n', 'flag', 's'])];
  // A few schema cases break the schema on purpose: request validation must then reject them.
  if (withSchema && chance(0.03)) {
    const k = int(0, 2);
    if (k === 0) G.req.principal = pick(G.groups); // principal type not in appliesTo
    else if (k === 1) context.n = 'not a long';
    else delete context.flag; // required context attribute missing
  }
  const c = { id, policies, entities: G.all, principal: G.req.principal, action, resource, context };
  if (withSchema) c.schema = SCHEMA;
  return c;
}

// ---- mutated corpus cases -------------------------------------------------------------------------
const TOKEN = /("(?:\\.|[^"\\])*"|\/\/[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\d+|==|!=|<=|>=|&&|\|\||::|\S)/g;
const SWAPS = [['==', '!=', '<', '<=', '>', '>='], ['&&', '||'], ['+', '-', '*'], ['permit', 'forbid'], ['when', 'unless'], ['true', 'false'], ['in', '==']];
function mutate(text, k) {
  const toks = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    toks.push({ pre: text.slice(last, m.index), t: m[0] });
    last = m.index + m[0].length;
  }
  const tail = text.slice(last);
  // attribute names: identifiers right after `.` or `has` (swapping keywords only breaks parsing)
  const isAttr = (i) => i > 0 && /^[a-z_]\w*$/i.test(toks[i].t) && (toks[i - 1].t === '.' || toks[i - 1].t === 'has');
  const attrs = [...new Set(toks.filter((x, i) => isAttr(i)).map((x) => x.t))];
  const strs = [...new Set(toks.map((x) => x.t).filter((t) => t.startsWith('"')))];
  const handled = (i) => {
    const t = toks[i].t;
    if (t === 'in' && toks[i + 1]?.t === '[') return false; // `action == [..]` never parses
    return SWAPS.some((s) => s.includes(t)) || /^\d+$/.test(t) || t.startsWith('"') || isAttr(i) || t === '!' || t === '-';
  };
  const mutable = toks.map((x, i) => i).filter(handled);
  for (let n = 0; n < k && mutable.length; n++) {
    const i = pick(mutable);
    const tok = toks[i];
    const sw = SWAPS.find((s) => s.includes(tok.t));
    if (sw) tok.t = pick(sw.filter((s) => s !== tok.t));
    else if (/^\d+$/.test(tok.t)) tok.t = pick(LONG_LITS.filter((s) => !s.startsWith('-')).concat(['9223372036854775808']));
    else if (tok.t.startsWith('"')) tok.t = chance(0.5) && strs.length ? pick(strs) : q(pick(STRINGS));
    else if (isAttr(i)) tok.t = pick(attrs);
    else if (tok.t === '!' || tok.t === '-') tok.t = '';
  }
  return toks.map((x) => x.pre + x.t).join('') + tail;
}

function* mutatedCases(n) {
  const tests = corpusTests(corpusDir);
  for (let i = 0; i < n; i++) {
    const t = parseJson(fs.readFileSync(pick(tests), 'utf8'));
    const r = pick(t.requests);
    const read = (f) => fs.readFileSync(path.join(corpusDir, f), 'utf8');
    yield { id: `m${i}`, policies: mutate(read(t.policies), int(1, 3)), entities: parseJson(read(t.entities)),
      schema: read(t.schema), principal: r.principal, action: r.action, resource: r.resource, context: r.context };
  }
}

const w = jsonlWriter(outFile);
for (let i = 0; i < nRandom; i++) w.write(genRandomCase(`r${i}`));
for (const c of mutatedCases(nMutated)) w.write(c);
w.close();
console.log(`wrote ${nRandom} random + ${nMutated} mutated cases to ${outFile}`);
