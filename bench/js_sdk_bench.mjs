// The official AWS SDK for JavaScript v3 doing the job of llmm_client_bench's throughput mode: N
// Converse calls with C in flight against an emulator someone else started, one JSON line of
// results on stdout. Packages come from tests/conformance/node_modules (scripts/bootstrap: npm ci
// there), pinned by tests/conformance/package-lock.json; nothing else is installed.
//
//   node bench/js_sdk_bench.mjs --endpoint http://127.0.0.1:PORT --concurrency 64 --requests 20000 \
//        [--region us-east-1] [--model ID] [--warmup N] [--max-tokens 64] [--prompt TEXT]
//
// The client: BedrockRuntimeClient with static credentials (the emulator's default key pair, so
// every request is SigV4-signed as ours is), NodeHttpHandler (HTTP/1.1) over an http.Agent with
// keepAlive and maxSockets = C, the SDK's default retry strategy. CPU is process.cpuUsage()
// (user + system of the whole node process, libuv threads included) over the measured calls.
//
// --mode stream: the same with ConverseStreamCommand, iterating response.stream to its end; also
// the time from send() to the first contentBlockDelta with text. --mode ttft: sequential streams
// after PUT /_emulator/scenario sets latency.timeToFirstTokenMs = --ttft-ms (default 100,
// tokensPerSecond 0); reports time to the first text minus --ttft-ms (the overhead), then resets
// the scenario (POST /_emulator/reset).
//
// --mode discovery (llmm_catalog_bench's discovery variant): --repeat N (default 30) times, one
// BedrockClient (@aws-sdk/client-bedrock, default request handler) per region of --regions
// (default the 17 of data/bedrock_catalog.json), then ListFoundationModelsCommand and
// ListInferenceProfilesCommand (typeEquals SYSTEM_DEFINED, following nextToken) in every region,
// all at once (Promise.all). Timed: creating the clients through the last answer (what the
// library's constructor does); destroying them is not timed. One untimed first run before, reported
// as first_discovery. Reports wall and CPU ms per discovery and the distinct model / profile ids.
import { createRequire } from "node:module";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const conformance = path.join(here, "..", "tests", "conformance", "package.json");
const require = createRequire(conformance);

function fail(message, code = 2) {
  console.error(`js_sdk_bench: ${message}`);
  process.exit(code);
}

let BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, NodeHttpHandler, NodeHttp2Handler, sdkVersion;
try {
  ({ BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } = require("@aws-sdk/client-bedrock-runtime"));
  ({ NodeHttpHandler, NodeHttp2Handler } = require("@smithy/node-http-handler"));
  sdkVersion = require("@aws-sdk/client-bedrock-runtime/package.json").version;
} catch (error) {
  fail(`cannot load the SDK from tests/conformance/node_modules (${error.code ?? error.message}): run scripts/bootstrap`);
}

const options = {
  endpoint: "", region: "us-east-1", model: "anthropic.claude-3-haiku-20240307-v1:0",
  concurrency: 1, requests: 1000, warmup: -1, maxTokens: 64, prompt: "Benchmark hello", label: "",
  mode: "throughput", ttftMs: 100, repeat: 30, handler: "h1",
  regions: ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
            "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
            "us-east-1", "us-east-2", "us-west-1", "us-west-2"],
};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; ++i) {
  let [flag, value] = args[i].split(/=(.*)/s);
  if (value === undefined) value = args[++i];
  if (value === undefined) fail(`${flag} needs a value`);
  const integer = () => {
    const n = Number(value);
    if (!Number.isInteger(n)) fail(`${flag} wants an integer, got '${value}'`);
    return n;
  };
  switch (flag) {
    case "--endpoint": options.endpoint = value; break;
    case "--handler":
      if (!["h1", "h2"].includes(value)) fail("--handler h1|h2");
      options.handler = value;
      break;
    case "--region": options.region = value; break;
    case "--model": options.model = value; break;
    case "--prompt": options.prompt = value; break;
    case "--label": options.label = value; break;
    case "--concurrency": options.concurrency = integer(); break;
    case "--requests": options.requests = integer(); break;
    case "--warmup": options.warmup = integer(); break;
    case "--max-tokens": options.maxTokens = integer(); break;
    case "--ttft-ms": options.ttftMs = integer(); break;
    case "--repeat": options.repeat = integer(); break;
    case "--regions": options.regions = value.split(",").filter(Boolean); break;
    case "--mode":
      if (!["throughput", "stream", "ttft", "discovery"].includes(value)) fail("--mode throughput|stream|ttft|discovery");
      options.mode = value;
      break;
    default: fail(`unknown flag ${flag}`);
  }
}
if (!options.endpoint) fail("--endpoint is required");
if (options.concurrency < 1 || options.requests < 1) fail("--concurrency and --requests must be >= 1");

