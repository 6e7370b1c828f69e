// Checks every message written by eventstream_cases against @smithy/eventstream-codec (the codec of
// the AWS SDK for JavaScript v3), three ways:
//   decode  - the codec decodes llmm's bytes; headers (names, order, types, values) and payload
//             must equal the case;
//   encode  - the codec encodes the case itself; its bytes must be identical to llmm's;
//   stream  - llmm's messages, concatenated and cut at seeded random points, go through the SDK's
//             streaming path (getChunkedStream + MessageDecoderStream) and must decode as in
//             `decode`, in order.
// Exit 0 only when all match.
//
// With a second argument, also writes the codec's own encoding of every case there: the meta line,
// then each case with "smithy_base64" added, for eventstream_decode_check (llmm's decoder).
//
//   node eventstream_conformance.mjs cases.jsonl [smithy_encoded.jsonl]
//
// The packages come from ./node_modules, pinned by package-lock.json (scripts/bootstrap).

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const MAX_REPORTED = 5;

// CommonJS packages: named exports when node detects them, else the default export.
async function importCjs(name) {
  const module = await import(name);
  return { ...(module.default ?? {}), ...module };
}

async function loadCodec() {
  const require = createRequire(import.meta.url);
  try {
    const codec = await importCjs("@smithy/eventstream-codec");
    const streams = await importCjs("@smithy/core/event-streams");
    // @smithy/util-utf8 is only a transitive dependency (of @aws-crypto/util); @smithy/core, the
    // codec's own dependency, has the same functions.
    let utf8;
    let utf8From;
    try {
      utf8 = await importCjs("@smithy/util-utf8");
      utf8From = `@smithy/util-utf8 ${require("@smithy/util-utf8/package.json").version}`;
    } catch {
      utf8 = await importCjs("@smithy/core/serde");
      utf8From = "@smithy/core/serde";
    }
    const versions = `@smithy/eventstream-codec ${require("@smithy/eventstream-codec/package.json").version}` +
                     ` (@smithy/core ${require("@smithy/core/package.json").version}, utf8 from ${utf8From})`;
    for (const [what, value] of [["EventStreamCodec", codec.EventStreamCodec], ["Int64", codec.Int64],
                                 ["MessageDecoderStream", codec.MessageDecoderStream],
                                 ["getChunkedStream", streams.getChunkedStream],
                                 ["toUtf8", utf8.toUtf8], ["fromUtf8", utf8.fromUtf8]]) {
      if (typeof value !== "function") throw new Error(`${what} is not exported`);
    }
    return {
      EventStreamCodec: codec.EventStreamCodec, Int64: codec.Int64,
      MessageDecoderStream: codec.MessageDecoderStream, getChunkedStream: streams.getChunkedStream,
      toUtf8: utf8.toUtf8, fromUtf8: utf8.fromUtf8, versions,
    };
  } catch (error) {
    const reason = error.code ?? error.message;
    console.error(`eventstream_conformance: cannot load the npm packages (${reason}): ` +
                  "run scripts/bootstrap (npm ci in tests/conformance)");
    process.exit(2);
  }
}

const hex = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
const fromBase64 = (text) => new Uint8Array(Buffer.from(text, "base64"));
const sameBytes = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength),
                                           Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

// Int64 <-> BigInt through the 8 big-endian two's complement bytes, never through a double.
function int64Bytes(decimal) {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt(decimal), false);
  return bytes;
}
const int64Decimal = (bytes) =>
  new DataView(bytes.buffer, bytes.byteOffset, 8).getBigInt64(0, false).toString();

// A case header -> the tagged value the codec encodes.
function smithyValue(header, { Int64 }) {
  switch (header.type) {
    case "long": return { type: "long", value: new Int64(int64Bytes(header.value)) };
    case "binary": return { type: "binary", value: fromBase64(header.value) };
    case "timestamp": return { type: "timestamp", value: new Date(Number(header.value)) };
    default: return { type: header.type, value: header.value };
  }
}

// A decoded value, printable and comparable with the case's JSON value.
function caseValue(decoded) {
  switch (decoded.type) {
    case "long": return int64Decimal(decoded.value.bytes);
    case "binary": return Buffer.from(decoded.value).toString("base64");
    case "timestamp": return String(decoded.value.getTime());
    default: return decoded.value;
  }
}

