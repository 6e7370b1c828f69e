// bedrock-emulator: a local Amazon Bedrock (docs/emulator.md). Parses flags, loads the optional
// scenario, credentials and catalog files, binds, prints "listening on HOST:PORT" and serves
// until SIGINT/SIGTERM. Exit code 2 for bad flags or files. With --tls or --tls-cert it serves
// HTTPS, HTTP/2 and HTTP/1.1 by ALPN (the listening line stays the same).

#include "emulator_server.hpp"
#include "emulator_service.hpp"
#include "quota_rules.hpp"
#include "request_log.hpp"
#include "sigv4_verifier.hpp"

#include "catalog/bundled_catalog.hpp"
#include "catalog/catalog_json.hpp"

#include <CLI/CLI.hpp>

#include <sys/resource.h>

#include <cstdint>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace {

constexpr int kUsageError = 2;

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Each connection is a descriptor; the soft limit (often 1024) would cap concurrency long before
// memory does, so take what the hard limit allows.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int fail(const std::string& message) {
  std::cerr << "bedrock-emulator: " << message << "\n";
  return kUsageError;
}

int run(int argc, char** argv) {
  using namespace bedrock_emulator;
  CLI::App app{"bedrock-emulator: a local Amazon Bedrock for tests, benchmarks and demos"};
  ServerOptions server_options;
  int port = 0;
  std::uint64_t seed = 0;
  std::string mode = "echo";
  std::string scenario_path;
  std::string credentials_path;
  app.add_option("--host", server_options.host, "address to listen on")->capture_default_str();
  app.add_option("--port", port, "port to listen on; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--threads", server_options.threads, "io threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--seed", seed, "seed of generated answers and scenario probabilities")
      ->capture_default_str();
  app.add_option("--mode", mode, "answer mode")
      ->check(CLI::IsMember({"echo", "generate"}))
      ->capture_default_str();
  app.add_option("--scenario", scenario_path, "scenario JSON file (docs/emulator.md)");
  app.add_option("--credentials", credentials_path,
                 "accepted credentials JSON file (docs/emulator.md)");
  std::size_t log_capacity = 100'000;
  app.add_option("--log-capacity", log_capacity,
                 "request-log entries kept for GET /_emulator/requests (oldest dropped)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}))
      ->capture_default_str();
  std::string catalog_path;
  app.add_option("--catalog", catalog_path,
                 "catalog JSON file served (the llmm-catalog schema of data/bedrock_catalog.json); "
                 "default: the bundled catalog, every public model, region and profile");
  bool log_bodies = false;
  app.add_flag(
      "--log-bodies", log_bodies,
      "keep each logged request's body and serve it as \"body\" in GET /_emulator/requests "
      "(costs memory: up to --log-capacity bodies)");
  bool tls = false;
  std::string tls_dir;
  std::string tls_cert;
  std::string tls_key;
  bool no_http2 = false;
  app.add_flag(
      "--tls", tls,
      "serve HTTPS (TLS 1.2+) instead of plaintext HTTP/1.1, with a certificate for 127.0.0.1, ::1 "
      "and localhost signed by a CA generated at start (see --tls-dir), unless --tls-cert is "
      "given");
  app.add_option(
      "--tls-dir", tls_dir,
      "with --tls: write the generated ca.pem (what clients trust), cert.pem and key.pem here");
  auto* cert_option =
      app.add_option("--tls-cert", tls_cert, "serve HTTPS with this PEM certificate chain")
          ->check(CLI::ExistingFile);
  auto* key_option = app.add_option("--tls-key", tls_key, "the PEM private key of --tls-cert")
                         ->check(CLI::ExistingFile);
  cert_option->needs(key_option);
  key_option->needs(cert_option);
  app.add_flag("--no-http2", no_http2, "with TLS: offer only http/1.1 by ALPN, never h2");
  long long credential_lifetime = 3600;
  app.add_option(
         "--credential-lifetime", credential_lifetime,
         "seconds the credentials issued by STS, SSO, IMDS and the container endpoint stay valid")
      ->check(CLI::Range(1LL, 43200LL))
      ->capture_default_str();
  std::vector<std::string> quota_flags;
  app.add_option(
         "--quota", quota_flags,
         "REGION:MODEL:rpm=N,tpm=N[,burst=S]: a requests and/or tokens per minute quota per region "
         "and model (* for any; the first matching flag applies; burst: seconds of quota a full "
         "bucket holds, default 1); repeatable")
      ->allow_extra_args(false);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return kUsageError;
  }
  server_options.port = static_cast<std::uint16_t>(port);
  server_options.handle_signals = true;
  server_options.http2 = !no_http2;
  if (!tls_dir.empty() && !tls) return fail("--tls-dir needs --tls");
  if (!tls_cert.empty() && !tls_dir.empty())
    return fail("--tls-dir writes a generated certificate; not with --tls-cert");
  try {
    if (!tls_cert.empty()) {
      server_options.tls = load_tls_identity(tls_cert, tls_key);
    } else if (tls) {
      server_options.tls = generate_tls_identity({});
      if (!tls_dir.empty()) write_tls_identity(*server_options.tls, tls_dir);
    }
  } catch (const std::exception& error) {
    return fail(error.what());
  }

  CredentialStore credentials = CredentialStore::defaults();
  if (!credentials_path.empty()) {
    const auto text = read_file(credentials_path);
    if (!text) return fail("cannot read credentials file '" + credentials_path + "'");
    try {
      credentials = CredentialStore::from_json(*text);
    } catch (const std::exception& error) {
      return fail(credentials_path + ": " + error.what());
    }
  }

  std::vector<QuotaRule> quotas;
  for (const std::string& flag : quota_flags) {
    auto rule = parse_quota_flag(flag);
    if (auto* problem = std::get_if<std::string>(&rule)) return fail("--quota " + *problem);
    quotas.push_back(std::move(std::get<QuotaRule>(rule)));
  }

  credentials.issued->set_lifetime(std::chrono::seconds(credential_lifetime));

  // Lives until main returns, so it outlives the service that serves it.
  llmm::catalog::Catalog catalog_from_file;
  const llmm::catalog::Catalog* catalog = &llmm::catalog::bundled_catalog().catalog;
  if (!catalog_path.empty()) {
    const auto text = read_file(catalog_path);
    if (!text) return fail("cannot read catalog file '" + catalog_path + "'");
    auto document = llmm::catalog::catalog_from_json(*text);
    if (!document) return fail(catalog_path + ": " + document.error().message);
    if (const auto problem = llmm::catalog::catalog_inconsistency(document->catalog)) {
      return fail(catalog_path + ": inconsistent catalog: " + *problem);
    }
    catalog_from_file = std::move(document->catalog);
    catalog = &catalog_from_file;
  }
  EmulatorService service(
      EmulatorService::Options{.seed = seed,
                               .mode = mode == "generate" ? AnswerMode::Generate : AnswerMode::Echo,
                               .catalog = catalog,
                               .quotas = std::move(quotas),
                               .quota_clock = {}});
  if (!scenario_path.empty()) {
    const auto text = read_file(scenario_path);
    if (!text) return fail("cannot read scenario file '" + scenario_path + "'");
    if (const auto problem = service.set_scenario(*text))
      return fail(scenario_path + ": " + *problem);
  }

  raise_descriptor_limit();
  RequestLog log(log_capacity, log_bodies);
  try {
    EmulatorServer server(server_options, service, std::move(credentials), log);
    if (server_options.tls) {
      std::cerr << "bedrock-emulator: HTTPS, ALPN "
                << (server_options.http2 ? "h2, http/1.1" : "http/1.1");
      if (!tls_dir.empty()) std::cerr << "; clients trust " << tls_dir << "/ca.pem";
      std::cerr << "\n";
    }
    std::cout << "listening on " << server_options.host << ":" << server.port() << std::endl;
    server.run();
  } catch (const std::exception& error) {
    return fail(error.what());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // run() turns every failure it expects into a message and an exit code; this is for the rest
  // (bad_alloc, a listener that cannot be set up): one line on stderr, never std::terminate.
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    return fail(std::string("unexpected error: ") + error.what());
  } catch (...) {
    return fail("unexpected error");
  }
}