if (options.mode === "discovery") process.exit(await discovery());

// The control plane's catalog calls in every region at once, as the library's catalog discovery.
async function discovery() {
  let BedrockClient, ListFoundationModelsCommand, ListInferenceProfilesCommand, version;
  try {
    ({ BedrockClient, ListFoundationModelsCommand, ListInferenceProfilesCommand } = require("@aws-sdk/client-bedrock"));
    version = require("@aws-sdk/client-bedrock/package.json").version;
  } catch (error) {
    fail(`cannot load @aws-sdk/client-bedrock from tests/conformance/node_modules (${error.code ?? error.message})`);
  }
  if (options.repeat < 1 || options.regions.length === 0) fail("--repeat must be >= 1 and --regions not empty");
  const ms2 = (v) => Math.round(v * 100) / 100;  // (round2 below is not initialised yet)
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
  async function region(client) {
    const profiles = [];
    const listProfiles = async () => {
      let nextToken;
      do {
        const page = await client.send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED", nextToken }));
        profiles.push(...(page.inferenceProfileSummaries ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
    };
    const [models] = await Promise.all([client.send(new ListFoundationModelsCommand({})), listProfiles()]);
    return { models: models.modelSummaries ?? [], profiles };
  }
  async function once() {
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const clients = options.regions.map((name) => new BedrockClient({ region: name, endpoint: options.endpoint, credentials }));
    const listings = await Promise.all(clients.map(region));
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpuBefore);
    for (const client of clients) client.destroy();
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, listings };
  }
  const stats = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const n = sorted.length;
    const p50 = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return { p50: ms2(p50), mean: ms2(sorted.reduce((a, b) => a + b, 0) / n), min: ms2(sorted[0]),
             max: ms2(sorted[n - 1]), samples: n };
  };
  try {
    const first = await once();
    const runs = [];
    for (let i = 0; i < options.repeat; ++i) runs.push(await once());
    const last = runs.at(-1).listings;
    console.log(JSON.stringify({
      client: "aws-sdk-js", sdk_version: version, node_version: process.version, mode: "discovery",
      ...(options.label ? { label: options.label } : {}),
      regions: options.regions.length, repeat: options.repeat,
      first_discovery: { wall_ms: ms2(first.wallMs), cpu_ms: ms2(first.cpuMs) },
      wall_ms: stats(runs.map((r) => r.wallMs)), cpu_ms: stats(runs.map((r) => r.cpuMs)),
      models: new Set(last.flatMap((l) => l.models.map((m) => m.modelId))).size,
      profiles: new Set(last.flatMap((l) => l.profiles.map((p) => p.inferenceProfileId))).size,
      rss_kib: Math.round(process.memoryUsage().rss / 1024),
    }));
    return 0;
  } catch (error) {
    console.error(`js_sdk_bench: ${error.stack ?? error}`);
    console.log(JSON.stringify({ client: "aws-sdk-js", mode: "discovery", error: String(error.message ?? error) }));
    return 1;
  }
}

// h1: NodeHttpHandler over a keep-alive agent (http.Agent, or https.Agent for an https://
// endpoint; NODE_EXTRA_CA_CERTS trusts the emulator's CA). h2: NodeHttp2Handler, the runtime
// client's default handler (one session per authority, streams multiplexed on it).
const secure = options.endpoint.startsWith("https://");
const agent = new (secure ? https : http).Agent({ keepAlive: true, maxSockets: options.concurrency });
const client = new BedrockRuntimeClient({
  region: options.region,
  endpoint: options.endpoint,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  requestHandler: options.handler === "h2"
    ? new NodeHttp2Handler({ requestTimeout: 60_000 })
    : new NodeHttpHandler({ [secure ? "httpsAgent" : "httpAgent"]: agent, connectionTimeout: 10_000, requestTimeout: 60_000 }),
});
const input = {
  modelId: options.model,
  messages: [{ role: "user", content: [{ text: options.prompt }] }],
  inferenceConfig: { maxTokens: options.maxTokens },
};

