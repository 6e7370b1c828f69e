// The AWS SDK for JavaScript v3's own credential providers against bedrock-emulator's credential
// services (docs/emulator.md "Credential services"): fromInstanceMetadata (IMDSv2),
// fromContainerMetadata and fromHttp (the container endpoint), fromTokenFile (STS
// AssumeRoleWithWebIdentity), fromIni with role_arn + source_profile (static keys, or a
// credential_process) and with credential_source (EcsContainer, Ec2InstanceMetadata) (STS
// AssumeRole), fromProcess (credential_process) and fromSSO (an sso_session profile and the legacy
// sso_start_url form, each with a cached token). For each: the
// credentials have the issued shape (ASIA key id, session token, the expiry set with
// PUT /_emulator/credentials), a Converse call signed with them succeeds, and after
// POST /_emulator/credentials/expire the same credentials get ExpiredTokenException. Then the
// refusals where the SDK and the emulator must agree (IMDS, container token, STS and SSO errors).
// The SDK is the judge: a disagreement is an emulator bug.
//
//   node credentials_conformance.mjs path/to/bedrock-emulator [--verbose]
//
// Everything runs in an isolated HOME (config, credentials, SSO cache, token file, helper script in
// a temp dir), every endpoint is the emulator on 127.0.0.1, and no variable can lead to AWS.
// Prints one PASS/FAIL line per check; exit 0 only when every check passes.

import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  Admin, CheckRunner, assert, assertEqual, describe, expectError, expectNamedError, logEntries,
  scrubAwsEnvironment, guardEmulator, startEmulator, stopEmulator, ACCESS_KEY_ID, SECRET_ACCESS_KEY,
} from "./emulator/harness.mjs";

const REGION = "us-east-1";
const MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
const ACCOUNT = "123456789012";
// Distinctive, and longer than the SDK's 5-minute refresh window, so a resolved identity is used
// as it is (never re-fetched behind the check's back).
const LIFETIME_SECONDS = 1234;
const CONTAINER_TOKEN = "conformance-container-token";
const SSO_TOKEN = "conformance-sso-access-token";
const SSO_SESSION = "corp";
const LEGACY_START_URL = "https://legacy.awsapps.com/start";
// Three dot-separated parts: the shape the emulator (like STS) requires of a web identity token.
const WEB_IDENTITY_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjb25mb3JtYW5jZSJ9.c2lnbmF0dXJl";
const OVERALL_DEADLINE_MS = 60000;

async function loadSdk() {
  try {
    return {
      runtime: await import("@aws-sdk/client-bedrock-runtime"),
      http: await import("@smithy/node-http-handler"),
      imds: await import("@smithy/credential-provider-imds"),
      fromHttp: (await import("@aws-sdk/credential-provider-http")).fromHttp,
      fromIni: (await import("@aws-sdk/credential-provider-ini")).fromIni,
      fromProcess: (await import("@aws-sdk/credential-provider-process")).fromProcess,
      fromSSO: (await import("@aws-sdk/credential-provider-sso")).fromSSO,
      fromTokenFile: (await import("@aws-sdk/credential-provider-web-identity")).fromTokenFile,
    };
  } catch (error) {
    console.error(`credentials_conformance: cannot load the npm packages (${error.code ?? error.message}): ` +
                  "run scripts/bootstrap (npm ci in tests/conformance)");
    process.exit(2);
  }
}

