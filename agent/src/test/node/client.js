// A foreign AgentService client: it knows only the flexrig.v1 .proto files (loaded at run time, no
// generated code). It reads the rig, its snapshot, watches a few telemetry samples, sets a power
// target and waits until the snapshot's measured power reaches it, then prints one JSON object.
//
// Usage: node client.js <host:port> <proto dir> <target watts>
// Mutual TLS when FLEXRIG_CA, FLEXRIG_CERT and FLEXRIG_KEY name PEM files; plaintext otherwise.
'use strict';

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [target, protoDir, targetArg] = process.argv.slice(2);
const targetW = Number(targetArg);
const CALL_TIMEOUT_MS = 5000;

const definition = protoLoader.loadSync(path.join(protoDir, 'flexrig/v1/agent.proto'), {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDir],
});
const flexrig = grpc.loadPackageDefinition(definition).flexrig.v1;

function credentials() {
  const { FLEXRIG_CA, FLEXRIG_CERT, FLEXRIG_KEY } = process.env;
  if (!FLEXRIG_CA) {
    return grpc.credentials.createInsecure();
  }
  return grpc.credentials.createSsl(
    fs.readFileSync(FLEXRIG_CA),
    fs.readFileSync(FLEXRIG_KEY),
    fs.readFileSync(FLEXRIG_CERT),
  );
}

const client = new flexrig.AgentService(target, credentials(), {
  // the agent's certificate names localhost; we dial its loopback address
  'grpc.ssl_target_name_override': 'localhost',
});

function unary(method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, { deadline: Date.now() + CALL_TIMEOUT_MS }, (err, reply) =>
      err ? reject(err) : resolve(reply),
    );
  });
}

function watch(count) {
  return new Promise((resolve, reject) => {
    const samples = [];
    const call = client.WatchTelemetry({ max_samples: count });
    call.on('data', (s) => samples.push(s));
    call.on('end', () => resolve(samples));
    call.on('error', reject);
  });
}

function timestamp(ms) {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const rig = await unary('GetRig', {});
  const before = await unary('GetSnapshot', {});
  const watched = await watch(3);
  const now = Date.now();
  const ack = await unary('SetPowerTarget', {
    command_id: 'node-' + now,
    power_w: targetW,
    deadline: timestamp(now + 30_000),
    expires_at: timestamp(now + 600_000),
  });
  // on target: the agent's own tolerance (3 % or 30 W) over the applied target
  const limit = ack.applied_power_w + Math.max(30, 0.03 * ack.applied_power_w);
  let reached = null;
  for (let i = 0; i < 120 && reached === null; i++) {
    const s = await unary('GetSnapshot', {});
    if (s.power_quality === 'QUALITY_GOOD' && s.power_w <= limit) {
      reached = s;
    } else {
      await sleep(250);
    }
  }
  const commands = await unary('ListActiveCommands', {});
  const summary = (s) => s && {
    sequence: s.sequence, power_w: s.power_w, power_quality: s.power_quality,
    state: s.state, power_target_w: s.power_target_w,
  };
  console.log(JSON.stringify({
    rig_id: rig.rig.rig_id,
    profile_id: rig.rig.hardware_profile_id,
    max_power_w: rig.limits.max_power_w,
    before: summary(before),
    watched: watched.map(summary),
    ack: { command_id: ack.command_id, accepted: ack.accepted, clamped: ack.clamped, applied_power_w: ack.applied_power_w },
    reached: summary(reached),
    active: commands.active.map((c) => ({ command_id: c.command.command_id, source: c.source })),
  }));
  client.close();
}

main().catch((err) => {
  console.error('client failed: ' + (err.details || err.message));
  process.exit(1);
});