// N calls with C in flight: C workers, each starting its next call when the previous one ends.
const streaming = options.mode !== "throughput";
async function run(total, inFlight) {
  let next = 0;
  let ok = 0;
  let firstError = "";
  const latencies = new Float64Array(total);
  const firstText = [];
  async function worker() {
    for (let index = next++; index < total; index = next++) {
      const started = process.hrtime.bigint();
      try {
        if (streaming) {
          const response = await client.send(new ConverseStreamCommand(input));
          let first = -1;
          for await (const event of response.stream) {
            if (first < 0 && event.contentBlockDelta?.delta?.text !== undefined) {
              first = Number(process.hrtime.bigint() - started) / 1000;
            }
          }
          if (first >= 0) firstText.push(first);
        } else {
          await client.send(new ConverseCommand(input));
        }
        ok += 1;
      } catch (error) {
        if (!firstError) firstError = `${error.name}: ${error.message}`;
      }
      latencies[index] = Number(process.hrtime.bigint() - started) / 1000;
    }
  }
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { ok, errors: total - ok, firstError, seconds, latencies, firstText };
}

function percentiles(values) {
  const sorted = Array.from(values).sort((a, b) => a - b);
  if (sorted.length === 0) return {};
  const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))] * 10) / 10;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1), mean: Math.round(mean * 10) / 10,
           samples: sorted.length };
}

// The emulator's admin API (loopback, its own connection).
function admin(method, target, body = "") {
  const url = new URL(target, options.endpoint);
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent: false, headers: { "content-type": "application/json",
                                                                          "content-length": Buffer.byteLength(body) } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => { text += chunk; });
        response.on("end", () => (response.statusCode >= 300
          ? reject(new Error(`${method} ${target}: ${response.statusCode} ${text}`)) : resolve(text)));
      });
    request.on("error", reject);
    request.end(body);
  });
}

const round2 = (v) => Math.round(v * 100) / 100;
try {
  if (options.mode === "ttft") {
    options.concurrency = 1;
    await admin("POST", "/_emulator/reset");
    await admin("PUT", "/_emulator/scenario",
                JSON.stringify({ latency: { timeToFirstTokenMs: options.ttftMs, tokensPerSecond: 0 } }));
  }
  const warmup = options.warmup >= 0 ? options.warmup
                 : options.mode === "ttft" ? 5
                 : Math.min(options.requests, Math.max(4 * options.concurrency, 200));
  if (warmup > 0) {
    const w = await run(warmup, options.concurrency);
    if (w.ok === 0) throw new Error(`every warm-up call failed: ${w.firstError}`);
  }
  const cpuBefore = process.cpuUsage();
  const r = await run(options.requests, options.concurrency);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (options.mode === "ttft") await admin("POST", "/_emulator/reset");
  const result = {
    client: "aws-sdk-js", sdk_version: sdkVersion, node_version: process.version, mode: options.mode,
    concurrency: options.concurrency, model: options.model, region: options.region,
    ...(options.label ? { label: options.label } : {}),
    requests: options.requests, warmup, ok: r.ok, errors: r.errors,
    ...(r.firstError ? { first_error: r.firstError } : {}),
    seconds: Math.round(r.seconds * 1000) / 1000,
    requests_per_second: round2(r.ok / r.seconds),
    cpu_us_per_call: r.ok > 0 ? round2((cpuSeconds * 1e6) / r.ok) : 0,
    cpu_seconds: Math.round(cpuSeconds * 1000) / 1000,
    latency_us: percentiles(r.latencies),
    ...(streaming ? { ok_with_text: r.firstText.length, first_text_us: percentiles(r.firstText) } : {}),
    ...(options.mode === "ttft" ? { configured_ttft_ms: options.ttftMs,
                                    overhead_us: { ...percentiles(r.firstText.map((us) => us - options.ttftMs * 1000)),
                                                   min: Math.min(...r.firstText) - options.ttftMs * 1000 } } : {}),
    rss_kib: Math.round(process.memoryUsage().rss / 1024),
  };
  console.log(JSON.stringify(result));
  client.destroy();
  agent.destroy();
} catch (error) {
  console.error(`js_sdk_bench: ${error.stack ?? error}`);
  console.log(JSON.stringify({ client: "aws-sdk-js", mode: options.mode, concurrency: options.concurrency,
                               error: String(error.message ?? error) }));
  process.exit(1);
}
