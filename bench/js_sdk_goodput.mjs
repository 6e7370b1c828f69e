// The official AWS SDK for JavaScript v3 doing run_goodput_bench.sh's job: N Converse calls with
// C in flight against an emulator whose regions enforce quotas, spread round robin over one
// BedrockRuntimeClient per region (as an application spreading load over regions would), with
// the SDK's retry mode given (standard or adaptive, the latter the SDK's client-side CUBIC rate
// limiter). One JSON line on stdout: calls succeeded and failed, the wall time, the attempts the
// SDK reports ($metadata.attempts) and the first error. Packages from tests/conformance/node_modules.
//
//   node bench/js_sdk_goodput.mjs --endpoint http://127.0.0.1:PORT --regions us-east-1,us-west-2 \
//        --requests 20000 --concurrency 256 --retry-mode adaptive [--max-attempts 3] [--model ID]
import { createRequire } from "node:module";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "tests", "conformance", "package.json"));
const { BedrockRuntimeClient, ConverseCommand } = require("@aws-sdk/client-bedrock-runtime");
const { NodeHttpHandler } = require("@smithy/node-http-handler");
const sdkVersion = require("@aws-sdk/client-bedrock-runtime/package.json").version;

const options = { endpoint: "", regions: ["us-east-1"], requests: 1000, concurrency: 64,
                  retryMode: "standard", maxAttempts: 3, model: "anthropic.claude-3-haiku-20240307-v1:0" };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const [flag, value] = [args[i], args[i + 1]];
  if (value === undefined) { console.error(`js_sdk_goodput: ${flag} needs a value`); process.exit(2); }
  switch (flag) {
    case "--endpoint": options.endpoint = value; break;
    case "--regions": options.regions = value.split(","); break;
    case "--requests": options.requests = Number(value); break;
    case "--concurrency": options.concurrency = Number(value); break;
    case "--retry-mode": options.retryMode = value; break;
    case "--max-attempts": options.maxAttempts = Number(value); break;
    case "--model": options.model = value; break;
    default: console.error(`js_sdk_goodput: unknown flag ${flag}`); process.exit(2);
  }
}
if (!options.endpoint) { console.error("js_sdk_goodput: --endpoint is required"); process.exit(2); }

const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
const clients = options.regions.map((region) => new BedrockRuntimeClient({
  region, endpoint: options.endpoint, retryMode: options.retryMode, maxAttempts: options.maxAttempts,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  requestHandler: new NodeHttpHandler({ httpAgent: agent, connectionTimeout: 10_000, requestTimeout: 60_000 }),
}));

let next = 0, ok = 0, failed = 0, attempts = 0, firstError = "";
async function worker() {
  for (let index = next++; index < options.requests; index = next++) {
    const client = clients[index % clients.length];
    try {
      const response = await client.send(new ConverseCommand({
        modelId: options.model,
        messages: [{ role: "user", content: [{ text: `goodput ${index}` }] }],
        inferenceConfig: { maxTokens: 64 },
      }));
      ok += 1;
      attempts += response.$metadata.attempts ?? 1;
    } catch (error) {
      failed += 1;
      attempts += error.$metadata?.attempts ?? 1;
      if (!firstError) firstError = `${error.name}: ${error.message}`;
    }
  }
}
const start = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
await Promise.all(Array.from({ length: Math.min(options.concurrency, options.requests) }, worker));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({
  client: "aws-sdk-js", sdk_version: sdkVersion, retry_mode: options.retryMode, max_attempts: options.maxAttempts,
  requests: options.requests, concurrency: options.concurrency, regions: options.regions,
  succeeded: ok, failed, attempts, seconds: Math.round(seconds * 1000) / 1000,
  cpu_seconds: Math.round((cpu.user + cpu.system) / 1e4) / 100, first_error: firstError,
}));
for (const client of clients) client.destroy();
agent.destroy();
