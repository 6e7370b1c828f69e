// Our Converse request encoder against the official AWS SDK for JavaScript v3: for every case of
// converse_body_cases, the JSON body llmm sent must equal (as JSON: key order and number spelling
// aside) the body @aws-sdk/client-bedrock-runtime's ConverseCommand sends for the same input.
// Both bodies are read back from the emulator's request log (--log-bodies).
//
//   node converse_body_conformance.mjs --emulator path/to/bedrock-emulator
//        --generator path/to/converse_body_cases --work DIR [--seed N] [--count N]
//
// Steps: start the emulator on a free port; run the generator against it (it sends every case
// through an LLMManager and writes DIR/converse_body_cases.jsonl); take llmm's bodies from the
// log; reset the log; send every case's input through ConverseCommand (NodeHttpHandler,
// maxAttempts 1, the same key pair); take the SDK's bodies from the log; compare case by case
// and report the first differing path of each case. Exit 0 only when every case is equal.
//
// The packages come from ./node_modules, pinned by package-lock.json (scripts/bootstrap).

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

import {
  Admin, describe, logEntries, scrubAwsEnvironment, startEmulator, stopEmulator, ACCESS_KEY_ID,
  SECRET_ACCESS_KEY,
} from "./emulator/harness.mjs";

const REGION = "us-east-1";
const MAX_REPORTED = 10;
const OVERALL_DEADLINE_MS = 240000;

function usage() {
  console.error("usage: node converse_body_conformance.mjs --emulator BIN --generator BIN " +
                "--work DIR [--seed N] [--count N]");
  process.exit(2);
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (!name.startsWith("--") || i + 1 >= argv.length) usage();
    args[name.slice(2)] = argv[++i];
  }
  if (!args.emulator || !args.generator || !args.work) usage();
  return args;
}

async function loadSdk() {
  try {
    const runtime = await import("@aws-sdk/client-bedrock-runtime");
    const { NodeHttpHandler } = await import("@smithy/node-http-handler");
    return { ...runtime, NodeHttpHandler };
  } catch (error) {
    console.error(`converse_body_conformance: cannot load the npm packages (${error.code ?? error.message}): ` +
                  "run scripts/bootstrap (npm ci in tests/conformance)");
    process.exit(2);
  }
}

// Runs a child to completion with its output passed through; resolves with the exit code.
function run(binary, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", (error) => reject(new Error(`cannot start ${binary}: ${error.message}`)));
    child.on("exit", (code, signal) => resolve(code ?? `signal ${signal}`));
  });
}

// The generator's input -> the SDK's: {"$blob": base64} becomes a Uint8Array. The base64 must be
// canonical (padded, standard alphabet), or the SDK's re-encoding would hide a difference.
function fromTagged(value, where, problems) {
  if (Array.isArray(value)) return value.map((item, i) => fromTagged(item, `${where}[${i}]`, problems));
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "$blob" && typeof value.$blob === "string") {
    const bytes = Buffer.from(value.$blob, "base64");
    if (bytes.toString("base64") !== value.$blob) {
      problems.push(`${where}: llmm's base64 is not canonical: ${JSON.stringify(value.$blob.slice(0, 60))}`);
    }
    return new Uint8Array(bytes);
  }
  const out = {};
  for (const key of keys) out[key] = fromTagged(value[key], `${where}.${key}`, problems);
  return out;
}

