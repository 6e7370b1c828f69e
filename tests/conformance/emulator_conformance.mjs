// The official AWS SDK for JavaScript v3 against bedrock-emulator: every answer the emulator gives
// must be one the SDK decodes into the right result, stream or named exception (the contract is
// docs/emulator.md; what the SDK reports per error and per in-stream exception is in the Bedrock
// wire-protocol reference, §5.3 and §4.5). Spawns the emulator on a free port, runs the checks,
// stops it. Prints one PASS/FAIL line per check and the list of exceptions verified; exit 0 only
// when every check passes.
//
//   node emulator_conformance.mjs path/to/bedrock-emulator [--verbose] [--wire=h2]
//
// --wire=h2: the emulator serves HTTPS (its generated CA trusted through NODE_EXTRA_CA_CERTS,
// which node reads only at start, so the script generates the CA and then runs itself again) and
// every client uses the SDK's HTTP/2 handler, NodeHttp2Handler: the runtime client's default.
//
// The packages come from ./node_modules, pinned by package-lock.json (scripts/bootstrap).

import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  Admin, CheckRunner, assert, assertEqual, describe, expectError, expectNamedError, jsonEqual,
  logEntries, scrubAwsEnvironment, guardEmulator, startEmulator, stopEmulator, ACCESS_KEY_ID, SECRET_ACCESS_KEY,
  BEARER_TOKEN,
} from "./emulator/harness.mjs";

const PRIMARY_REGION = "us-east-1";
const OTHER_REGION = "us-west-2";
const PREFERRED_MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
const PROMPT = "conformance says hello";
const OVERALL_DEADLINE_MS = 240000;

// A 1x1 PNG and a small text document, sent as blobs (base64 on the wire).
const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64");
const DOCUMENT_BYTES = Buffer.from("Conformance notes.\nLine two of the document.\n", "utf8");

// Modelled exceptions of Converse and ConverseStream with their HTTP status (wire doc §5.2).
const MODELLED = [
  ["AccessDeniedException", 403],
  ["ResourceNotFoundException", 404],
  ["ThrottlingException", 429],
  ["ModelNotReadyException", 429],
  ["ModelTimeoutException", 408],
  ["InternalServerException", 500],
  ["ServiceUnavailableException", 503],
  ["ValidationException", 400],
  ["ModelErrorException", 424],
];
// In-stream exception union members (wire doc §4.5): header value -> SDK error name.
const IN_STREAM = [
  ["throttlingException", "ThrottlingException"],
  ["modelStreamErrorException", "ModelStreamErrorException"],
  ["internalServerException", "InternalServerException"],
  ["serviceUnavailableException", "ServiceUnavailableException"],
  ["validationException", "ValidationException"],
];

async function loadSdk() {
  try {
    const runtime = await import("@aws-sdk/client-bedrock-runtime");
    const control = await import("@aws-sdk/client-bedrock");
    const { NodeHttpHandler, NodeHttp2Handler } = await import("@smithy/node-http-handler");
    return { runtime, control, NodeHttpHandler, NodeHttp2Handler };
  } catch (error) {
    console.error(`emulator_conformance: cannot load the npm packages (${error.code ?? error.message}): ` +
                  "run scripts/bootstrap (npm ci in tests/conformance)");
    process.exit(2);
  }
}

function textOf(content) {
  return (content ?? []).filter((b) => typeof b.text === "string").map((b) => b.text).join("");
}

function userMessage(...blocks) {
  return [{ role: "user", content: blocks.length ? blocks : [{ text: PROMPT }] }];
}

function checkUsage(usage, where) {
  assert(usage, `${where}: no usage`);
  for (const key of ["inputTokens", "outputTokens", "totalTokens"]) {
    assert(Number.isInteger(usage[key]) && usage[key] >= 0, `${where}: usage.${key} = ${usage[key]}`);
  }
  assert(usage.inputTokens > 0, `${where}: usage.inputTokens is 0`);
  assertEqual(usage.totalTokens, usage.inputTokens + usage.outputTokens,
              `${where}: usage.totalTokens (input ${usage.inputTokens} + output ${usage.outputTokens})`);
}

// A successful Converse reply with a non-empty assistant text.
function checkConverseReply(reply, { stopReason = "end_turn" } = {}) {
  assertEqual(reply.$metadata?.httpStatusCode, 200, "HTTP status");
  assert(reply.$metadata?.requestId, "no request id ($metadata.requestId from x-amzn-RequestId)");
  const message = reply.output?.message;
  assert(message, `no output.message: ${JSON.stringify(reply.output)}`);
  assertEqual(message.role, "assistant", "output.message.role");
  if (stopReason) assertEqual(reply.stopReason, stopReason, "stopReason");
  checkUsage(reply.usage, "Converse");
  assert(Number.isFinite(reply.metrics?.latencyMs), `metrics.latencyMs = ${reply.metrics?.latencyMs}`);
  return message;
}

// Drains a ConverseStream reply. Returns {events, error} (error: what the iterator threw).
async function drain(reply) {
  const events = [];
  try {
    for await (const event of reply.stream) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

function eventName(event) {
  return Object.keys(event).find((k) => event[k] !== undefined && k !== "$unknown") ?? "$unknown";
}

// A complete stream: messageStart first, metadata last, messageStop just before it, every block
// stopped. Returns {text by index, toolUse by index, stopReason, metadata}.
function checkCompleteStream(events, { stopReason = "end_turn" } = {}) {
  const names = events.map(eventName);
  assert(names.length >= 3, `too few events: ${names.join(",")}`);
  assertEqual(names[0], "messageStart", "first event");
  assertEqual(events[0].messageStart.role, "assistant", "messageStart.role");
  assertEqual(names.at(-1), "metadata", "last event");
  assertEqual(names.at(-2), "messageStop", "event before metadata");
  const blocks = new Map();
  const stopped = new Set();
  for (const event of events) {
    if (event.contentBlockStart) {
      const { contentBlockIndex, start } = event.contentBlockStart;
      assert(Number.isInteger(contentBlockIndex), "contentBlockStart without contentBlockIndex");
      assert(start && Object.keys(start).length === 1, `contentBlockStart.start: ${JSON.stringify(start)}`);
      blocks.set(contentBlockIndex, { start, text: "", toolInput: "" });
    } else if (event.contentBlockDelta) {
      const { contentBlockIndex, delta } = event.contentBlockDelta;
      assert(Number.isInteger(contentBlockIndex), "contentBlockDelta without contentBlockIndex");
      assert(!stopped.has(contentBlockIndex), `delta after contentBlockStop for block ${contentBlockIndex}`);
      const block = blocks.get(contentBlockIndex) ?? { text: "", toolInput: "" };
      blocks.set(contentBlockIndex, block);
      if (typeof delta?.text === "string") block.text += delta.text;
      else if (typeof delta?.toolUse?.input === "string") block.toolInput += delta.toolUse.input;
      else throw new Error(`unexpected delta: ${JSON.stringify(delta)}`);
    } else if (event.contentBlockStop) {
      const index = event.contentBlockStop.contentBlockIndex;
      assert(blocks.has(index), `contentBlockStop for unknown block ${index}`);
      stopped.add(index);
    }
  }
  for (const index of blocks.keys()) assert(stopped.has(index), `block ${index} never stopped`);
  const stop = events.at(-2).messageStop;
  if (stopReason) assertEqual(stop.stopReason, stopReason, "messageStop.stopReason");
  const metadata = events.at(-1).metadata;
  checkUsage(metadata.usage, "metadata");
  assert(Number.isFinite(metadata.metrics?.latencyMs), `metadata.metrics.latencyMs = ${metadata.metrics?.latencyMs}`);
  return { blocks, stopReason: stop.stopReason, metadata, names };
}

// Sends raw bytes on a fresh connection; resolves with what came back (up to 2 s or the close).
function rawExchange(port, text) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const done = () => {
      socket.destroy();
      resolve(received);
    };
    socket.setTimeout(2000, done);
    socket.on("connect", () => socket.write(text));
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
    });
    socket.on("end", done);
    socket.on("error", done);
  });
}