const short = (value) => {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…(${text.length} chars)` : text;
};

// Problems with one decoded message against its case; empty when equal.
function compareDecoded(c, decoded) {
  const problems = [];
  const expectedNames = c.headers.map((h) => h.name);
  const names = Object.keys(decoded.headers);
  if (JSON.stringify(names) !== JSON.stringify(expectedNames)) {
    problems.push(`  header names: llmm ${short(expectedNames)}\n                smithy ${short(names)}`);
  }
  for (const header of c.headers) {
    const got = decoded.headers[header.name];
    if (got === undefined) continue;  // reported with the names
    const value = caseValue(got);
    if (got.type !== header.type || value !== header.value) {
      problems.push(`  header ${short(header.name)}: llmm ${header.type} ${short(header.value)}, ` +
                    `smithy decoded ${got.type} ${short(value)}`);
    }
  }
  const payload = fromBase64(c.payload_base64);
  if (!sameBytes(decoded.body, payload)) {
    problems.push(`  payload: llmm ${payload.length} bytes, smithy decoded ${decoded.body.length} bytes` +
                  ` (${firstDifference(payload, decoded.body)})`);
  }
  return problems;
}

function firstDifference(ours, theirs) {
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  return `first difference at byte ${i}`;
}

// Where in the frame a byte offset is, for the encode diff.
function region(bytes, offset) {
  if (offset < 4) return "total length";
  if (offset < 8) return "headers length";
  if (offset < 12) return "prelude CRC";
  const headersEnd = 12 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, false);
  if (offset < headersEnd) return `headers (byte ${offset - 12} of the block)`;
  if (offset < bytes.length - 4) return `payload (byte ${offset - headersEnd})`;
  return "message CRC";
}

function bytesDiff(ours, theirs) {
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  const from = Math.max(0, i - 16);
  return [`  encoding differs: llmm ${ours.length} bytes, smithy ${theirs.length} bytes; ` +
          `first difference at byte ${i}, in the ${region(theirs.length > i ? theirs : ours, i)}`,
          `    - ${hex(ours.subarray(from, i + 24))}   (llmm, from byte ${from})`,
          `    + ${hex(theirs.subarray(from, i + 24))}   (smithy)`].join("\n");
}

function smithyEncode(c, codec, api) {
  const headers = {};
  for (const header of c.headers) headers[header.name] = smithyValue(header, api);
  return codec.encode({ headers, body: fromBase64(c.payload_base64) });
}

function checkEncode(c, theirs) {
  const ours = fromBase64(c.encoded_base64);
  return sameBytes(ours, theirs) ? [] : [bytesDiff(ours, theirs)];
}

// mulberry32: a small seeded PRNG, so a failing split is reproducible from the meta seed.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Cut sizes: a few bytes (splits inside the prelude and headers) or up to a few messages.
function* chunks(bytes, random) {
  let offset = 0;
  while (offset < bytes.length) {
    const size = random() < 0.3 ? 1 + Math.floor(random() * 7) : 1 + Math.floor(random() * 40000);
    yield bytes.slice(offset, offset + size);  // a copy, as a socket read would be
    offset += size;
  }
}

async function checkStream(cases, seed, api) {
  const all = Buffer.concat(cases.map((c) => fromBase64(c.encoded_base64)));
  const pieces = [...chunks(new Uint8Array(all), mulberry32(Number(BigInt(seed) & 0xffffffffn)))];
  async function* source() { for (const piece of pieces) yield piece; }
  const decoder = new api.EventStreamCodec(api.toUtf8, api.fromUtf8);
  const messages = new api.MessageDecoderStream({
    inputStream: api.getChunkedStream(source()), decoder,
  });
  const failures = [];
  let index = 0;
  try {
    for await (const decoded of messages) {
      if (index >= cases.length) {
        failures.push({ c: { id: "extra", kind: "stream" }, problems: ["  more messages than cases"] });
        break;
      }
      const problems = compareDecoded(cases[index], decoded);
      if (problems.length > 0) failures.push({ c: cases[index], problems });
      index++;
    }
  } catch (error) {
    // The codec stops at the first bad message; later ones are not compared.
    failures.push({ c: cases[index] ?? { id: index, kind: "stream" },
                    problems: [`  error after ${index} good messages: ${error.stack ?? error}`] });
  }
  if (index < cases.length && failures.length === 0) {
    failures.push({ c: { id: index, kind: "stream" },
                    problems: [`  the stream ended after ${index} of ${cases.length} messages`] });
  }
  return { failures, chunkCount: pieces.length, byteCount: all.length, decoded: index };
}

function report(check, failures, total) {
  for (const { c, problems } of failures.slice(0, MAX_REPORTED)) {
    console.log(`\nMISMATCH (${check}) case ${c.id} (${c.kind}), ` +
                `${c.headers?.length ?? "?"} headers`);
    console.log(problems.join("\n"));
  }
  if (failures.length > MAX_REPORTED) console.log(`\n… and ${failures.length - MAX_REPORTED} more`);
  console.log(`\neventstream_conformance: ${check}: ${failures.length} of ${total} cases differ ` +
              `(ids ${failures.map(({ c }) => c.id).join(", ")})`);
}

async function main() {
  const file = process.argv[2];
  const smithyFile = process.argv[3];
  if (!file) {
    console.error("usage: node eventstream_conformance.mjs cases.jsonl [smithy_encoded.jsonl]");
    process.exit(2);
  }
  const api = await loadCodec();
  const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.length > 0);
  const meta = lines.length > 0 ? JSON.parse(lines[0]).meta : undefined;
  if (!meta) {
    console.error(`eventstream_conformance: ${file} does not start with a meta line`);
    process.exit(2);
  }
  const cases = lines.slice(1).map((line) => JSON.parse(line));
  if (cases.length === 0 || cases.length !== meta.count) {
    console.error(`eventstream_conformance: expected ${meta.count} cases, read ${cases.length}`);
    process.exit(2);
  }

  const codec = new api.EventStreamCodec(api.toUtf8, api.fromUtf8);
  const decodeFailures = [];
  const encodeFailures = [];
  const types = {};
  const smithyLines = [JSON.stringify({ meta })];
  for (const c of cases) {
    let theirs;
    try {
      theirs = smithyEncode(c, codec, api);
      smithyLines.push(JSON.stringify({ ...c, smithy_base64: Buffer.from(theirs).toString("base64") }));
    } catch (error) {
      theirs = error;
    }
    for (const header of c.headers) {
      const key = header.type === "boolean" ? `boolean ${header.value}` : header.type;
      types[key] = (types[key] ?? 0) + 1;
    }
    for (const [check, failures] of [["decode", decodeFailures], ["encode", encodeFailures]]) {
      let problems;
      try {
        if (check === "encode" && theirs instanceof Error) throw theirs;
        problems = check === "decode" ? compareDecoded(c, codec.decode(fromBase64(c.encoded_base64)))
                                      : checkEncode(c, theirs);
      } catch (error) {
        problems = [`  error: ${error.stack ?? error}`];
      }
      if (problems.length > 0) failures.push({ c, problems });
    }
  }
  let stream;
  try {
    stream = await checkStream(cases, meta.seed, api);
  } catch (error) {
    stream = { failures: [{ c: { id: "-", kind: "stream" }, problems: [`  error: ${error.stack ?? error}`] }],
               chunkCount: 0, byteCount: 0, decoded: 0 };
  }

  if (smithyFile) {
    // Cases smithy could not encode are missing here; the encode check reports them.
    writeFileSync(smithyFile, smithyLines.join("\n") + "\n");
  }

  const summary = Object.entries(types).sort().map(([type, n]) => `${type} ${n}`).join(", ");
  console.log(`eventstream_conformance: seed ${meta.seed}: compared ${cases.length} messages against ` +
              `${api.versions}`);
  console.log(`  header values: ${summary}`);
  console.log(`  decode: ${cases.length - decodeFailures.length}/${cases.length} equal; ` +
              `encode: ${cases.length - encodeFailures.length}/${cases.length} byte-identical; ` +
              `stream: ${stream.decoded} messages from ${stream.byteCount} bytes in ` +
              `${stream.chunkCount} random chunks, ${stream.failures.length} mismatches`);
  const failed = decodeFailures.length + encodeFailures.length + stream.failures.length;
  if (failed === 0) {
    console.log(`eventstream_conformance: all ${cases.length} messages match (decode, encode, stream)`);
    return;
  }
  if (decodeFailures.length > 0) report("decode", decodeFailures, cases.length);
  if (encodeFailures.length > 0) report("encode", encodeFailures, cases.length);
  if (stream.failures.length > 0) report("stream", stream.failures, cases.length);
  process.exit(1);
}

await main();