// Runs fn with the given variables set (undefined: removed), then puts the old values back.
async function withEnv(variables, fn) {
  const saved = {};
  for (const [name, value] of Object.entries(variables)) {
    saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return await fn();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function writeFile(path, text, mode) {
  writeFileSync(path, text);
  if (mode) chmodSync(path, mode);
}

// The isolated home: shared files, SSO token cache, web identity token, credential_process helper.
function prepareHome(root, baseUrl) {
  const home = join(root, "home");
  const aws = join(home, ".aws");
  mkdirSync(join(aws, "sso", "cache"), { recursive: true });
  const files = {
    home,
    config: join(aws, "config"),
    credentials: join(aws, "credentials"),
    tokenFile: join(root, "web-identity-token"),
    helper: join(root, "credential-helper.mjs"),
  };
  writeFile(files.credentials,
            `[static]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\n`, 0o600);
  // The helper asks the emulator's container endpoint for a key and prints it as credential_process
  // output (Version 1), so the process provider also carries an issued, expiring key.
  writeFile(files.helper, [
    "const [url, token] = process.argv.slice(2);",
    "const reply = await fetch(url, { headers: { Authorization: token } });",
    "if (reply.status !== 200) { console.error(`helper: ${url} answered ${reply.status}`); process.exit(1); }",
    "const c = await reply.json();",
    "console.log(JSON.stringify({ Version: 1, AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey,",
    "                             SessionToken: c.Token, Expiration: c.Expiration }));",
    "",
  ].join("\n"));
  const helperCommand = `${process.execPath} ${files.helper} ${baseUrl}/v2/credentials/process ${CONTAINER_TOKEN}`;
  writeFile(files.config, [
    "[default]", `region = ${REGION}`, "",
    "[profile assume]", `role_arn = arn:aws:iam::${ACCOUNT}:role/ConformanceRole`, "source_profile = static",
    "role_session_name = conformance-ini", `region = ${REGION}`, "",
    "[profile denied]", `role_arn = arn:aws:iam::${ACCOUNT}:role/DeniedRole`, "source_profile = static",
    `region = ${REGION}`, "",
    "[profile expired-chain]", `role_arn = arn:aws:iam::${ACCOUNT}:role/Next`, "source_profile = expired-source",
    `region = ${REGION}`, "",
    "[profile ecs-role]", `role_arn = arn:aws:iam::${ACCOUNT}:role/FromEcs`, "credential_source = EcsContainer",
    `region = ${REGION}`, "",
    "[profile ec2-role]", `role_arn = arn:aws:iam::${ACCOUNT}:role/FromEc2`, "credential_source = Ec2InstanceMetadata",
    `region = ${REGION}`, "",
    "[profile process]", `credential_process = ${helperCommand}`, "",
    "[profile process-role]", `role_arn = arn:aws:iam::${ACCOUNT}:role/ChainedRole`, "source_profile = process",
    `region = ${REGION}`, "",
    "[profile sso]", `sso_session = ${SSO_SESSION}`, `sso_account_id = ${ACCOUNT}`, "sso_role_name = Reader",
    `region = ${REGION}`, "",
    "[profile sso-legacy]", `sso_start_url = ${LEGACY_START_URL}`, `sso_region = ${REGION}`,
    `sso_account_id = ${ACCOUNT}`, "sso_role_name = Reader", `region = ${REGION}`, "",
    `[sso-session ${SSO_SESSION}]`, "sso_start_url = https://corp.awsapps.com/start", `sso_region = ${REGION}`,
    "sso_registration_scopes = sso:account:access", "",
  ].join("\n"));
  // The CLI's cache for an sso-session: ~/.aws/sso/cache/<sha1 of the session name>.json. An hour
  // ahead: outside the token provider's 5-minute refresh window, so no SSO OIDC call is attempted.
  // The legacy form (sso_start_url in the profile) is cached under the sha1 of the start URL.
  for (const [key, startUrl] of [[SSO_SESSION, "https://corp.awsapps.com/start"], [LEGACY_START_URL, LEGACY_START_URL]]) {
    const sha1 = createHash("sha1").update(key).digest("hex");
    writeFile(join(aws, "sso", "cache", `${sha1}.json`), JSON.stringify({
      startUrl, region: REGION, accessToken: SSO_TOKEN,
      expiresAt: new Date(Date.now() + 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    }), 0o600);
  }
  writeFile(files.tokenFile, WEB_IDENTITY_TOKEN);
  return files;
}

async function main() {
  const args = process.argv.slice(2);
  const binary = args.find((a) => !a.startsWith("--"));
  const verbose = args.includes("--verbose");
  if (!binary) {
    console.error("usage: node credentials_conformance.mjs path/to/bedrock-emulator [--verbose]");
    process.exit(2);
  }
  scrubAwsEnvironment();
  // Loopback only: no proxy may see these requests.
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"]) {
    delete process.env[name];
  }
  process.env.no_proxy = process.env.NO_PROXY = "127.0.0.1,localhost";

  const emulator = await startEmulator(binary, ["--host", "127.0.0.1", "--port", "0", "--threads", "2",
                                                "--mode", "echo"]);
  console.log(`emulator ${binary} listening on ${emulator.host}:${emulator.port}`);
  const root = mkdtempSync(join(tmpdir(), "llmm-credentials-conformance-"));
  const guard = guardEmulator(emulator, {
    deadlineMs: OVERALL_DEADLINE_MS,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  });

  const baseUrl = emulator.baseUrl;
  const files = prepareHome(root, baseUrl);
  // Every file and endpoint the providers read, set before the SDK is loaded (the shared-file
  // loader caches what it reads). IMDS is disabled except inside the IMDS checks.
  Object.assign(process.env, {
    HOME: files.home,
    AWS_CONFIG_FILE: files.config,
    AWS_SHARED_CREDENTIALS_FILE: files.credentials,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_STS: baseUrl,
    AWS_ENDPOINT_URL_SSO: baseUrl,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: baseUrl,
    AWS_EC2_METADATA_DISABLED: "true",
  });
  const sdk = await loadSdk();
  const { BedrockRuntimeClient, ConverseCommand } = sdk.runtime;
  const admin = new Admin(baseUrl);
  const runner = new CheckRunner({ timeoutMs: 15000 });
  const check = runner.check.bind(runner);

  const settings = await admin.request("PUT", "/_emulator/credentials", {
    lifetimeSeconds: LIFETIME_SECONDS, containerAuthorizationToken: CONTAINER_TOKEN, ssoAccessTokens: [SSO_TOKEN],
    imdsRoleName: "conformance-instance-role",
  });
  assertEqual(settings.status, 200, `PUT /_emulator/credentials: ${settings.text}`);

  const converse = async (credentials) => {
    const client = new BedrockRuntimeClient({
      region: REGION, endpoint: baseUrl, credentials, maxAttempts: 1,
      requestHandler: new sdk.http.NodeHttpHandler(),
    });
    try {
      return await client.send(new ConverseCommand({
        modelId: MODEL, messages: [{ role: "user", content: [{ text: "credentials conformance" }] }],
      }));
    } finally {
      client.destroy();
    }
  };
  const operationsLogged = async () => logEntries(await admin.requests()).map((e) => e.operation);

  // One provider end to end: resolve, check the shape and the expiry, call Bedrock, expire, refused.
  const verified = [];
  const endToEnd = async (name, resolve, { env = {}, operations }) => {
    let credentials;
    const resolved = await check(`${name}: resolves an issued key (ASIA…, session token, expiry ${LIFETIME_SECONDS} s)`,
                                 async () => {
      await admin.reset();
      const before = Date.now();
      credentials = await withEnv(env, resolve);
      const after = Date.now();
      assert(/^ASIA[A-Z2-7]{16}$/.test(credentials.accessKeyId ?? ""), `accessKeyId ${credentials.accessKeyId}`);
      assert(typeof credentials.secretAccessKey === "string" && credentials.secretAccessKey.length === 40,
             "secretAccessKey is not a 40-character string");
      assert(typeof credentials.sessionToken === "string" && credentials.sessionToken.length > 100,
             "no session token");
      assert(credentials.expiration instanceof Date && !Number.isNaN(credentials.expiration.getTime()),
             `expiration ${credentials.expiration}`);
      // The emulator issues at floor(now, 1 s) + lifetime.
      const earliest = Math.floor(before / 1000) * 1000 + LIFETIME_SECONDS * 1000;
      const latest = after + LIFETIME_SECONDS * 1000;
      const at = credentials.expiration.getTime();
      assert(at >= earliest && at <= latest,
             `expiration ${credentials.expiration.toISOString()} is not ${LIFETIME_SECONDS} s after the call ` +
             `(${new Date(earliest).toISOString()} .. ${new Date(latest).toISOString()})`);
      if (credentials.accountId !== undefined) assertEqual(credentials.accountId, ACCOUNT, "accountId");
      const logged = await operationsLogged();
      for (const operation of operations) {
        assert(logged.includes(operation), `the emulator never saw ${operation}; its log: ${logged.join(", ")}`);
      }
      return `${logged.join(" → ")}; expires ${credentials.expiration.toISOString()}`;
    });
    if (!resolved) return;
    await check(`${name}: Converse signed with them succeeds`, async () => {
      const reply = await converse(credentials);
      assertEqual(reply.$metadata.httpStatusCode, 200, "HTTP status");
      assert(reply.output?.message?.content?.[0]?.text, `no text: ${JSON.stringify(reply.output)}`);
    });
    await check(`${name}: after POST /_emulator/credentials/expire -> ExpiredTokenException 403`, async () => {
      const expired = await admin.request("POST", "/_emulator/credentials/expire");
      assertEqual(expired.status, 200, `POST /_emulator/credentials/expire: ${expired.text}`);
      const error = await expectError(() => converse(credentials), "Converse with expired credentials");
      expectNamedError(error, "ExpiredTokenException", 403);
      assert(/expired/i.test(error.message), `message: ${error.message}`);
    });
    verified.push(name);
  };

  // ---- each provider end to end ------------------------------------------------------------------
  const imdsEnv = { AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_V1_DISABLED: "true" };
  await endToEnd("fromInstanceMetadata (IMDSv2)", () => sdk.imds.fromInstanceMetadata({ timeout: 1000 })(), {
    env: imdsEnv, operations: ["imds:token", "imds:metadata"],
  });
  const containerEnv = {
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${baseUrl}/v2/credentials/conformance-task`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN,
  };
  await endToEnd("fromContainerMetadata (FULL_URI + AUTHORIZATION_TOKEN)",
                 () => sdk.imds.fromContainerMetadata({ timeout: 1000 })(), {
    env: containerEnv, operations: ["container:credentials"],
  });
  await endToEnd("fromHttp (FULL_URI + AUTHORIZATION_TOKEN)", () => sdk.fromHttp({ timeout: 1000, maxRetries: 0 })(), {
    env: containerEnv, operations: ["container:credentials"],
  });
  const tokenFileDir = join(root, "container-token");
  mkdirSync(tokenFileDir);
  writeFile(join(tokenFileDir, "token"), CONTAINER_TOKEN);
  await endToEnd("fromHttp (FULL_URI + AUTHORIZATION_TOKEN_FILE, EKS Pod Identity style)",
                 () => sdk.fromHttp({ timeout: 1000, maxRetries: 0 })(), {
    env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${baseUrl}/v2/credentials/pod`,
           AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(tokenFileDir, "token") },
    operations: ["container:credentials"],
  });
  await endToEnd("fromTokenFile (AssumeRoleWithWebIdentity)", () => sdk.fromTokenFile()(), {
    env: { AWS_WEB_IDENTITY_TOKEN_FILE: files.tokenFile, AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/Irsa`,
           AWS_ROLE_SESSION_NAME: "conformance-pod" },
    operations: ["sts:AssumeRoleWithWebIdentity"],
  });
  await endToEnd("fromIni role_arn + source_profile (AssumeRole signed with static keys)",
                 () => sdk.fromIni({ profile: "assume" })(), { operations: ["sts:AssumeRole"] });
  await endToEnd("fromProcess (credential_process, Version 1)", () => sdk.fromProcess({ profile: "process" })(), {
    operations: ["container:credentials"],
  });
  await endToEnd("fromIni role_arn → source_profile → credential_process",
                 () => sdk.fromIni({ profile: "process-role" })(), {
    operations: ["container:credentials", "sts:AssumeRole"],
  });
  await endToEnd("fromIni role_arn + credential_source = EcsContainer (AssumeRole signed with a task key)",
                 () => sdk.fromIni({ profile: "ecs-role" })(), {
    env: containerEnv, operations: ["container:credentials", "sts:AssumeRole"],
  });
  await endToEnd("fromIni role_arn + credential_source = Ec2InstanceMetadata (AssumeRole signed with an instance key)",
                 () => sdk.fromIni({ profile: "ec2-role" })(), {
    env: imdsEnv, operations: ["imds:token", "imds:metadata", "sts:AssumeRole"],
  });
  await endToEnd("fromSSO (sso_session, cached token, GetRoleCredentials)", () => sdk.fromSSO({ profile: "sso" })(), {
    operations: ["sso:GetRoleCredentials"],
  });

  await endToEnd("fromSSO (legacy sso_start_url profile, cached token)", () => sdk.fromSSO({ profile: "sso-legacy" })(), {
    operations: ["sso:GetRoleCredentials"],
  });

  // The identity STS reports for an assumed role: the SDK's own STS client parses the answer.
  await check("fromIni role: the assumed role's ARN reaches the SDK (accountId from AssumedRoleUser)", async () => {
    const credentials = await sdk.fromIni({ profile: "assume" })();
    assertEqual(credentials.accountId, ACCOUNT, "accountId parsed from AssumedRoleUser.Arn");
  });

  // ---- refusals the SDK and the emulator must agree on --------------------------------------------
  await check("IMDS: GET security-credentials without a token -> 401 (IMDSv2 required), SDK request helper", async () => {
    const error = await expectError(() => sdk.imds.httpRequest({
      hostname: "127.0.0.1", port: emulator.port, path: "/latest/meta-data/iam/security-credentials/", timeout: 1000,
    }), "GET without a token");
    assertEqual(error.statusCode, 401, `statusCode (${describe(error)})`);
  });

  await check("IMDS: token PUT lost (faults.imdsToken stall) -> SDK times out, falls back to v1, gets 401", async () => {
    // An IMDSv2-only instance seen from a container whose hop limit swallows the PUT's answer.
    await admin.request("PUT", "/_emulator/credentials", { faults: { imdsToken: "stall" } });
    try {
      const started = Date.now();
      const error = await withEnv({ ...imdsEnv, AWS_EC2_METADATA_V1_DISABLED: undefined }, () => expectError(
        () => sdk.imds.fromInstanceMetadata({ timeout: 500 })(), "fromInstanceMetadata"));
      assertEqual(error.statusCode, 401, `statusCode (${describe(error)})`);
      assert(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
      return `${describe(error)} after ${Date.now() - started} ms`;
    } finally {
      await admin.request("PUT", "/_emulator/credentials", { faults: {} });
    }
  });

  await check("IMDS: token PUT 404 (faults.imdsToken) -> v1 gets 401; once the PUT works the same provider recovers", async () => {
    await admin.request("PUT", "/_emulator/credentials", { faults: { imdsToken: "404" } });
    const provider = await withEnv({ ...imdsEnv, AWS_EC2_METADATA_V1_DISABLED: undefined },
                                   () => sdk.imds.fromInstanceMetadata({ timeout: 1000 }));
    try {
      const error = await withEnv({ ...imdsEnv, AWS_EC2_METADATA_V1_DISABLED: undefined },
                                  () => expectError(provider, "fromInstanceMetadata"));
      assertEqual(error.statusCode, 401, `statusCode (${describe(error)})`);
      const blocked = await withEnv(imdsEnv, () => expectError(
        () => sdk.imds.fromInstanceMetadata({ timeout: 1000 })(), "fromInstanceMetadata, v1 disabled"));
      assertEqual(blocked.name, "InstanceMetadataV1FallbackError", `with v1 disabled (${describe(blocked)})`);
    } finally {
      await admin.request("PUT", "/_emulator/credentials", { faults: {} });
    }
    // The SDK's 401 handling re-enables the token fetch: the next call uses IMDSv2 again.
    await admin.reset();
    const credentials = await withEnv({ ...imdsEnv, AWS_EC2_METADATA_V1_DISABLED: undefined }, provider);
    assert(/^ASIA/.test(credentials.accessKeyId), `accessKeyId ${credentials.accessKeyId}`);
    const logged = await operationsLogged();
    assertEqual(logged[0], "imds:token", `first request after the 401 (log: ${logged.join(", ")})`);
  });

  await check("IMDS: 404 everywhere (faults.imds) -> v1 fallback refused, or its 404 reported", async () => {
    await admin.request("PUT", "/_emulator/credentials", { faults: { imds: "404" } });
    try {
      const started = Date.now();
      const error = await withEnv(imdsEnv, () => expectError(
        () => sdk.imds.fromInstanceMetadata({ timeout: 1000 })(), "fromInstanceMetadata"));
      // A 404 on the token PUT makes the SDK fall back to IMDSv1, which AWS_EC2_METADATA_V1_DISABLED refuses.
      assertEqual(error.name, "InstanceMetadataV1FallbackError", `error (${describe(error)})`);
      assert(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
      // Without the v1 block the SDK tries v1 and gets the 404 itself.
      const v1 = await withEnv({ ...imdsEnv, AWS_EC2_METADATA_V1_DISABLED: undefined }, () => expectError(
        () => sdk.imds.fromInstanceMetadata({ timeout: 1000 })(), "fromInstanceMetadata v1 fallback"));
      assertEqual(v1.statusCode, 404, `v1 fallback statusCode (${describe(v1)})`);
      return `${error.name}; v1 fallback: ${describe(v1)}`;
    } finally {
      await admin.request("PUT", "/_emulator/credentials", { faults: {} });
    }
  });

  await check("IMDS: stalled (faults.imds stall) -> the SDK's own timeout on the token and on v1, no hang", async () => {
    await admin.request("PUT", "/_emulator/credentials", { faults: { imds: "stall" } });
    try {
      const started = Date.now();
      const error = await withEnv({ ...imdsEnv, AWS_EC2_METADATA_V1_DISABLED: undefined }, () => expectError(
        () => sdk.imds.fromInstanceMetadata({ timeout: 500 })(), "fromInstanceMetadata"));
      const ms = Date.now() - started;
      assert(/Timeout/.test(error.message), `not a timeout: ${describe(error)}`);
      assert(ms < 3000, `took ${ms} ms`);
      return `${describe(error)} after ${ms} ms`;
    } finally {
      await admin.request("PUT", "/_emulator/credentials", { faults: {} });
    }
  });

  await check("IMDS: no instance profile (imdsRoleName \"\") -> 404 on the role listing, the SDK reports it", async () => {
    await admin.request("PUT", "/_emulator/credentials", { imdsRoleName: "" });
    try {
      const error = await withEnv(imdsEnv, () => expectError(
        () => sdk.imds.fromInstanceMetadata({ timeout: 1000 })(), "fromInstanceMetadata, no role"));
      // EC2 has no iam/ subtree then: a 404 (ProviderError statusCode 404), not an empty role name.
      assertEqual(error.statusCode, 404, `statusCode (${describe(error)})`);
      return describe(error);
    } finally {
      await admin.request("PUT", "/_emulator/credentials", { imdsRoleName: "conformance-instance-role" });
    }
  });

  await check("container: a wrong authorization token -> 401, both container providers fail", async () => {
    const env = { ...containerEnv, AWS_CONTAINER_AUTHORIZATION_TOKEN: "wrong-token" };
    const metadata = await withEnv(env, () => expectError(() => sdk.imds.fromContainerMetadata({ timeout: 1000 })(),
                                                          "fromContainerMetadata"));
    assertEqual(metadata.statusCode, 401, `fromContainerMetadata statusCode (${describe(metadata)})`);
    const http = await withEnv(env, () => expectError(() => sdk.fromHttp({ timeout: 1000, maxRetries: 0 })(),
                                                      "fromHttp"));
    assert(/status: 401/.test(http.message), `fromHttp: ${describe(http)}`);
    return `fromHttp: ${http.message}`;
  });

  await check("container: a host outside the allowed list is refused by the SDK before any request", async () => {
    await admin.reset();
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://192.0.2.1/v2/credentials/x",
                  AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN };
    const metadata = await withEnv(env, () => expectError(() => sdk.imds.fromContainerMetadata({ timeout: 200 })(),
                                                          "fromContainerMetadata"));
    assert(/not a valid container metadata service hostname/.test(metadata.message), describe(metadata));
    const http = await withEnv(env, () => expectError(() => sdk.fromHttp({ timeout: 200, maxRetries: 0 })(), "fromHttp"));
    assert(/URL not accepted/.test(http.message), describe(http));
  });

  await check("STS: AssumeRole refused (role Denied*) -> AccessDenied 403 parsed from the XML error", async () => {
    const error = await expectError(() => sdk.fromIni({ profile: "denied" })(), "fromIni denied");
    // fromIni passes the STS client's error through.
    expectNamedError(error, "AccessDenied", 403);
    assert(/not authorized to perform: sts:AssumeRole/.test(error.message), `message: ${error.message}`);
    assert(error.$metadata?.requestId, "no request id parsed from <RequestId>");
  });

  await check("STS: a web identity token that is not a JWT -> InvalidIdentityTokenException (modelled)", async () => {
    const bad = join(root, "bad-token");
    writeFile(bad, "not-a-jwt");
    const error = await withEnv({ AWS_WEB_IDENTITY_TOKEN_FILE: bad, AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/Irsa` },
                                () => expectError(() => sdk.fromTokenFile()(), "fromTokenFile"));
    expectNamedError(error, "InvalidIdentityTokenException", 400);
  });

  await check("STS: a malformed role ARN -> ValidationError 400", async () => {
    const error = await withEnv({ AWS_WEB_IDENTITY_TOKEN_FILE: files.tokenFile, AWS_ROLE_ARN: "not-an-arn" },
                                () => expectError(() => sdk.fromTokenFile()(), "fromTokenFile"));
    expectNamedError(error, "ValidationError", 400);
  });

  await check("STS: AssumeRole signed with an expired issued key -> ExpiredToken", async () => {
    // A source profile holding a key the emulator issued, then expired: the credentials file is
    // rewritten and read again (ignoreCache).
    const source = await sdk.fromIni({ profile: "assume" })();
    await admin.request("POST", "/_emulator/credentials/expire");
    writeFile(files.credentials,
              `[static]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\n` +
              `[expired-source]\naws_access_key_id = ${source.accessKeyId}\n` +
              `aws_secret_access_key = ${source.secretAccessKey}\naws_session_token = ${source.sessionToken}\n`, 0o600);
    const error = await expectError(() => sdk.fromIni({ profile: "expired-chain", ignoreCache: true })(),
                                    "AssumeRole with an expired key");
    assertEqual(error.name, "ExpiredToken", `error (${describe(error)})`);
    return describe(error);
  });

  await check("SSO: a token the portal does not accept -> 401 UnauthorizedException, fromSSO fails", async () => {
    await admin.request("PUT", "/_emulator/credentials", { ssoAccessTokens: ["some-other-token"] });
    try {
      const error = await expectError(() => sdk.fromSSO({ profile: "sso" })(), "fromSSO");
      // fromSSO wraps the SSO client's error: its modelled name and the service's message.
      assert(/UnauthorizedException: Session token not found or invalid/.test(error.message),
             `fromSSO: ${describe(error)}`);
      return describe(error);
    } finally {
      await admin.request("PUT", "/_emulator/credentials", { ssoAccessTokens: [SSO_TOKEN] });
    }
  });

  await check("GET /_emulator/credentials counts every key issued", async () => {
    const reply = await admin.request("GET", "/_emulator/credentials");
    assertEqual(reply.status, 200, "status");
    assert(reply.json.issuedCount >= verified.length, `issuedCount ${reply.json.issuedCount}`);
    assertEqual(reply.json.lifetimeSeconds, LIFETIME_SECONDS, "lifetimeSeconds");
    return `issuedCount ${reply.json.issuedCount}`;
  });

  // ---- summary -----------------------------------------------------------------------------------
  await check("SIGTERM after the stalled IMDS connections -> clean exit within 5 s", async () => {
    guard.release();
    const { code, signal, forced } = await stopEmulator(emulator.child, 5000);
    assert(!forced, "still running 5 s after SIGTERM (killed)");
    assert(code === 0, `exit code ${code}, signal ${signal}`);
  }, { timeoutMs: 10000 });
  console.log("\nproviders verified end to end (resolve, Converse, expiry):");
  for (const name of verified) console.log(`  ${name}`);
  const failures = runner.failures;
  console.log(`\n${runner.results.length - failures.length} passed, ${failures.length} failed`);
  if (failures.length) {
    for (const f of failures) {
      console.log(`  FAIL ${f.name}`);
      if (verbose && f.error?.stack) console.log(f.error.stack);
    }
    const tail = emulator.stderrTail();
    if (tail.trim()) console.log(`\nemulator stderr (tail):\n${tail}`);
  }
  return failures.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`credentials_conformance: ${error.stack ?? error}`);
  process.exit(1);
});
