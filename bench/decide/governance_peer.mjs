// The peer of decide_bench: @microsoft/agent-governance-sdk's executeWithGovernance on the
// closest equivalent of the quickstart scenario (bench/decide/decide_bench.cc): an alert-triage
// agent whose policy allows classify_alert, allows close_alert on a Low alert and blocks it on a
// High one (a deny-all rule closes the list), asked the same three requests in the same rotation,
// with the alert's priority and the agent's confidence as parameters. The SDK's
// pipeline is its own: ring check, policy rules, trust score, in-memory hash-chained audit entry.
// Each call is timed on its own (awaited), after a warm-up; prints p50/p99/p99.9 in µs.
//
//   node governance_peer.mjs [--calls 100000] [--warmup 20000]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { AgentMeshClient } = require('@microsoft/agent-governance-sdk');
const sdkVersion = require('@microsoft/agent-governance-sdk/package.json').version;

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const calls = flag('--calls', 100_000);
const warmup = flag('--warmup', 20_000);

const client = AgentMeshClient.create('triage-gpt4o', {
  capabilities: ['classify_alert', 'close_alert'],
  policyRules: [
    { action: 'classify_alert', effect: 'allow' },
    { action: 'close_alert', effect: 'allow', conditions: { priority: 'Low' } },
    { action: '*', effect: 'deny' },
  ],
});

const requests = [];
for (let i = 0; i < 64; i++) {
  const alert = `alert-${9000 + i}`;
  const [action, priority, confidence] = [
    ['classify_alert', 'High', 0.92],
    ['close_alert', 'Low', 0.88],
    ['close_alert', 'High', 0.9],
  ][i % 3];
  requests.push({
    action,
    params: {
      workflow: 'alert_triage',
      resource: alert,
      priority,
      confidence,
    },
  });
}

const expected = { classify_alert: { High: 'allow' }, close_alert: { Low: 'allow', High: 'deny' } };
for (const r of requests.slice(0, 3)) {
  const got = (await client.executeWithGovernance(r.action, r.params)).decision;
  const want = expected[r.action][r.params.priority];
  if (got !== want) {
    console.error(`governance_peer: ${r.action} on a ${r.params.priority} alert: ${got}, expected ${want}`);
    process.exit(1);
  }
}

for (let i = 0; i < warmup; i++) {
  const r = requests[i % requests.length];
  await client.executeWithGovernance(r.action, r.params);
}
const ns = new Float64Array(calls);
for (let i = 0; i < calls; i++) {
  const r = requests[i % requests.length];
  const t0 = process.hrtime.bigint();
  await client.executeWithGovernance(r.action, r.params);
  ns[i] = Number(process.hrtime.bigint() - t0);
}
ns.sort();
const at = (q) => ns[Math.floor(q * (ns.length - 1))] / 1000;
console.log(
  `governance_peer: @microsoft/agent-governance-sdk ${sdkVersion} executeWithGovernance, ` +
    `node ${process.versions.node}, ${calls} calls: ` +
    `p50_us=${at(0.5).toFixed(2)} p99_us=${at(0.99).toFixed(2)} p999_us=${at(0.999).toFixed(2)}`,
);