function show(value) {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 160)}...` : text;
}

// The first path where two parsed JSON values differ (key order ignored), or null.
function firstDifference(ours, theirs, where = "") {
  if (ours === theirs) return null;
  const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (kind(ours) !== kind(theirs)) {
    return { path: where || "(body)", ours, theirs };
  }
  if (Array.isArray(ours)) {
    for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
      const at = `${where}[${i}]`;
      if (i >= ours.length || i >= theirs.length) return { path: at, ours: ours[i], theirs: theirs[i] };
      const found = firstDifference(ours[i], theirs[i], at);
      if (found) return found;
    }
    return null;
  }
  if (typeof ours === "object") {
    const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
    for (const key of keys) {
      const at = where ? `${where}.${key}` : key;
      if (!Object.hasOwn(ours, key) || !Object.hasOwn(theirs, key)) {
        return { path: at, ours: ours[key], theirs: theirs[key] };
      }
      const found = firstDifference(ours[key], theirs[key], at);
      if (found) return found;
    }
    return null;
  }
  return { path: where || "(body)", ours, theirs };
}

// The Converse entries of the log, in arrival order, each with its parsed body.
async function converseBodies(admin, expected, who) {
  const entries = logEntries(await admin.requests()).filter((e) => e.operation === "Converse");
  if (entries.length !== expected) {
    throw new Error(`${who}: the emulator logged ${entries.length} Converse requests, expected ${expected}`);
  }
  return entries.map((entry, i) => {
    if (typeof entry.body !== "string") {
      throw new Error(`${who}: log entry ${i} has no body (is --log-bodies on?)`);
    }
    let body;
    try {
      body = JSON.parse(entry.body);
    } catch (error) {
      throw new Error(`${who}: log entry ${i} body is not JSON (${error.message}): ${entry.body.slice(0, 200)}`);
    }
    return { body, model: entry.model, outcome: entry.outcome };
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  scrubAwsEnvironment();
  const sdk = await loadSdk();
  const casesFile = path.join(args.work, "converse_body_cases.jsonl");

  const emulator = await startEmulator(args.emulator, [
    "--host", "127.0.0.1", "--port", "0", "--threads", "2", "--seed", "7", "--mode", "echo",
    "--log-bodies",
  ]);
  console.log(`emulator ${args.emulator} listening on ${emulator.host}:${emulator.port}`);
  const deadline = setTimeout(() => {
    console.log(`FAIL overall deadline of ${OVERALL_DEADLINE_MS} ms passed`);
    emulator.child.kill("SIGKILL");
    process.exit(1);
  }, OVERALL_DEADLINE_MS);

  let failed = false;
  try {
    const admin = new Admin(emulator.baseUrl);
    await admin.reset();

    // 1. llmm sends every case (the generator fails on any case the emulator rejects).
    const generatorArgs = ["--endpoint", emulator.baseUrl, "--out", casesFile];
    if (args.seed !== undefined) generatorArgs.push("--seed", args.seed);
    if (args.count !== undefined) generatorArgs.push("--count", args.count);
    const status = await run(args.generator, generatorArgs);
    if (status !== 0) throw new Error(`converse_body_cases failed (exit ${status}); see its output above`);

    const lines = readFileSync(casesFile, "utf8").split("\n").filter((l) => l.trim() !== "");
    const meta = JSON.parse(lines[0]).meta;
    const cases = lines.slice(1).map((l) => JSON.parse(l));
    console.log(`cases: ${cases.length} (seed ${meta.seed}) from ${casesFile}`);
    const ours = await converseBodies(admin, cases.length, "llmm");
    await admin.reset();

    // 2. The SDK sends the same inputs, one at a time so the log keeps the order.
    const client = new sdk.BedrockRuntimeClient({
      region: REGION, endpoint: emulator.baseUrl, maxAttempts: 1,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      requestHandler: new sdk.NodeHttpHandler({ requestTimeout: 30000 }),
    });
    const problems = [];
    let sdkErrors = 0;
    for (const c of cases) {
      const input = fromTagged(c.input, `case ${c.case}`, problems);
      try {
        await client.send(new sdk.ConverseCommand({ modelId: c.modelId, ...input }));
      } catch (error) {
        // The request still reached the log (or not: the count check below says so).
        sdkErrors++;
        if (sdkErrors <= MAX_REPORTED) console.log(`FAIL case ${c.case}: the SDK call failed: ${describe(error)}`);
      }
    }
    for (const problem of problems.slice(0, MAX_REPORTED)) console.log(`FAIL ${problem}`);
    const theirs = await converseBodies(admin, cases.length, "SDK");

    // 3. Compare.
    let equal = 0;
    const differing = new Map();  // first differing path with indices blanked -> case ids
    cases.forEach((c, i) => {
      // The log names the model a request resolved to: the foundation model behind a profile id.
      const logged = c.foundationModelId ?? c.modelId;
      if (ours[i].model !== logged || theirs[i].model !== logged) {
        console.log(`FAIL case ${c.case}: logged model ids llmm ${ours[i].model}, SDK ${theirs[i].model}, ` +
                    `case ${logged}`);
        failed = true;
        return;
      }
      const difference = firstDifference(ours[i].body, theirs[i].body);
      if (!difference) {
        equal++;
        return;
      }
      const shape = difference.path.replace(/\[\d+\]/g, "[]");
      if (!differing.has(shape)) differing.set(shape, []);
      differing.get(shape).push(c.case);
      if ([...differing.values()].flat().length <= MAX_REPORTED) {
        console.log(`DIFF case ${c.case} (${c.modelId}; ${c.kinds.join(",")}) at ${difference.path}: ` +
                    `llmm ${show(difference.ours)} | SDK ${show(difference.theirs)}`);
      }
    });
    for (const [shape, ids] of differing) {
      console.log(`DIFF ${ids.length} case(s) first differ at ${shape}: cases ${ids.slice(0, 20).join(",")}` +
                  `${ids.length > 20 ? ",..." : ""}`);
    }
    const differ = cases.length - equal;
    console.log(`converse_body_conformance: ${cases.length} cases, ${equal} equal, ${differ} differ, ` +
                `${sdkErrors} SDK errors, ${problems.length} encoding problems`);
    if (differ > 0 || sdkErrors > 0 || problems.length > 0) failed = true;
  } catch (error) {
    console.log(`FAIL ${error.message}`);
    failed = true;
  } finally {
    clearTimeout(deadline);
    const stopped = await stopEmulator(emulator.child);
    if (stopped.code !== 0) {
      console.log(`note: emulator exit code ${stopped.code} signal ${stopped.signal}\n${emulator.stderrTail()}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(`converse_body_conformance: ${error.stack ?? error}`);
  process.exit(1);
});
