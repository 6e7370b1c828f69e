// Shared pieces of emulator_conformance.mjs: the emulator child process, the admin API, the SDK
// clients, and a tiny check runner (PASS/FAIL lines, a per-check time limit, a summary).

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export const ACCESS_KEY_ID = "AKIDEXAMPLE";
export const SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
export const BEARER_TOKEN = "bedrock-emulator-token";

// Settings that would silently change what the SDK sends (a bearer token overrides SigV4, an
// endpoint or profile from the environment, a retry count) are removed before any client exists.
export function scrubAwsEnvironment() {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith("AWS_")) delete process.env[name];
  }
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
}

// Spawns the emulator, resolves with {child, host, port, baseUrl, stderrTail()} once the first
// stdout line `listening on HOST:PORT` arrives. Rejects when it exits first or takes too long.
export function startEmulator(binary, args = [], { startTimeoutMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    const stderr = [];
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      stderr.push(chunk);
      if (stderr.length > 200) stderr.splice(0, stderr.length - 200);
    });
    const stderrTail = () => stderr.join("").split("\n").slice(-30).join("\n");
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no 'listening on' line within ${startTimeoutMs} ms\n${stderrTail()}`));
    }, startTimeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${binary}: ${error.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited before listening (code ${code}, signal ${signal})\n` +
                       stderrTail()));
    });
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      const match = /^listening on (\S+):(\d+)\s*$/.exec(line);
      if (!match) {
        child.kill("SIGKILL");
        reject(new Error(`first stdout line is not 'listening on HOST:PORT': ${JSON.stringify(line)}`));
        return;
      }
      child.removeAllListeners("exit");
      // Keep draining stdout so the child never blocks on a full pipe.
      lines.on("line", () => {});
      const host = match[1];
      const port = Number(match[2]);
      resolve({ child, host, port, baseUrl: `http://127.0.0.1:${port}`, stderrTail });
    });
  });
}

// SIGTERM, then SIGKILL after graceMs. Resolves with {code, signal, forced}.
export function stopEmulator(child, graceMs = 5000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, forced: false });
      return;
    }
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      child.kill("SIGKILL");
    }, graceMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, forced });
    });
    child.kill("SIGTERM");
  });
}

// Keeps a conformance run from leaving the emulator behind or running forever: SIGKILL on exit
// and on SIGINT/SIGTERM (then `cleanup`), a FAIL and exit after deadlineMs (ctest's TIMEOUT kills
// cmake, not this process), and a line with its stderr if it exits on its own. Call release()
// before stopping it on purpose.
export function guardEmulator(emulator, { deadlineMs, cleanup = () => {} }) {
  let released = false;
  const killNow = () => {
    if (!released) emulator.child.kill("SIGKILL");
    cleanup();
  };
  process.on("exit", killNow);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      killNow();
      process.exit(1);
    });
  }
  const deadline = setTimeout(() => {
    console.log(`FAIL overall deadline of ${deadlineMs / 1000} s reached; killing the emulator`);
    killNow();
    process.exit(1);
  }, deadlineMs);
  deadline.unref();
  emulator.child.on("exit", (code, signal) => {
    if (!released) console.log(`emulator exited unexpectedly (code ${code}, signal ${signal})\n${emulator.stderrTail()}`);
  });
  return { release: () => { released = true; } };
}

// The unsigned admin API (docs/emulator.md). Returns {status, text, json}.
export class Admin {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }

  async request(method, path, body) {
    const init = { method };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      init.headers = { "content-type": "application/json" };
    }
    const response = await fetch(this.baseUrl + path, init);
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  }

  async putScenario(scenario) {
    const reply = await this.request("PUT", "/_emulator/scenario", scenario);
    if (reply.status < 200 || reply.status > 299) {
      throw new Error(`PUT /_emulator/scenario -> ${reply.status} ${reply.text}\n` +
                      `scenario: ${JSON.stringify(scenario)}`);
    }
    return reply;
  }

  // One rule, everything else default.
  async rule(match, action, name = "conformance") {
    return this.putScenario({ rules: [{ name, match, action }] });
  }

  async clear() {
    return this.putScenario({ rules: [] });
  }

  async reset() {
    const reply = await this.request("POST", "/_emulator/reset");
    if (reply.status < 200 || reply.status > 299) {
      throw new Error(`POST /_emulator/reset -> ${reply.status} ${reply.text}`);
    }
    return reply;
  }

  async requests() {
    const reply = await this.request("GET", "/_emulator/requests");
    if (reply.status !== 200) throw new Error(`GET /_emulator/requests -> ${reply.status}`);
    return reply.json;
  }
}

// The log may be an array or an object holding one ({"requests": [...]}); returns the array.
export function logEntries(log) {
  if (Array.isArray(log)) return log;
  if (log && typeof log === "object") {
    for (const value of Object.values(log)) {
      if (Array.isArray(value)) return value;
    }
  }
  throw new Error(`request log is neither an array nor holds one: ${JSON.stringify(log).slice(0, 300)}`);
}

// ---- checks -------------------------------------------------------------------------------------

export class CheckRunner {
  constructor({ timeoutMs = 30000 } = {}) {
    this.timeoutMs = timeoutMs;
    this.results = [];
  }

  async check(name, fn, { timeoutMs = this.timeoutMs } = {}) {
    const started = Date.now();
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const note = await Promise.race([fn(), limit]);
      const ms = Date.now() - started;
      this.results.push({ name, ok: true });
      console.log(`PASS ${name}${note ? ` (${note})` : ""} [${ms} ms]`);
      return true;
    } catch (error) {
      this.results.push({ name, ok: false, error });
      console.log(`FAIL ${name}: ${describe(error)}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  get failures() {
    return this.results.filter((r) => !r.ok);
  }
}

// One line for any thrown value: SDK errors show name, status and message.
export function describe(error) {
  if (!(error instanceof Error)) return String(error);
  const status = error.$metadata?.httpStatusCode;
  const parts = [error.name];
  if (status !== undefined) parts.push(`HTTP ${status}`);
  parts.push(error.message);
  return parts.join(" | ");
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function assertEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// Deep equality of JSON-like values (key order ignored).
export function jsonEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return jsonEqual(ka, kb) && ka.every((k) => jsonEqual(a[k], b[k]));
}

// Runs fn, which must throw; returns the error. Fails when fn resolves.
export async function expectError(fn, what) {
  let value;
  try {
    value = await fn();
  } catch (error) {
    return error;
  }
  throw new Error(`${what}: expected an error, got success ${JSON.stringify(value?.$metadata ?? value)
    .slice(0, 200)}`);
}

export function expectNamedError(error, name, status) {
  if (error.name !== name) {
    throw new Error(`expected ${name}${status ? ` (HTTP ${status})` : ""}, got ${describe(error)}`);
  }
  if (status !== undefined && error.$metadata?.httpStatusCode !== status) {
    throw new Error(`${name}: expected $metadata.httpStatusCode ${status}, got ` +
                    `${error.$metadata?.httpStatusCode}`);
  }
}
