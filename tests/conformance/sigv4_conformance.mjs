// Re-signs every case written by sigv4_cases with @smithy/signature-v4 (the signer of the AWS SDK
// for JavaScript v3) and compares each stage with llmm's result: canonical request, string to
// sign, signature, and the headers the signer adds. Exit 0 only when all cases match.
//
//   node sigv4_conformance.mjs cases.jsonl
//
// The packages come from ./node_modules, pinned by package-lock.json (scripts/bootstrap).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const MAX_REPORTED = 5;

async function loadSigner() {
  try {
    const smithy = await import("@smithy/signature-v4");
    const { Sha256 } = await import("@aws-crypto/sha256-js");
    const require = createRequire(import.meta.url);
    const version = require("@smithy/signature-v4/package.json").version;
    return { smithy, Sha256, version };
  } catch (error) {
    const reason = error.code ?? error.message;
    console.error(`sigv4_conformance: cannot load the npm packages (${reason}): ` +
                  "run scripts/bootstrap (npm ci in tests/conformance)");
    process.exit(2);
  }
}

// Our [name, value] pairs -> the plain objects smithy signs. Repeated query keys become arrays.
function toRequest(c) {
  const query = {};
  for (const [key, value] of c.query) {
    if (Object.hasOwn(query, key)) {
      query[key] = [].concat(query[key], value);
    } else {
      query[key] = value;
    }
  }
  const headers = {};
  for (const [name, value] of c.headers) {
    if (Object.hasOwn(headers, name)) throw new Error(`case ${c.id}: repeated header ${name}`);
    headers[name] = value;
  }
  const body = Buffer.from(c.body_base64, "base64");
  return {
    method: c.method, protocol: "https:", hostname: "bedrock.invalid", path: c.path, query, headers,
    body: body.length === 0 ? undefined : body,
  };
}

// Line-by-line difference of two multi-line stages, for the report.
function diffLines(label, ours, theirs) {
  const a = ours.split("\n");
  const b = theirs.split("\n");
  const out = [`  ${label} differs:`];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) {
      out.push(`      ${JSON.stringify(a[i])}`);
    } else {
      if (a[i] !== undefined) out.push(`    - ${JSON.stringify(a[i])}   (llmm)`);
      if (b[i] !== undefined) out.push(`    + ${JSON.stringify(b[i])}   (smithy)`);
    }
  }
  return out.join("\n");
}

async function compareCase(c, { smithy, Sha256 }) {
  const credentials = {
    accessKeyId: c.credentials.access_key_id,
    secretAccessKey: c.credentials.secret_access_key,
    ...(c.credentials.session_token ? { sessionToken: c.credentials.session_token } : {}),
  };
  const signer = new smithy.SignatureV4({
    service: c.service, region: c.region, credentials, sha256: Sha256, uriEscapePath: true,
  });
  const request = toRequest(c);
  const signingDate = new Date(c.signing_time_ms);
  const signed = await signer.sign(request, { signingDate });

  // Stages, recomputed from smithy's own signed request with smithy's own functions.
  const { longDate, shortDate } = signer.formatDate(signingDate);
  const scope = smithy.createScope(shortDate, c.region, c.service);
  const canonicalHeaders = smithy.getCanonicalHeaders(signed);
  const payloadHash = await smithy.getPayloadHash(signed, Sha256);
  const canonicalRequest = signer.createCanonicalRequest(signed, canonicalHeaders, payloadHash);
  const stringToSign = await signer.createStringToSign(longDate, scope, canonicalRequest,
                                                      smithy.ALGORITHM_IDENTIFIER);
  const authorization = signed.headers[smithy.AUTH_HEADER];
  const signature = /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1];

  const problems = [];
  const expected = c.expected;
  if (expected.canonical_request !== canonicalRequest) {
    problems.push(diffLines("canonical request", expected.canonical_request, canonicalRequest));
  }
  if (expected.string_to_sign !== stringToSign) {
    problems.push(diffLines("string to sign", expected.string_to_sign, stringToSign));
  }
  if (expected.signature !== signature) {
    problems.push(`  signature: llmm ${expected.signature}\n             smithy ${signature}`);
  }

  // Headers: what smithy's request has beyond the input must be exactly what we add.
  const lower = (name) => name.toLowerCase();
  const inputNames = new Set(c.headers.map(([name]) => lower(name)));
  const theirs = new Map();
  for (const [name, value] of Object.entries(signed.headers)) theirs.set(lower(name), value);
  const ours = new Map(expected.headers_to_add.map(([name, value]) => [name, value]));
  for (const [name, value] of ours) {
    if (theirs.get(name) !== value) {
      const theirValue = JSON.stringify(theirs.get(name));
      problems.push(`  header ${name}: llmm ${JSON.stringify(value)}, smithy ${theirValue}`);
    }
    if (inputNames.has(name) && name !== smithy.AUTH_HEADER) {
      problems.push(`  header ${name}: llmm adds it although the request already has it`);
    }
  }
  for (const [name, value] of theirs) {
    if (!inputNames.has(name) && !ours.has(name)) {
      problems.push(`  header ${name}: smithy adds ${JSON.stringify(value)}, llmm does not`);
    }
  }
  return problems;
}

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node sigv4_conformance.mjs cases.jsonl");
    process.exit(2);
  }
  const signerModules = await loadSigner();
  const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.length > 0);
  const meta = lines.length > 0 ? JSON.parse(lines[0]).meta : undefined;
  if (!meta) {
    console.error(`sigv4_conformance: ${file} does not start with a meta line`);
    process.exit(2);
  }
  const cases = lines.slice(1).map((line) => JSON.parse(line));
  if (cases.length === 0 || cases.length !== meta.count) {
    console.error(`sigv4_conformance: expected ${meta.count} cases, read ${cases.length}`);
    process.exit(2);
  }

  const failures = [];
  const kinds = {};
  for (const c of cases) {
    kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
    let problems;
    try {
      problems = await compareCase(c, signerModules);
    } catch (error) {
      problems = [`  error: ${error.stack ?? error}`];
    }
    if (problems.length > 0) failures.push({ c, problems });
  }

  const summary = Object.entries(kinds).map(([kind, n]) => `${kind} ${n}`).join(", ");
  console.log(`sigv4_conformance: seed ${meta.seed}: compared ${cases.length} cases against ` +
              `@smithy/signature-v4 ${signerModules.version} (${summary})`);
  if (failures.length === 0) {
    console.log(`sigv4_conformance: all ${cases.length} cases match`);
    return;
  }
  for (const { c, problems } of failures.slice(0, MAX_REPORTED)) {
    console.log(`\nMISMATCH case ${c.id} (${c.kind}) ${c.method} ${c.path} region ${c.region}` +
                ` time ${new Date(c.signing_time_ms).toISOString()}`);
    console.log(problems.join("\n"));
  }
  if (failures.length > MAX_REPORTED) {
    console.log(`\n… and ${failures.length - MAX_REPORTED} more`);
  }
  console.log(`\nsigv4_conformance: ${failures.length} of ${cases.length} cases differ ` +
              `(ids ${failures.map(({ c }) => c.id).join(", ")})`);
  process.exit(1);
}

await main();
