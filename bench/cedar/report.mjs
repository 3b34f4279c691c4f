#!/usr/bin/env node
// Prints the table of bench/cedar/run.sh from its results.jsonl (the summary lines of
// run_wasm.mjs and cedar_bench): per workload, median and p99 per decision of cedar-wasm (json
// mode) and pactum (json and preloaded modes), and the ratios cedar-wasm / pactum.
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const rows = new Map(); // workload -> {wasm, json, preloaded}
for (const r of lines) {
  const row = rows.get(r.workload) ?? {};
  if (r.engine === 'pactum') row[r.mode] = r;
  else if (r.mode === 'json') row.wasm = r;
  rows.set(r.workload, row);
}
const us = (ns) => (ns === undefined ? '—' : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : 1)} µs`);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(0)}×` : '—');
const match = (r) => (r?.expected ? `${r.fullMatch}/${r.expected}` : '—');
console.log('| workload | requests | wasm p50 | wasm p99 | pactum json p50 | pactum json p99 | ratio p50 (json) | ratio CPU mean (json) | pactum preloaded p50 | preloaded p99 | expected met (wasm / pactum) |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const [name, { wasm, json, preloaded }] of rows) {
  console.log(`| ${name} | ${json?.requests ?? wasm?.requests} | ${us(wasm?.median_ns)} | ${us(wasm?.p99_ns)} | ${us(json?.median_ns)} | ${us(json?.p99_ns)} | ${ratio(wasm?.median_ns, json?.median_ns)} | ${ratio(wasm?.cpu_mean_ns, json?.cpu_mean_ns)} | ${us(preloaded?.median_ns)} | ${us(preloaded?.p99_ns)} | ${match(wasm)} / ${match(json)} |`);
}