function headerOf(error, name) {
  const headers = error.$response?.headers ?? {};
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

// Generates the emulator's CA (a short run with --tls --tls-dir), then runs this script again
// with NODE_EXTRA_CA_CERTS naming it. Resolves with the second run's exit code.
async function rerunTrustingANewCa(binary) {
  const dir = mkdtempSync(join(tmpdir(), "llmm-conformance-tls-"));
  const generator = await startEmulator(binary, ["--host", "127.0.0.1", "--port", "0", "--tls", "--tls-dir", dir]);
  await stopEmulator(generator.child, 5000);
  const child = spawn(process.execPath, [...process.argv.slice(1), `--tls-dir=${dir}`], {
    stdio: "inherit", env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") },
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main() {
  const args = process.argv.slice(2);
  const binary = args.find((a) => !a.startsWith("--"));
  const verbose = args.includes("--verbose");
  const http2 = args.includes("--wire=h2");
  if (!binary) {
    console.error("usage: node emulator_conformance.mjs path/to/bedrock-emulator [--verbose] [--wire=h2]");
    process.exit(2);
  }
  const tlsDirArg = args.find((a) => a.startsWith("--tls-dir="));
  if (http2 && !tlsDirArg) {
    process.exit(await rerunTrustingANewCa(binary));
  }
  const tlsDir = tlsDirArg?.slice("--tls-dir=".length);
  scrubAwsEnvironment();
  const sdk = await loadSdk();
  const { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } = sdk.runtime;
  const {
    BedrockClient, ListFoundationModelsCommand, GetFoundationModelCommand,
    ListInferenceProfilesCommand, GetInferenceProfileCommand, paginateListInferenceProfiles,
  } = sdk.control;

  const emulator = await startEmulator(binary, [
    "--host", "127.0.0.1", "--port", "0", "--threads", "2", "--seed", "7", "--mode", "echo",
    ...(http2 ? ["--tls-cert", join(tlsDir, "cert.pem"), "--tls-key", join(tlsDir, "key.pem")] : []),
  ]);
  console.log(`emulator ${binary} listening on ${emulator.host}:${emulator.port}`);
  const guard = guardEmulator(emulator, { deadlineMs: OVERALL_DEADLINE_MS });

  // The admin API stays plaintext (the TLS port also answers plaintext HTTP/1.1).
  const admin = new Admin(emulator.baseUrl);
  const endpoint = http2 ? `https://127.0.0.1:${emulator.port}` : emulator.baseUrl;
  // The handler under test: HTTP/1.1's, or HTTP/2's (the runtime client's default) on --wire=h2.
  const makeHandler = (options = {}) => (http2 ? new sdk.NodeHttp2Handler(options) : new sdk.NodeHttpHandler(options));
  console.log(`wire: ${http2 ? "HTTPS + HTTP/2 (NodeHttp2Handler)" : "plaintext HTTP/1.1 (NodeHttpHandler)"}`);
  const goodCredentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };
  const clientConfig = (region, extra = {}) => ({
    region, endpoint, credentials: goodCredentials, maxAttempts: 1,
    requestHandler: makeHandler(), ...extra,
  });
  const runtimeClients = new Map();
  const controlClients = new Map();
  const runtime = (region = PRIMARY_REGION) => {
    if (!runtimeClients.has(region)) runtimeClients.set(region, new BedrockRuntimeClient(clientConfig(region)));
    return runtimeClients.get(region);
  };
  const control = (region = PRIMARY_REGION) => {
    if (!controlClients.has(region)) controlClients.set(region, new BedrockClient(clientConfig(region)));
    return controlClients.get(region);
  };

  const runner = new CheckRunner({ timeoutMs: 30000 });
  const check = runner.check.bind(runner);
  const verified = { http: new Map(), inStream: [], control: [], auth: [] };
  const noteHttp = (operation, name, status) => {
    if (!verified.http.has(name)) verified.http.set(name, { status, operations: [] });
    verified.http.get(name).operations.push(operation);
  };

  // Every check starts from a clean scenario; the log is reset where a check reads it.
  const fresh = async () => admin.clear();

  // ---- admin API -------------------------------------------------------------------------------
  await check("admin: POST /_emulator/reset, GET scenario/requests/counters answer JSON", async () => {
    await admin.reset();
    for (const path of ["/_emulator/scenario", "/_emulator/requests", "/_emulator/counters"]) {
      const reply = await admin.request("GET", path);
      assertEqual(reply.status, 200, `GET ${path} status`);
      assert(reply.json !== undefined, `GET ${path} is not JSON: ${reply.text.slice(0, 200)}`);
    }
  });

  await check("admin: invalid scenario -> 400 with a message, old scenario kept", async () => {
    const kept = { seed: 3, rules: [{ name: "kept", match: { operation: "GetInferenceProfile" },
                                      action: { type: "delay", ms: 1 } }] };
    await admin.putScenario(kept);
    for (const bad of ["{not json", JSON.stringify({ rules: [{ match: {}, action: { type: "no-such-action" } }] })]) {
      const reply = await admin.request("PUT", "/_emulator/scenario", bad);
      assertEqual(reply.status, 400, `PUT ${bad} status`);
      assert(reply.text.length > 0, `PUT ${bad}: empty 400 body`);
    }
    const current = await admin.request("GET", "/_emulator/scenario");
    assert(current.text.includes("kept"), `scenario after invalid PUTs: ${current.text.slice(0, 300)}`);
    await fresh();
  });

  // ---- control plane ---------------------------------------------------------------------------
  const catalog = {};
  let model = PREFERRED_MODEL;
  let modelSummary;

  await check(`ListFoundationModels ${PRIMARY_REGION}`, async () => {
    const reply = await control(PRIMARY_REGION).send(new ListFoundationModelsCommand({}));
    assertEqual(reply.$metadata.httpStatusCode, 200, "HTTP status");
    const models = reply.modelSummaries ?? [];
    assert(models.length > 0, "no modelSummaries");
    for (const m of models) {
      assert(m.modelId && m.modelArn, `summary without modelId/modelArn: ${JSON.stringify(m)}`);
      assertEqual(m.modelArn, `arn:aws:bedrock:${PRIMARY_REGION}::foundation-model/${m.modelId}`, "modelArn");
    }
    catalog[PRIMARY_REGION] = models;
    return `${models.length} models`;
  });

  await check(`ListFoundationModels ${OTHER_REGION}`, async () => {
    const reply = await control(OTHER_REGION).send(new ListFoundationModelsCommand({}));
    const models = reply.modelSummaries ?? [];
    assert(models.length > 0, "no modelSummaries");
    for (const m of models) {
      assertEqual(m.modelArn, `arn:aws:bedrock:${OTHER_REGION}::foundation-model/${m.modelId}`, "modelArn");
    }
    catalog[OTHER_REGION] = models;
    return `${models.length} models`;
  });

  // The model the runtime checks use: on demand in both regions, text out, streaming, image in.
  {
    const onDemand = (m) => (m.inferenceTypesSupported ?? []).includes("ON_DEMAND");
    const other = new Set((catalog[OTHER_REGION] ?? []).filter(onDemand).map((m) => m.modelId));
    const usable = (catalog[PRIMARY_REGION] ?? []).filter((m) => onDemand(m) && other.has(m.modelId) &&
      (m.outputModalities ?? []).includes("TEXT") && m.responseStreamingSupported !== false);
    const withImage = usable.filter((m) => (m.inputModalities ?? []).includes("IMAGE"));
    modelSummary = usable.find((m) => m.modelId === PREFERRED_MODEL) ?? withImage[0] ?? usable[0];
    if (modelSummary) model = modelSummary.modelId;
    console.log(`runtime checks use model ${model}` +
                (modelSummary ? ` (${modelSummary.providerName}; inputs ${modelSummary.inputModalities})` :
                                " (not found in the catalog: guessed)"));
  }

  await check("ListFoundationModels with filters (byProvider, byOutputModality, byInferenceType)", async () => {
    const all = catalog[PRIMARY_REGION] ?? [];
    const provider = modelSummary?.providerName ?? "Anthropic";
    const reply = await control().send(new ListFoundationModelsCommand({
      byProvider: provider, byOutputModality: "TEXT", byInferenceType: "ON_DEMAND",
    }));
    const models = reply.modelSummaries ?? [];
    assert(models.length > 0, `no model for provider ${provider}`);
    for (const m of models) {
      assertEqual(m.providerName?.toLowerCase(), provider.toLowerCase(), `providerName of ${m.modelId}`);
      assert((m.outputModalities ?? []).includes("TEXT"), `${m.modelId} has no TEXT output`);
      assert((m.inferenceTypesSupported ?? []).includes("ON_DEMAND"), `${m.modelId} is not ON_DEMAND`);
    }
    assert(models.some((m) => m.modelId === model), `filtered list lacks ${model}`);
    const expected = all.filter((m) => m.providerName?.toLowerCase() === provider.toLowerCase() &&
      (m.outputModalities ?? []).includes("TEXT") && (m.inferenceTypesSupported ?? []).includes("ON_DEMAND"));
    assertEqual(models.length, expected.length, "filtered count vs. client-side filter of the full list");
    return `${models.length} of ${all.length}`;
  });

  await check("GetFoundationModel", async () => {
    const reply = await control().send(new GetFoundationModelCommand({ modelIdentifier: model }));
    assertEqual(reply.modelDetails?.modelId, model, "modelDetails.modelId");
    assertEqual(reply.modelDetails?.modelArn, `arn:aws:bedrock:${PRIMARY_REGION}::foundation-model/${model}`,
                "modelDetails.modelArn");
    if (modelSummary) assert(jsonEqual(reply.modelDetails, modelSummary), "modelDetails differs from the list summary");
  });

  await check("GetFoundationModel unknown id -> ResourceNotFoundException or ValidationException", async () => {
    const error = await expectError(() => control().send(
      new GetFoundationModelCommand({ modelIdentifier: "nobody.no-such-model-v9:0" })), "unknown model");
    assert(["ResourceNotFoundException", "ValidationException"].includes(error.name), describe(error));
    assert([404, 400].includes(error.$metadata?.httpStatusCode), describe(error));
    verified.control.push(`GetFoundationModel ${error.name} ${error.$metadata.httpStatusCode}`);
    return error.name;
  });

  let profiles = [];
  await check("ListInferenceProfiles (one page of up to 1000)", async () => {
    const reply = await control().send(new ListInferenceProfilesCommand({ maxResults: 1000 }));
    profiles = reply.inferenceProfileSummaries ?? [];
    assert(profiles.length > 0, "no inference profiles");
    assert(!reply.nextToken, `nextToken with maxResults 1000 and ${profiles.length} profiles`);
    for (const p of profiles) {
      assert(p.inferenceProfileId && p.inferenceProfileArn && p.inferenceProfileName,
             `profile without id/arn/name: ${JSON.stringify(p)}`);
      assert(p.createdAt instanceof Date && !Number.isNaN(p.createdAt.getTime()),
             `createdAt of ${p.inferenceProfileId} is not an RFC 3339 date-time`);
      assert((p.models ?? []).length > 0, `${p.inferenceProfileId} has no models`);
      assert(["SYSTEM_DEFINED", "APPLICATION"].includes(p.type), `type ${p.type}`);
      assertEqual(p.status, "ACTIVE", `status of ${p.inferenceProfileId}`);
    }
    return `${profiles.length} profiles`;
  });

  await check("paginateListInferenceProfiles pageSize 2 -> several pages, same profiles", async () => {
    const pageSize = 2;
    const ids = [];
    let pages = 0;
    for await (const page of paginateListInferenceProfiles({ client: control(), pageSize }, {})) {
      pages += 1;
      const items = page.inferenceProfileSummaries ?? [];
      assert(items.length <= pageSize, `page ${pages} has ${items.length} > ${pageSize} items`);
      ids.push(...items.map((p) => p.inferenceProfileId));
      assert(pages < 10000, "pagination does not end");
    }
    assertEqual(new Set(ids).size, ids.length, "distinct ids across pages");
    assert(jsonEqual([...ids].sort(), profiles.map((p) => p.inferenceProfileId).sort()),
           "paginated ids differ from the single-page list");
    assert(pages >= Math.ceil(profiles.length / pageSize), `only ${pages} pages for ${profiles.length} profiles`);
    assert(pages >= 2, `only ${pages} page(s): need more than ${pageSize} profiles to test pagination`);
    return `${pages} pages, ${ids.length} profiles`;
  });

  await check("ListInferenceProfiles typeEquals SYSTEM_DEFINED (wire name `type`)", async () => {
    const reply = await control().send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED", maxResults: 1000 }));
    const items = reply.inferenceProfileSummaries ?? [];
    assert(items.every((p) => p.type === "SYSTEM_DEFINED"), "a non-SYSTEM_DEFINED profile in the filtered list");
    assertEqual(items.length, profiles.filter((p) => p.type === "SYSTEM_DEFINED").length, "filtered count");
  });

  await check("GetInferenceProfile by id and by ARN", async () => {
    assert(profiles.length > 0, "no profile listed");
    const first = profiles[0];
    for (const identifier of [first.inferenceProfileId, first.inferenceProfileArn]) {
      const reply = await control().send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: identifier }));
      assertEqual(reply.inferenceProfileId, first.inferenceProfileId, `inferenceProfileId for ${identifier}`);
      assertEqual(reply.inferenceProfileArn, first.inferenceProfileArn, `inferenceProfileArn for ${identifier}`);
      assert((reply.models ?? []).length === first.models.length, "models differ from the list");
    }
  });

  await check("GetInferenceProfile unknown id -> ResourceNotFoundException 404", async () => {
    const error = await expectError(() => control().send(
      new GetInferenceProfileCommand({ inferenceProfileIdentifier: "us.nobody.no-such-model-v9:0" })), "unknown profile");
    expectNamedError(error, "ResourceNotFoundException", 404);
    verified.control.push("GetInferenceProfile ResourceNotFoundException 404");
  });

  // ---- Converse --------------------------------------------------------------------------------
  await check("Converse text", async () => {
    await admin.reset();
    const reply = await runtime().send(new ConverseCommand({
      modelId: model, messages: userMessage(), inferenceConfig: { maxTokens: 256 } }));
    const message = checkConverseReply(reply);
    const text = textOf(message.content);
    assert(text.length > 0, "empty answer text");
    assert(text.includes(PROMPT), `echo mode: answer ${JSON.stringify(text.slice(0, 200))} lacks the prompt`);
    const log = logEntries(await admin.requests());
    const entry = log.at(-1);
    assert(entry, "request log is empty after a Converse call");
    assertEqual(entry.operation, "Converse", "log operation");
    assertEqual(entry.region, PRIMARY_REGION, "log region");
    return `${reply.usage.inputTokens}+${reply.usage.outputTokens} tokens`;
  });

  await check(`Converse in ${OTHER_REGION} (region from the credential scope, same port)`, async () => {
    await admin.reset();
    const reply = await runtime(OTHER_REGION).send(new ConverseCommand({ modelId: model, messages: userMessage() }));
    checkConverseReply(reply);
    const entry = logEntries(await admin.requests()).at(-1);
    assertEqual(entry?.region, OTHER_REGION, "log region");
  });

  await check("Converse with image bytes", async () => {
    const reply = await runtime().send(new ConverseCommand({
      modelId: model,
      messages: userMessage({ text: "What is in this image?" }, { image: { format: "png", source: { bytes: PNG_1X1 } } }),
    }));
    assert(textOf(checkConverseReply(reply).content).length > 0, "empty answer");
  });

  await check("Converse with a document", async () => {
    const reply = await runtime().send(new ConverseCommand({
      modelId: model,
      messages: userMessage({ text: "Summarise the document." },
                            { document: { format: "txt", name: "notes", source: { bytes: DOCUMENT_BYTES } } }),
    }));
    assert(textOf(checkConverseReply(reply).content).length > 0, "empty answer");
  });

  await check("Converse with a system prompt and inferenceConfig", async () => {
    const reply = await runtime().send(new ConverseCommand({
      modelId: model, system: [{ text: "You are terse." }], messages: userMessage(),
      inferenceConfig: { maxTokens: 128, temperature: 0.5, topP: 0.9, stopSequences: ["END"] },
    }));
    assert(textOf(checkConverseReply(reply).content).length > 0, "empty answer");
  });

  const toolConfig = {
    tools: [{ toolSpec: { name: "get_weather", description: "Weather lookup",
                          inputSchema: { json: { type: "object", properties: { city: { type: "string" } },
                                                 required: ["city"] } } } }],
    toolChoice: { auto: {} },
  };
  const toolInput = { city: "Paris", units: { temperature: "C" }, days: [1, 2] };

  await check("Converse with toolConfig, no rule -> ordinary answer", async () => {
    await fresh();
    const reply = await runtime().send(new ConverseCommand({ modelId: model, messages: userMessage(), toolConfig }));
    checkConverseReply(reply);
  });

  await check("Converse toolUse rule -> stopReason tool_use + toolUse block; toolResult turn -> end_turn", async () => {
    await admin.rule({ operation: "Converse", calls: [1] }, { type: "toolUse", name: "get_weather", input: toolInput });
    const reply = await runtime().send(new ConverseCommand({ modelId: model, messages: userMessage(), toolConfig }));
    const message = checkConverseReply(reply, { stopReason: "tool_use" });
    const block = message.content.find((b) => b.toolUse)?.toolUse;
    assert(block, `no toolUse block in ${JSON.stringify(message.content)}`);
    assertEqual(block.name, "get_weather", "toolUse.name");
    assert(/^[a-zA-Z0-9_.:-]{1,64}$/.test(block.toolUseId ?? ""), `toolUseId ${block.toolUseId}`);
    assert(jsonEqual(block.input, toolInput), `toolUse.input ${JSON.stringify(block.input)}`);
    const second = await runtime().send(new ConverseCommand({
      modelId: model, toolConfig,
      messages: [
        ...userMessage(),
        message,
        { role: "user", content: [{ toolResult: { toolUseId: block.toolUseId, content: [{ json: { tempC: 21 } }],
                                                   status: "success" } }] },
      ],
    }));
    checkConverseReply(second, { stopReason: "end_turn" });
    await fresh();
  });

  // ---- ConverseStream ---------------------------------------------------------------------------
  await check("ConverseStream text: messageStart, deltas, messageStop, metadata", async () => {
    await fresh();
    const reply = await runtime().send(new ConverseStreamCommand({ modelId: model, messages: userMessage() }));
    assertEqual(reply.$metadata.httpStatusCode, 200, "HTTP status");
    const { events, error } = await drain(reply);
    if (error) throw new Error(`stream failed after ${events.length} events: ${describe(error)}`);
    const { blocks, names } = checkCompleteStream(events);
    const text = [...blocks.values()].map((b) => b.text).join("");
    assert(text.includes(PROMPT), `echo mode: streamed text ${JSON.stringify(text.slice(0, 200))} lacks the prompt`);
    assert(!names.includes("contentBlockStart") ||
           [...blocks.values()].every((b) => !b.start?.text), "contentBlockStart for a text block");
    return `${events.length} events, ${names.filter((n) => n === "contentBlockDelta").length} deltas`;
  });

  await check("ConverseStream toolUse rule -> contentBlockStart toolUse, input fragments, tool_use", async () => {
    await admin.rule({ operation: "ConverseStream" }, { type: "toolUse", name: "get_weather", input: toolInput });
    const reply = await runtime().send(new ConverseStreamCommand({ modelId: model, messages: userMessage(), toolConfig }));
    const { events, error } = await drain(reply);
    if (error) throw new Error(`stream failed after ${events.length} events: ${describe(error)}`);
    const { blocks } = checkCompleteStream(events, { stopReason: "tool_use" });
    const tool = [...blocks.values()].find((b) => b.start?.toolUse);
    assert(tool, "no contentBlockStart with start.toolUse");
    assertEqual(tool.start.toolUse.name, "get_weather", "start.toolUse.name");
    assert(/^[a-zA-Z0-9_.:-]{1,64}$/.test(tool.start.toolUse.toolUseId ?? ""), `toolUseId ${tool.start.toolUse.toolUseId}`);
    let input;
    try {
      input = JSON.parse(tool.toolInput);
    } catch {
      throw new Error(`concatenated toolUse input is not JSON: ${JSON.stringify(tool.toolInput)}`);
    }
    assert(jsonEqual(input, toolInput), `toolUse input ${JSON.stringify(input)}`);
    await fresh();
  });

  // ---- modelled exceptions ---------------------------------------------------------------------
  for (const operation of ["Converse", "ConverseStream"]) {
    for (const [name, status] of MODELLED) {
      await check(`${operation} ${name} -> SDK ${name}, HTTP ${status}`, async () => {
        const message = `injected ${name} for ${operation}`;
        await admin.rule({ operation }, { type: "error", exception: name, message });
        const Command = operation === "Converse" ? ConverseCommand : ConverseStreamCommand;
        const error = await expectError(() => runtime().send(new Command({ modelId: model, messages: userMessage() })),
                                        name);
        expectNamedError(error, name, status);
        assertEqual(error.message, message, "error.message");
        assert(error.$metadata?.requestId, "no $metadata.requestId");
        const fault = status >= 500 ? "server" : "client";
        assertEqual(error.$fault, fault, "$fault");
        assertEqual(error.$metadata.attempts, 1, "$metadata.attempts with maxAttempts 1");
        noteHttp(operation, name, status);
      });
    }
  }
  await fresh();

  await check("error rule with status override and retryAfterSeconds", async () => {
    await admin.rule({ operation: "Converse" },
                     { type: "error", exception: "ThrottlingException", status: 400, message: "slow down",
                       retryAfterSeconds: 2 });
    const error = await expectError(() => runtime().send(new ConverseCommand({ modelId: model, messages: userMessage() })),
                                    "throttled");
    expectNamedError(error, "ThrottlingException", 400);
    assert(error.$response, "the SDK error carries no $response to read Retry-After from");
    const retryAfter = headerOf(error, "retry-after");
    const amzRetryAfter = headerOf(error, "x-amz-retry-after");
    assert(retryAfter === "2" || amzRetryAfter === "2000",
           `retryAfterSeconds 2: Retry-After ${retryAfter}, x-amz-retry-after ${amzRetryAfter}`);
    await fresh();
    return `Retry-After ${retryAfter}, x-amz-retry-after ${amzRetryAfter}`;
  });

  await check("request log entry carries the documented fields, outcome and rule", async () => {
    await admin.reset();
    await admin.rule({ operation: "Converse" }, { type: "error", exception: "ThrottlingException", message: "logged" },
                     "log me");
    await expectError(() => runtime().send(new ConverseCommand({ modelId: model, messages: userMessage() })), "throttled");
    const entry = logEntries(await admin.requests()).at(-1);
    assert(entry, "request log is empty");
    const fields = ["time", "method", "path", "region", "model", "operation", "signedHeaders", "bodySize", "outcome", "rule"];
    const missing = fields.filter((f) => !(f in entry));
    assert(missing.length === 0, `missing ${missing.join(", ")} in ${JSON.stringify(entry)}`);
    assertEqual(entry.method, "POST", "method");
    assertEqual(entry.model, model, "model (decoded)");
    assert(String(entry.path).includes("%3A"), `path should be the raw encoded path: ${entry.path}`);
    assert(String(entry.outcome).includes("429") && String(entry.outcome).includes("ThrottlingException"),
           `outcome ${entry.outcome}`);
    assertEqual(entry.rule, "log me", "rule");
    const signed = Array.isArray(entry.signedHeaders) ? entry.signedHeaders.join(";") : String(entry.signedHeaders);
    // Over HTTP/2 the SDK signs the :authority pseudo-header instead of host (the service accepts it).
    const authority = http2 ? ":authority" : "host";
    assert(signed.split(";").includes(authority) && signed.includes("x-amz-date"), `signedHeaders ${signed}`);
    assert(!JSON.stringify(entry).includes(SECRET_ACCESS_KEY), "the secret key appears in the log");
    await fresh();
  });

  await check("scenario mode generate + seed: deterministic answer, not the echo", async () => {
    const ask = async () => textOf(checkConverseReply(await runtime().send(new ConverseCommand({
      modelId: model, messages: userMessage(), inferenceConfig: { maxTokens: 64 } }))).content);
    await admin.putScenario({ seed: 11, mode: "generate", rules: [] });
    const first = await ask();
    await admin.putScenario({ seed: 11, mode: "generate", rules: [] });
    const second = await ask();
    assert(first.length > 0, "empty generated text");
    assertEqual(second, first, "same seed, same request, same answer");
    assert(first !== PROMPT, "generate mode answered with the echo");
    await fresh();
    return JSON.stringify(first.slice(0, 40));
  });

  await check("scenario latency timeToFirstTokenMs 300 delays the stream", async () => {
    await admin.putScenario({ latency: { timeToFirstTokenMs: 300, tokensPerSecond: 0 }, rules: [] });
    const started = Date.now();
    const reply = await runtime().send(new ConverseStreamCommand({ modelId: model, messages: userMessage() }));
    const { events, error } = await drain(reply);
    const elapsed = Date.now() - started;
    if (error) throw new Error(`stream failed: ${describe(error)}`);
    checkCompleteStream(events);
    assert(elapsed >= 290, `stream complete after ${elapsed} ms`);
    await fresh();
    return `${elapsed} ms`;
  });

  // ---- in-stream exceptions --------------------------------------------------------------------
  for (const [member, name] of IN_STREAM) {
    await check(`ConverseStream in-stream ${member} after 2 events -> iterator throws ${name}`, async () => {
      const message = `injected ${member}`;
      await admin.rule({ operation: "ConverseStream" }, { type: "streamException", exception: member, afterEvents: 2, message });
      const reply = await runtime().send(new ConverseStreamCommand({ modelId: model, messages: userMessage() }));
      assertEqual(reply.$metadata.httpStatusCode, 200, "HTTP status (the stream had started)");
      const { events, error } = await drain(reply);
      assert(error, `stream ended without an error after ${events.length} events`);
      if (error.name !== name) throw new Error(`expected ${name}, got ${describe(error)}`);
      assertEqual(error.message, message, "error.message");
      assertEqual(events.length, 2, "events yielded before the exception");
      assertEqual(eventName(events[0]), "messageStart", "first event");
      verified.inStream.push(`${member} -> ${name}`);
    });
  }
  await fresh();

  // ---- profile-only models ---------------------------------------------------------------------
  const profileFor = (modelId, region = PRIMARY_REGION) => profiles.find((p) => (p.models ?? []).some(
    (m) => m.modelArn === `arn:aws:bedrock:${region}::foundation-model/${modelId}`));
  const onDemandError = async (modelId) => {
    const error = await expectError(() => runtime().send(new ConverseCommand({ modelId, messages: userMessage() })),
                                    `direct call to ${modelId}`);
    expectNamedError(error, "ValidationException", 400);
    assert(error.message.includes("on-demand throughput"), `message lacks "on-demand throughput": ${error.message}`);
  };

  await check("catalog profile-only model called directly -> ValidationException 'on-demand throughput'; via profile -> 200", async () => {
    const candidate = (catalog[PRIMARY_REGION] ?? []).find((m) => {
      const types = m.inferenceTypesSupported ?? [];
      return !types.includes("ON_DEMAND") && types.includes("INFERENCE_PROFILE") && profileFor(m.modelId);
    });
    assert(candidate, `no model in ${PRIMARY_REGION} with INFERENCE_PROFILE but not ON_DEMAND (and a profile)`);
    await onDemandError(candidate.modelId);
    const profile = profileFor(candidate.modelId);
    const reply = await runtime().send(new ConverseCommand({ modelId: profile.inferenceProfileId, messages: userMessage() }));
    checkConverseReply(reply);
    return `${candidate.modelId} via ${profile.inferenceProfileId}`;
  });

  await check("requireProfile rule -> ValidationException 'on-demand throughput'; profile id still answers", async () => {
    await admin.rule({ model }, { type: "requireProfile" });
    await onDemandError(model);
    const profile = profileFor(model);
    if (profile) {
      const reply = await runtime().send(new ConverseCommand({ modelId: profile.inferenceProfileId, messages: userMessage() }));
      checkConverseReply(reply);
    }
    await fresh();
    return profile ? `via ${profile.inferenceProfileId}` : "no profile routes to the model";
  });

  await check("Converse/ConverseStream with an inference-profile ARN and a foundation-model ARN as modelId", async () => {
    const profile = profileFor(model);
    assert(profile, `no profile routes to ${model}`);
    const ids = [profile.inferenceProfileArn, `arn:aws:bedrock:${PRIMARY_REGION}::foundation-model/${model}`];
    for (const modelId of ids) {
      try {
        checkConverseReply(await runtime().send(new ConverseCommand({ modelId, messages: userMessage() })));
        const reply = await runtime().send(new ConverseStreamCommand({ modelId, messages: userMessage() }));
        const { events, error } = await drain(reply);
        if (error) throw error;
        checkCompleteStream(events);
      } catch (error) {
        throw new Error(`modelId ${modelId}: ${describe(error)}`);
      }
    }
  });

  await check("32 concurrent Converse and ConverseStream calls on keep-alive connections", async () => {
    const calls = [];
    for (let i = 0; i < 32; i++) {
      const prompt = `concurrent call ${i}`;
      const messages = [{ role: "user", content: [{ text: prompt }] }];
      calls.push(i % 2 === 0
        ? runtime().send(new ConverseCommand({ modelId: model, messages })).then((reply) => {
            const text = textOf(checkConverseReply(reply).content);
            assert(text.includes(prompt), `call ${i}: answer ${JSON.stringify(text)} is another call's`);
          })
        : runtime().send(new ConverseStreamCommand({ modelId: model, messages })).then(async (reply) => {
            const { events, error } = await drain(reply);
            if (error) throw error;
            const { blocks } = checkCompleteStream(events);
            const text = [...blocks.values()].map((b) => b.text).join("");
            assert(text.includes(prompt), `call ${i}: streamed ${JSON.stringify(text)} is another call's`);
          }));
    }
    const results = await Promise.allSettled(calls);
    const failed = results.filter((r) => r.status === "rejected");
    assert(failed.length === 0, `${failed.length} of 32 failed; first: ${describe(failed[0]?.reason)}`);
  });

  await check("Converse unknown model -> ResourceNotFoundException 404 or ValidationException 400", async () => {
    const error = await expectError(() => runtime().send(new ConverseCommand({
      modelId: "nobody.no-such-model-v9:0", messages: userMessage() })), "unknown model");
    assert((error.name === "ResourceNotFoundException" && error.$metadata?.httpStatusCode === 404) ||
           (error.name === "ValidationException" && error.$metadata?.httpStatusCode === 400), describe(error));
    return `${error.name}: ${error.message}`;
  });

  // ---- authentication --------------------------------------------------------------------------
  await check("Converse signed with a wrong secret -> InvalidSignatureException 403", async () => {
    const client = new BedrockRuntimeClient(clientConfig(PRIMARY_REGION, {
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "not-the-secret" } }));
    const error = await expectError(() => client.send(new ConverseCommand({ modelId: model, messages: userMessage() })),
                                    "wrong secret");
    expectNamedError(error, "InvalidSignatureException", 403);
    verified.auth.push("InvalidSignatureException 403 (Converse, wrong secret)");
  });

  await check("ListFoundationModels signed with a wrong secret -> InvalidSignatureException 403", async () => {
    const client = new BedrockClient(clientConfig(PRIMARY_REGION, {
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "not-the-secret" } }));
    const error = await expectError(() => client.send(new ListFoundationModelsCommand({})), "wrong secret");
    expectNamedError(error, "InvalidSignatureException", 403);
    verified.auth.push("InvalidSignatureException 403 (ListFoundationModels, wrong secret)");
  });

  await check("Converse with an unknown access key -> 403", async () => {
    const client = new BedrockRuntimeClient(clientConfig(PRIMARY_REGION, {
      credentials: { accessKeyId: "AKIDUNKNOWN", secretAccessKey: SECRET_ACCESS_KEY } }));
    const error = await expectError(() => client.send(new ConverseCommand({ modelId: model, messages: userMessage() })),
                                    "unknown key");
    assertEqual(error.$metadata?.httpStatusCode, 403, `status (${describe(error)})`);
    verified.auth.push(`${error.name} 403 (unknown access key)`);
    return error.name;
  });

  await check("Converse signed 10 minutes in the past -> InvalidSignatureException 403", async () => {
    const client = new BedrockRuntimeClient(clientConfig(PRIMARY_REGION, { systemClockOffset: -10 * 60 * 1000 }));
    const error = await expectError(() => client.send(new ConverseCommand({ modelId: model, messages: userMessage() })),
                                    "skewed clock");
    expectNamedError(error, "InvalidSignatureException", 403);
    verified.auth.push("InvalidSignatureException 403 (x-amz-date outside 5 min)");
    return error.message;
  });

  await check("Converse with a session token (accepted, not checked)", async () => {
    const client = new BedrockRuntimeClient(clientConfig(PRIMARY_REGION, {
      credentials: { ...goodCredentials, sessionToken: "EXAMPLE-SESSION-TOKEN" } }));
    checkConverseReply(await client.send(new ConverseCommand({ modelId: model, messages: userMessage() })));
  });

  await check("Converse with the bearer token (region = bearerRegion us-east-1)", async () => {
    await admin.reset();
    const client = new BedrockRuntimeClient({
      region: OTHER_REGION, endpoint, maxAttempts: 1, requestHandler: makeHandler(),
      token: { token: BEARER_TOKEN }, authSchemePreference: ["httpBearerAuth"],
    });
    checkConverseReply(await client.send(new ConverseCommand({ modelId: model, messages: userMessage() })));
    const entry = logEntries(await admin.requests()).at(-1);
    assertEqual(entry?.region, PRIMARY_REGION, "log region of a bearer request");
  });

  await check("Converse with a wrong bearer token -> 403", async () => {
    const client = new BedrockRuntimeClient({
      region: PRIMARY_REGION, endpoint, maxAttempts: 1, requestHandler: makeHandler(),
      token: { token: "not-the-token" }, authSchemePreference: ["httpBearerAuth"],
    });
    const error = await expectError(() => client.send(new ConverseCommand({ modelId: model, messages: userMessage() })),
                                    "wrong bearer token");
    assertEqual(error.$metadata?.httpStatusCode, 403, `status (${describe(error)})`);
    verified.auth.push(`${error.name} 403 (wrong bearer token)`);
    return error.name;
  });

  // ---- scenario matching and fault actions -----------------------------------------------------
  await check("rule match by region: us-west-2 throttled, us-east-1 not", async () => {
    await admin.rule({ region: OTHER_REGION, operation: "Converse" },
                     { type: "error", exception: "ThrottlingException", message: "west only" });
    checkConverseReply(await runtime(PRIMARY_REGION).send(new ConverseCommand({ modelId: model, messages: userMessage() })));
    const error = await expectError(() => runtime(OTHER_REGION).send(
      new ConverseCommand({ modelId: model, messages: userMessage() })), "us-west-2");
    expectNamedError(error, "ThrottlingException", 429);
    await fresh();
  });

  await check("rule calls [1, 2]: first two calls fail, the third answers", async () => {
    await admin.rule({ operation: "Converse", calls: [1, 2] },
                     { type: "error", exception: "ServiceUnavailableException", message: "twice" });
    for (let i = 1; i <= 2; i++) {
      const error = await expectError(() => runtime().send(new ConverseCommand({ modelId: model, messages: userMessage() })),
                                      `call ${i}`);
      expectNamedError(error, "ServiceUnavailableException", 503);
    }
    checkConverseReply(await runtime().send(new ConverseCommand({ modelId: model, messages: userMessage() })));
    await fresh();
  });

  await check("rule probability 0 never fires", async () => {
    await admin.rule({ operation: "Converse", probability: 0 },
                     { type: "error", exception: "InternalServerException", message: "never" });
    for (let i = 0; i < 3; i++) {
      checkConverseReply(await runtime().send(new ConverseCommand({ modelId: model, messages: userMessage() })));
    }
    await fresh();
  });

  await check("delay 400 ms -> normal answer, no sooner", async () => {
    await admin.rule({ operation: "Converse" }, { type: "delay", ms: 400 });
    const started = Date.now();
    checkConverseReply(await runtime().send(new ConverseCommand({ modelId: model, messages: userMessage() })));
    const elapsed = Date.now() - started;
    assert(elapsed >= 390, `answered after ${elapsed} ms`);
    await fresh();
    return `${elapsed} ms`;
  });

  await check("stall -> client request timeout (TimeoutError)", async () => {
    await admin.rule({ operation: "Converse" }, { type: "stall" });
    const client = new BedrockRuntimeClient(clientConfig(PRIMARY_REGION, {
      requestHandler: makeHandler({ requestTimeout: 1000, throwOnRequestTimeout: true }) }));
    const started = Date.now();
    const error = await expectError(() => client.send(new ConverseCommand({ modelId: model, messages: userMessage() })),
                                    "stall");
    const elapsed = Date.now() - started;
    assert(error.name === "TimeoutError" || error.code === "ETIMEDOUT", describe(error));
    assert(elapsed >= 900, `gave up after ${elapsed} ms`);
    await fresh();
  });

  await check(`reset -> connection error (${http2 ? "RST_STREAM INTERNAL_ERROR" : "ECONNRESET / socket hang up"})`, async () => {
    await admin.rule({ operation: "Converse" }, { type: "reset" });
    const error = await expectError(() => runtime().send(new ConverseCommand({ modelId: model, messages: userMessage() })),
                                    "reset");
    // HTTP/2: the emulator resets the stream alone (the connection's other streams go on).
    const expected = http2 ? /NGHTTP2_INTERNAL_ERROR/ : /ECONNRESET|socket hang up/i;
    assert((!http2 && error.code === "ECONNRESET") || expected.test(error.message), describe(error));
    assert(error.$metadata?.httpStatusCode === undefined, `got an HTTP status ${error.$metadata?.httpStatusCode}`);
    await fresh();
    return error.code ?? error.message;
  });

  await check("trickle 2 ms: Converse and ConverseStream still decode", async () => {
    await admin.rule({}, { type: "trickle", intervalMs: 2 });
    checkConverseReply(await runtime().send(new ConverseCommand({ modelId: model, messages: userMessage() })));
    const reply = await runtime().send(new ConverseStreamCommand({ modelId: model, messages: userMessage() }));
    const { events, error } = await drain(reply);
    if (error) throw new Error(`stream failed after ${events.length} events: ${describe(error)}`);
    checkCompleteStream(events);
    await fresh();
  });

  await check("streamCut after 2 events -> 2 events, then the stream fails or ends without messageStop", async () => {
    await admin.rule({ operation: "ConverseStream" }, { type: "streamCut", afterEvents: 2 });
    const reply = await runtime().send(new ConverseStreamCommand({ modelId: model, messages: userMessage() }));
    const { events, error } = await drain(reply);
    assertEqual(events.length, 2, "events before the cut");
    assert(!events.some((e) => e.messageStop || e.metadata), "messageStop/metadata after a cut");
    await fresh();
    return error ? `iterator threw ${error.name}: ${error.message}` : "iterator ended silently";
  });

  await check("corruptCrc at event 2 -> 1 event, then a checksum error", async () => {
    await admin.rule({ operation: "ConverseStream" }, { type: "corruptCrc", atEvent: 2 });
    const reply = await runtime().send(new ConverseStreamCommand({ modelId: model, messages: userMessage() }));
    const { events, error } = await drain(reply);
    assert(error, `no error; ${events.length} events`);
    assertEqual(events.length, 1, "events before the corrupt one");
    assert(/checksum|crc/i.test(error.message), `not a checksum error: ${describe(error)}`);
    await fresh();
  });

  await check("counters count operations and connections", async () => {
    const reply = await admin.request("GET", "/_emulator/counters");
    assertEqual(reply.status, 200, "status");
    const text = reply.text;
    assert(text.includes("Converse") && text.includes("ConverseStream"), `counters lack operations: ${text.slice(0, 300)}`);
    if (http2) {
      const tls = JSON.parse(text).tls;
      assert(tls?.byProtocol?.h2 > 0, `no HTTP/2 connection was counted: ${JSON.stringify(tls)}`);
      assertEqual(tls.byProtocol["http/1.1"] ?? 0, 0, "TLS connections on HTTP/1.1");
    }
    if (verbose) console.log(text);
  });

  await check("malformed requests (SDK default HTTP/2 handler, garbage) -> 400 or a client error; emulator keeps serving", async () => {
    // The runtime client's default handler speaks h2c with prior knowledge (wire doc §1.4): the
    // emulator, HTTP/1.1 only, must refuse it without falling over.
    // Plaintext on purpose, on --wire=h2 too: HTTP/2 without TLS is what the emulator refuses.
    const h2 = new BedrockRuntimeClient({ region: PRIMARY_REGION, endpoint: emulator.baseUrl,
                                          credentials: goodCredentials, maxAttempts: 1 });
    const error = await expectError(() => h2.send(new ConverseCommand({ modelId: model, messages: userMessage() }),
                                                  { abortSignal: AbortSignal.timeout(5000) }), "HTTP/2 client");
    h2.destroy();
    const raw = await rawExchange(emulator.port, "garbage\r\n\r\n");
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert(emulator.child.exitCode === null && emulator.child.signalCode === null,
           `the emulator died (exit ${emulator.child.exitCode}, signal ${emulator.child.signalCode}) after ` +
           `an HTTP/2 preface / a garbage request line; stderr: ${emulator.stderrTail().trim().split("\n").at(-1)}`);
    assert(/^HTTP\/1\.1 400 /.test(raw), `garbage request line answered ${JSON.stringify(raw.slice(0, 60))}`);
    checkConverseReply(await runtime().send(new ConverseCommand({ modelId: model, messages: userMessage() })));
    return `HTTP/2 client got ${error.name}: ${error.message}`;
  });

  // ---- shutdown --------------------------------------------------------------------------------
  for (const client of [...runtimeClients.values(), ...controlClients.values()]) client.destroy();
  await check("SIGTERM with an idle keep-alive connection open -> clean exit within 5 s", async () => {
    const idle = net.connect(emulator.port, "127.0.0.1");
    idle.on("error", () => {});
    await new Promise((resolve) => idle.once("connect", resolve).once("error", resolve));
    guard.release();
    const { exitCode, signalCode } = emulator.child;
    assert(exitCode === null && signalCode === null,
           `the emulator had already exited (code ${exitCode}, signal ${signalCode}) before SIGTERM`);
    const { code, signal, forced } = await stopEmulator(emulator.child, 5000);
    idle.destroy();
    assert(!forced, "still running 5 s after SIGTERM (killed)");
    assert(code === 0, `exit code ${code}, signal ${signal}`);
    return `code ${code}`;
  }, { timeoutMs: 10000 });

  // ---- summary ---------------------------------------------------------------------------------
  console.log("\nexceptions verified through the SDK (error.name, $metadata.httpStatusCode):");
  for (const [name, { status, operations }] of verified.http) {
    console.log(`  ${name} ${status}: ${operations.join(", ")}`);
  }
  console.log("in-stream exceptions verified (async iterator):");
  for (const line of verified.inStream) console.log(`  ${line}`);
  console.log("control-plane and authentication errors verified:");
  for (const line of [...verified.control, ...verified.auth]) console.log(`  ${line}`);

  const failures = runner.failures;
  console.log(`\n${runner.results.length - failures.length} passed, ${failures.length} failed`);
  if (failures.length) {
    for (const f of failures) console.log(`  FAIL ${f.name}`);
    const tail = emulator.stderrTail();
    if (tail.trim()) console.log(`\nemulator stderr (tail):\n${tail}`);
  }
  return failures.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`emulator_conformance: ${error.stack ?? error}`);
  process.exit(1);
});
