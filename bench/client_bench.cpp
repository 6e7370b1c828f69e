// llmm_client_bench: the client side of DESIGN.md §8, driven against an emulator someone else
// started (bench/run_client_bench.sh starts one). It starts nothing itself and prints one JSON
// line of results on stdout; progress and problems go to stderr.
//
//   llmm_client_bench --endpoint http://127.0.0.1:PORT --mode throughput --concurrency 64
//                     --requests 20000 [--region us-east-1] [--model ID] [--warmup N]
//
// Modes:
//   parallel    the same N calls as one ParallelLLMManager::converse_parallel batch capped at C.
//   throughput  N Converse calls through LLMManager::converse_async with C kept in flight (each
//               completion submits the next call from the callback). requests/s, client CPU µs
//               per successful call (getrusage RUSAGE_SELF, user + sys, all threads of this
//               process; the emulator is another process), latency percentiles.
//               --telemetry off|info|metrics (default off): the manager logs at Info into a sink
//               that discards each record, or counts into a MetricsRegistry rendered once after
//               the run (what logging and metrics cost a call).
//   latency     N blocking LLMManager::converse calls from C threads (C = 1: one after another).
//   memory      C calls (default 1,000) submitted at once against a scenario that delays every
//               Converse reply (--delay-ms, default 3000): VmRSS idle, with all C in flight (the
//               emulator has received every one of them) and after they completed; the pool is
//               C connections so every call is really on the wire (over HTTP/1.1; over HTTP/2
//               --pool 10 puts them on a few connections as streams).
//   throttle    two regions (--region, default us-east-1, throttled by a scenario rule with a 429
//               ThrottlingException, and --second-region, default us-west-2): --requests
//               sequential LLMManager::converse calls; from the emulator's request log
//               (GET /_emulator/requests, millisecond timestamps) the gap between each throttled
//               request and the next request in the other region; plus the wall time of such a
//               call against the same call made straight to the second region. Reports
//               "measurable": false with the reason when no call reached the second region.
//   stream      N ConverseStream calls through LLMManager::converse_stream_async with C kept in
//               flight (each on_done submits the next). streams/s, client CPU µs per stream, time
//               to the first text event (submit → on_event with a Text event, on the event-loop
//               thread) and to on_done, percentiles.
//   ttft        N sequential LLMManager::converse_stream calls (the pull interface, as a consumer
//               thread reads it) against a scenario whose latency.timeToFirstTokenMs is
//               --ttft-ms (default 100, tokensPerSecond 0): the emulator holds the first event
//               that long, so time to the first Text event minus --ttft-ms is the client's
//               overhead (plus the emulator's timer and loopback). Resets the scenario after.
//
// memory and throttle change the emulator's scenario through its admin API (POST
// /_emulator/reset, PUT /_emulator/scenario) and leave it reset (no rules) when done.

#include <llmm/auth_config.hpp>
#include <llmm/client_config.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/environment.hpp>
#include <llmm/error.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/logging.hpp>
#include <llmm/metrics_registry.hpp>
#include <llmm/parallel_llm_manager.hpp>
#include <llmm/retry_config.hpp>
#include <llmm/stream_event.hpp>
#include <llmm/streaming_response.hpp>

#include <nlohmann/json.hpp>

#include "bench_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using namespace std::chrono_literals;

using llmm_bench::cpu_seconds;
using llmm_bench::round2;

struct Options {
  std::string endpoint;
  std::string ca_bundle;              // with an https:// endpoint: the emulator's CA
  std::string http_version = "auto";  // auto | 1.1 | 2
  int pool = 0;                       // max_pool_connections; 0: the mode's own (C, or 1)
  std::string region = "us-east-1";
  std::string second_region = "us-west-2";
  std::string model = "anthropic.claude-3-haiku-20240307-v1:0";
  std::string mode = "throughput";
  std::string prompt = "Benchmark hello";
  int concurrency = 1;
  int requests = 1000;
  int warmup = -1;  // -1: chosen per mode
  int max_tokens = 64;
  int delay_ms = 3000;
  int retries = -1;               // -1: ClientConfig default (throttle mode: 0)
  int ttft_ms = 100;              // ttft mode: the emulator's configured time to first token
  std::string telemetry = "off";  // throughput mode: off | info | metrics
  std::string label;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr
      << "llmm_client_bench: " << problem << "\n"
      << "usage: llmm_client_bench --endpoint http://127.0.0.1:PORT [--mode "
         "throughput|latency|memory|throttle|stream|ttft]\n"
         "         [--concurrency N] [--requests N] [--warmup N] [--region R] [--second-region R]\n"
         "         [--model ID] [--max-tokens N] [--delay-ms N] [--retries N] [--prompt TEXT] "
         "[--label TEXT]\n"
         "         [--ttft-ms N] [--ca-bundle PEM] [--http-version auto|1.1|2] [--pool N]\n"
         "         [--telemetry off|info|metrics]\n"
         "  (an https:// endpoint is the emulator started with --tls: its admin API is reached\n"
         "   in plaintext on the same port)\n";
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  llmm_bench::Flags flags(argc, argv, usage);
  std::string flag;
  std::string value;
  while (flags.next(flag, value)) {
    if (flag == "--endpoint")
      o.endpoint = value;
    else if (flag == "--region")
      o.region = value;
    else if (flag == "--second-region")
      o.second_region = value;
    else if (flag == "--model")
      o.model = value;
    else if (flag == "--mode")
      o.mode = value;
    else if (flag == "--prompt")
      o.prompt = value;
    else if (flag == "--label")
      o.label = value;
    else if (flag == "--concurrency")
      o.concurrency = flags.to_int(flag, value);
    else if (flag == "--requests")
      o.requests = flags.to_int(flag, value);
    else if (flag == "--warmup")
      o.warmup = flags.to_int(flag, value);
    else if (flag == "--max-tokens")
      o.max_tokens = flags.to_int(flag, value);
    else if (flag == "--delay-ms")
      o.delay_ms = flags.to_int(flag, value);
    else if (flag == "--retries")
      o.retries = flags.to_int(flag, value);
    else if (flag == "--ttft-ms")
      o.ttft_ms = flags.to_int(flag, value);
    else if (flag == "--ca-bundle")
      o.ca_bundle = value;
    else if (flag == "--http-version")
      o.http_version = value;
    else if (flag == "--pool")
      o.pool = flags.to_int(flag, value);
    else if (flag == "--telemetry")
      o.telemetry = value;
    else
      usage("unknown flag " + flag);
  }
  if (o.endpoint.empty()) usage("--endpoint is required");
  if (o.mode != "throughput" && o.mode != "parallel" && o.mode != "latency" && o.mode != "memory" &&
      o.mode != "throttle" && o.mode != "stream" && o.mode != "ttft") {
    usage("unknown --mode " + o.mode);
  }
  if (o.telemetry != "off" && o.telemetry != "info" && o.telemetry != "metrics") {
    usage("unknown --telemetry " + o.telemetry);
  }
  if (o.concurrency < 1 || o.requests < 1) usage("--concurrency and --requests must be >= 1");
  return o;
}

// ---- a minimal HTTP/1.1 client for the emulator's admin API (loopback, Connection: close) ------

struct AdminReply {
  int status = 0;
  std::string body;
};

class Admin {
 public:
  explicit Admin(const std::string& endpoint) {
    // http(s)://HOST:PORT[/...]; only IPv4 literals (the emulator listens on 127.0.0.1). A TLS
    // emulator answers plaintext HTTP/1.1 on the same port, so the admin API stays plaintext.
    const std::string prefix = endpoint.rfind("https://", 0) == 0 ? "https://" : "http://";
    if (endpoint.rfind(prefix, 0) != 0) usage("--endpoint must start with http:// or https://");
    std::string rest = endpoint.substr(prefix.size());
    rest = rest.substr(0, rest.find('/'));
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos) usage("--endpoint needs a port");
    host_ = rest.substr(0, colon);
    if (host_ == "localhost") host_ = "127.0.0.1";
    port_ = static_cast<std::uint16_t>(
        llmm_bench::to_int("--endpoint port", rest.substr(colon + 1), usage));
  }

  AdminReply request(const std::string& method, const std::string& target,
                     const std::string& body = {}) const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("admin: socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    if (::inet_pton(AF_INET, host_.c_str(), &address.sin_addr) != 1) {
      ::close(fd);
      throw std::runtime_error("admin: not an IPv4 address: " + host_);
    }
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      throw std::runtime_error("admin: cannot connect to " + host_ + ":" + std::to_string(port_));
    }
    std::string raw =
        method + " " + target + " HTTP/1.1\r\nHost: " + host_ + ":" + std::to_string(port_) +
        "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    for (std::size_t sent = 0; sent < raw.size();) {
      const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        ::close(fd);
        throw std::runtime_error("admin: send failed");
      }
      sent += static_cast<std::size_t>(n);
    }
    std::string bytes;
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      bytes.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    const auto end = bytes.find("\r\n\r\n");
    if (end == std::string::npos || bytes.size() < 12)
      throw std::runtime_error("admin: no reply to " + target);
    AdminReply reply;
    reply.status = std::atoi(bytes.c_str() + 9);
    const std::string head = bytes.substr(0, end);
    std::string payload = bytes.substr(end + 4);
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (lower.find("transfer-encoding: chunked") != std::string::npos) {
      std::string joined;
      std::size_t at = 0;
      for (;;) {
        const auto line_end = payload.find("\r\n", at);
        if (line_end == std::string::npos) break;
        const std::size_t size = std::stoul(payload.substr(at, line_end - at), nullptr, 16);
        if (size == 0) break;
        joined += payload.substr(line_end + 2, size);
        at = line_end + 2 + size + 2;
      }
      payload = std::move(joined);
    }
    reply.body = std::move(payload);
    return reply;
  }

  void put_scenario(const json& scenario) const {
    const auto reply = request("PUT", "/_emulator/scenario", scenario.dump());
    if (reply.status != 200)
      throw std::runtime_error("admin: scenario refused (" + std::to_string(reply.status) +
                               "): " + reply.body);
  }
  void reset() const {
    const auto reply = request("POST", "/_emulator/reset");
    if (reply.status / 100 != 2)
      throw std::runtime_error("admin: reset answered " + std::to_string(reply.status));
  }
  json get_json(const std::string& target) const {
    const auto reply = request("GET", target);
    if (reply.status != 200)
      throw std::runtime_error("admin: " + target + " answered " + std::to_string(reply.status));
    return json::parse(reply.body);
  }

 private:
  std::string host_;
  std::uint16_t port_ = 0;
};

// ---- measurements -------------------------------------------------------------------------------

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

llmm::AuthConfig auth_for(const Options& o) { return llmm_bench::emulator_auth(o.endpoint); }

llmm::ClientConfig client_config_for(const Options& o, int pool,
                                     std::chrono::milliseconds read_timeout) {
  llmm::ClientConfig::Options options;
  options.read_timeout = read_timeout;
  options.connect_timeout = 10s;
  options.max_pool_connections = o.pool > 0 ? o.pool : pool;
  if (o.retries >= 0) options.retries_max_attempts = o.retries;
  options.ca_bundle = o.ca_bundle;
  if (o.http_version == "1.1")
    options.http_version = llmm::HttpVersion::Http1_1;
  else if (o.http_version == "2")
    options.http_version = llmm::HttpVersion::Http2;
  else if (o.http_version != "auto")
    usage("--http-version must be auto, 1.1 or 2");
  return llmm::ClientConfig(options);
}

llmm::ConverseRequest request_for(const Options& o) {
  auto request = llmm::ConverseRequest::from_prompt(o.prompt);
  request.inference_config.max_tokens = o.max_tokens;
  return request;
}

std::string describe(const llmm::BedrockResponse& response) {
  return response.error ? response.error->describe() : std::string("no error");
}

// N calls with C in flight through converse_async; each completion submits the next call.
struct AsyncRun {
  int ok = 0;
  int errors = 0;
  std::string first_error;
  double seconds = 0;
  std::vector<double> latencies_us;
};

AsyncRun run_async(const llmm::LLMManager& manager, const llmm::ConverseRequest& request, int total,
                   int in_flight) {
  struct State {
    const llmm::LLMManager* manager;
    const llmm::ConverseRequest* request;
    int total;
    std::atomic<int> issued{0};
    std::atomic<int> done{0};
    std::atomic<int> ok{0};
    std::mutex mutex;
    std::condition_variable finished;
    std::string first_error;
    std::vector<double> latencies_us;
  };
  State state;
  state.manager = &manager;
  state.request = &request;
  state.total = total;
  state.latencies_us.assign(static_cast<std::size_t>(total), 0.0);

  // A plain function pointer recursion: issue() submits one call whose callback issues the next.
  struct Issuer {
    static void issue(State* s) {
      const int index = s->issued.fetch_add(1);
      if (index >= s->total) return;
      const auto started = Clock::now();
      s->manager->converse_async(*s->request, [s, index, started](llmm::BedrockResponse response) {
        s->latencies_us[static_cast<std::size_t>(index)] =
            std::chrono::duration<double, std::micro>(Clock::now() - started).count();
        if (response.ok()) {
          s->ok.fetch_add(1);
        } else {
          std::lock_guard lock(s->mutex);
          if (s->first_error.empty()) s->first_error = describe(response);
        }
        issue(s);  // keep C in flight
        if (s->done.fetch_add(1) + 1 == s->total) {
          std::lock_guard lock(s->mutex);
          s->finished.notify_all();
        }
      });
    }
  };

  const auto start = Clock::now();
  for (int i = 0; i < std::min(in_flight, total); ++i) Issuer::issue(&state);
  {
    std::unique_lock lock(state.mutex);
    state.finished.wait(lock, [&] { return state.done.load() >= total; });
  }
  AsyncRun run;
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.ok = state.ok.load();
  run.errors = total - run.ok;
  run.first_error = state.first_error;
  run.latencies_us = std::move(state.latencies_us);
  return run;
}

json base_result(const Options& o) {
  json result = {{"client", "llmm"},
                 {"mode", o.mode},
                 {"concurrency", o.concurrency},
                 {"model", o.model},
                 {"region", o.region}};
  if (!o.label.empty()) result["label"] = o.label;
  return result;
}

// Warm-up calls before a concurrent run: enough to open every connection.
int concurrent_warmup(const Options& o) {
  return o.warmup >= 0 ? o.warmup : std::min(o.requests, std::max(4 * o.concurrency, 200));
}

// The counts every timed run reports: calls, successes, the first error, rate and CPU per call.
void add_run_counts(json& result, const Options& o, int warmup, int ok,
                    const std::string& first_error, double seconds, double cpu) {
  result["requests"] = o.requests;
  result["warmup"] = warmup;
  result["ok"] = ok;
  result["errors"] = o.requests - ok;
  if (!first_error.empty()) result["first_error"] = first_error;
  result["seconds"] = std::round(seconds * 1000) / 1000;
  result["requests_per_second"] = round2(ok / seconds);
  result["cpu_us_per_call"] = ok > 0 ? round2(cpu * 1e6 / ok) : 0.0;
}

json throughput_mode(const Options& o) {
  std::atomic<std::uint64_t> records{0};
  llmm::LoggingConfig logging;
  if (o.telemetry == "info") {
    logging = {.level = llmm::LogLevel::Info,
               .sink = [&records](const llmm::LogRecord&) { records.fetch_add(1); }};
  }
  const auto metrics =
      o.telemetry == "metrics" ? std::make_shared<llmm::MetricsRegistry>() : nullptr;
  llmm::LLMManager manager({.models = {o.model},
                            .regions = {o.region},
                            .auth = auth_for(o),
                            .client = client_config_for(o, o.concurrency, 60s),
                            .catalog = llmm_bench::bundled_catalog_only(),
                            .logging = std::move(logging),
                            .metrics = metrics});
  const auto request = request_for(o);
  const int warmup = concurrent_warmup(o);
  if (warmup > 0) {
    const auto w = run_async(manager, request, warmup, o.concurrency);
    if (w.ok == 0) throw std::runtime_error("every warm-up call failed: " + w.first_error);
  }
  const double cpu_before = cpu_seconds();
  const auto run = run_async(manager, request, o.requests, o.concurrency);
  const double cpu = cpu_seconds() - cpu_before;

  json result = base_result(o);
  add_run_counts(result, o, warmup, run.ok, run.first_error, run.seconds, cpu);
  result["cpu_seconds"] = std::round(cpu * 1000) / 1000;
  result["latency_us"] = llmm_bench::percentiles(run.latencies_us);
  result["rss_kib"] = rss_kib();
  result["telemetry"] = o.telemetry;
  if (o.telemetry == "info") result["log_records"] = records.load();
  if (metrics) result["metrics_bytes"] = metrics->render_prometheus().size();
  return result;
}

// The same job through ParallelLLMManager::converse_parallel: one batch of N requests with at
// most C in flight (the manager's own cap), as a batch user would run it.
json parallel_mode(const Options& o) {
  llmm::ParallelLLMManager manager({o.model}, {o.region}, auth_for(o), llmm::RetryConfig{},
                                   client_config_for(o, o.concurrency, 60s),
                                   llmm::ParallelConfig{.max_concurrent_requests = o.concurrency},
                                   llmm_bench::bundled_catalog_only());
  const std::vector<llmm::ConverseRequest> batch(static_cast<std::size_t>(o.requests),
                                                 request_for(o));
  const int warmup = concurrent_warmup(o);
  if (warmup > 0) {
    (void)manager.converse_parallel(
        std::vector<llmm::ConverseRequest>(static_cast<std::size_t>(warmup), request_for(o)));
  }
  const double cpu_before = cpu_seconds();
  const auto start = Clock::now();
  const auto batch_response = manager.converse_parallel(batch);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_before;
  int ok = 0;
  std::string first_error;
  for (const auto& result : batch_response.results) {
    const llmm::BedrockResponse& response = result.response;
    if (response.ok()) {
      ++ok;
    } else if (first_error.empty()) {
      first_error = describe(response);
    }
  }
  json result = base_result(o);
  add_run_counts(result, o, warmup, ok, first_error, seconds, cpu);
  return result;
}

// N ConverseStream calls with C in flight through converse_stream_async; each on_done submits
// the next call. Per call: time to the first Text event and to on_done.
struct StreamRun {
  int ok = 0;
  int errors = 0;
  int without_text = 0;  // ok, but no Text event seen
  std::string first_error;
  double seconds = 0;
  std::vector<double> first_text_us;
  std::vector<double> total_us;
};

StreamRun run_stream_async(const llmm::LLMManager& manager, const llmm::ConverseRequest& request,
                           int total, int in_flight) {
  struct State {
    const llmm::LLMManager* manager;
    const llmm::ConverseRequest* request;
    int total;
    llmm::StreamOptions options;
    std::atomic<int> issued{0};
    std::atomic<int> done{0};
    std::atomic<int> ok{0};
    std::atomic<int> without_text{0};
    std::mutex mutex;
    std::condition_variable finished;
    std::string first_error;
    std::vector<double> first_text_us;
    std::vector<double> total_us;
  };
  State state;
  state.manager = &manager;
  state.request = &request;
  state.total = total;
  state.first_text_us.assign(static_cast<std::size_t>(total), -1.0);
  state.total_us.assign(static_cast<std::size_t>(total), 0.0);

  struct Issuer {
    static void issue(State* s) {
      const int index = s->issued.fetch_add(1);
      if (index >= s->total) return;
      const auto started = Clock::now();
      const auto slot = static_cast<std::size_t>(index);
      s->manager->converse_stream_async(
          *s->request,
          [s, slot, started](const llmm::StreamEvent& event) {
            if (event.type == llmm::StreamEventType::Text && s->first_text_us[slot] < 0) {
              s->first_text_us[slot] =
                  std::chrono::duration<double, std::micro>(Clock::now() - started).count();
            }
          },
          [s, slot, started](llmm::BedrockResponse response) {
            s->total_us[slot] =
                std::chrono::duration<double, std::micro>(Clock::now() - started).count();
            if (response.ok()) {
              s->ok.fetch_add(1);
              if (s->first_text_us[slot] < 0) s->without_text.fetch_add(1);
            } else {
              std::lock_guard lock(s->mutex);
              if (s->first_error.empty()) s->first_error = describe(response);
            }
            issue(s);  // keep C in flight
            if (s->done.fetch_add(1) + 1 == s->total) {
              std::lock_guard lock(s->mutex);
              s->finished.notify_all();
            }
          },
          s->options);
    }
  };

  const auto start = Clock::now();
  for (int i = 0; i < std::min(in_flight, total); ++i) Issuer::issue(&state);
  {
    std::unique_lock lock(state.mutex);
    state.finished.wait(lock, [&] { return state.done.load() >= total; });
  }
  StreamRun run;
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.ok = state.ok.load();
  run.errors = total - run.ok;
  run.without_text = state.without_text.load();
  run.first_error = state.first_error;
  for (const double us : state.first_text_us) {
    if (us >= 0) run.first_text_us.push_back(us);
  }
  run.total_us = std::move(state.total_us);
  return run;
}

json stream_mode(const Options& o) {
  llmm::LLMManager manager({o.model}, {o.region}, auth_for(o), llmm::RetryConfig{},
                           client_config_for(o, o.concurrency, 60s),
                           llmm_bench::bundled_catalog_only());
  const auto request = request_for(o);
  const int warmup = concurrent_warmup(o);
  if (warmup > 0) {
    const auto w = run_stream_async(manager, request, warmup, o.concurrency);
    if (w.ok == 0) throw std::runtime_error("every warm-up stream failed: " + w.first_error);
  }
  const double cpu_before = cpu_seconds();
  const auto run = run_stream_async(manager, request, o.requests, o.concurrency);
  const double cpu = cpu_seconds() - cpu_before;

  json result = base_result(o);
  result["api"] = "converse_stream_async";
  add_run_counts(result, o, warmup, run.ok, run.first_error, run.seconds, cpu);
  result["ok_without_text"] = run.without_text;
  result["cpu_seconds"] = std::round(cpu * 1000) / 1000;
  result["first_text_us"] = llmm_bench::percentiles(run.first_text_us);
  result["latency_us"] = llmm_bench::percentiles(run.total_us);
  result["rss_kib"] = rss_kib();
  return result;
}

// Sequential streams through the pull interface against a scenario holding the first event
// --ttft-ms: measured time to the first Text event minus that is the client's overhead.
json ttft_mode(const Options& o) {
  const Admin admin(o.endpoint);
  llmm::LLMManager manager({o.model}, {o.region}, auth_for(o), llmm::RetryConfig{},
                           client_config_for(o, 1, 60s), llmm_bench::bundled_catalog_only());
  const auto request = request_for(o);
  admin.reset();
  admin.put_scenario({{"latency", {{"timeToFirstTokenMs", o.ttft_ms}, {"tokensPerSecond", 0}}}});

  struct One {
    bool ok = false;
    double first_text_us = -1;
    double total_us = 0;
    std::string error;
  };
  const auto one = [&] {
    One r;
    const auto started = Clock::now();
    auto stream = manager.converse_stream(request);
    while (auto event = stream.next()) {
      if (event->type == llmm::StreamEventType::Text && r.first_text_us < 0) {
        r.first_text_us = std::chrono::duration<double, std::micro>(Clock::now() - started).count();
      }
    }
    const auto& response = stream.response();
    r.total_us = std::chrono::duration<double, std::micro>(Clock::now() - started).count();
    r.ok = response.ok();
    if (!r.ok) r.error = describe(response);
    return r;
  };

  const int warmup = o.warmup >= 0 ? o.warmup : 5;
  for (int i = 0; i < warmup; ++i) (void)one();
  std::vector<double> first_text_us;
  std::vector<double> overhead_us;
  std::vector<double> total_us;
  int ok = 0;
  std::string first_error;
  const double configured_us = o.ttft_ms * 1000.0;
  const double cpu_before = cpu_seconds();
  for (int i = 0; i < o.requests; ++i) {
    const One r = one();
    if (r.ok)
      ++ok;
    else if (first_error.empty())
      first_error = r.error;
    if (r.ok && r.first_text_us >= 0) {
      first_text_us.push_back(r.first_text_us);
      overhead_us.push_back(r.first_text_us - configured_us);
      total_us.push_back(r.total_us);
    }
  }
  const double cpu = cpu_seconds() - cpu_before;
  admin.reset();

  json result = base_result(o);
  result["api"] = "converse_stream (pull: next() on the calling thread)";
  result["configured_ttft_ms"] = o.ttft_ms;
  result["requests"] = o.requests;
  result["warmup"] = warmup;
  result["ok"] = ok;
  result["errors"] = o.requests - ok;
  result["ok_with_text"] = first_text_us.size();
  if (!first_error.empty()) result["first_error"] = first_error;
  result["cpu_us_per_call"] = ok > 0 ? round2(cpu * 1e6 / ok) : 0.0;
  result["first_text_us"] = llmm_bench::percentiles(first_text_us);
  result["overhead_us"] = llmm_bench::percentiles(overhead_us);
  if (!overhead_us.empty())
    result["overhead_us"]["min"] = *std::min_element(overhead_us.begin(), overhead_us.end());
  result["latency_us"] = llmm_bench::percentiles(total_us);
  return result;
}

json latency_mode(const Options& o) {
  llmm::LLMManager manager({o.model}, {o.region}, auth_for(o), llmm::RetryConfig{},
                           client_config_for(o, o.concurrency, 60s),
                           llmm_bench::bundled_catalog_only());
  const auto request = request_for(o);
  const int warmup = o.warmup >= 0 ? o.warmup : std::min(o.requests, 100);
  for (int i = 0; i < warmup; ++i) (void)manager.converse(request);

  std::atomic<int> next{0};
  std::atomic<int> ok{0};
  std::vector<double> latencies(static_cast<std::size_t>(o.requests), 0.0);
  std::mutex mutex;
  std::string first_error;
  const double cpu_before = cpu_seconds();
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < o.concurrency; ++t) {
    threads.emplace_back([&] {
      for (int i = next.fetch_add(1); i < o.requests; i = next.fetch_add(1)) {
        const auto started = Clock::now();
        const auto response = manager.converse(request);
        latencies[static_cast<std::size_t>(i)] =
            std::chrono::duration<double, std::micro>(Clock::now() - started).count();
        if (response.ok()) {
          ok.fetch_add(1);
        } else {
          std::lock_guard lock(mutex);
          if (first_error.empty()) first_error = describe(response);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_before;

  json result = base_result(o);
  add_run_counts(result, o, warmup, ok.load(), first_error, seconds, cpu);
  result["latency_us"] = llmm_bench::percentiles(latencies);
  return result;
}

json memory_mode(const Options& o) {
  const Admin admin(o.endpoint);
  const int in_flight = o.concurrency;
  llmm::LLMManager manager(
      {o.model}, {o.region}, auth_for(o), llmm::RetryConfig{},
      client_config_for(o, in_flight, std::chrono::milliseconds(o.delay_ms) + 60s),
      llmm_bench::bundled_catalog_only());
  const auto request = request_for(o);
  admin.reset();
  // Warm up with a few sequential calls: the loop thread, one pooled connection, the signer.
  const int warmup = o.warmup >= 0 ? o.warmup : 20;
  for (int i = 0; i < warmup; ++i) {
    const auto response = manager.converse(request);
    if (!response.ok()) throw std::runtime_error("warm-up call failed: " + describe(response));
  }
  std::this_thread::sleep_for(200ms);
  const long idle = rss_kib();

  admin.reset();
  admin.put_scenario({{"rules",
                       {{{"name", "bench: every Converse reply waits"},
                         {"match", {{"operation", "Converse"}}},
                         {"action", {{"type", "delay"}, {"ms", o.delay_ms}}}}}}});

  std::atomic<int> done{0};
  std::atomic<int> ok{0};
  std::mutex mutex;
  std::condition_variable finished;
  std::string first_error;
  const auto submitted_at = Clock::now();
  for (int i = 0; i < in_flight; ++i) {
    manager.converse_async(request, [&](llmm::BedrockResponse response) {
      if (response.ok()) {
        ok.fetch_add(1);
      } else {
        std::lock_guard lock(mutex);
        if (first_error.empty()) first_error = describe(response);
      }
      if (done.fetch_add(1) + 1 == in_flight) {
        std::lock_guard lock(mutex);
        finished.notify_all();
      }
    });
  }
  const long after_submit = rss_kib();
  // Wait until the emulator has received every request (all of them are then on the wire and
  // waiting for their delayed replies), sampling our RSS meanwhile.
  long peak = after_submit;
  long arrived = 0;
  long open_connections = 0;
  double all_arrived_ms = -1;
  const auto deadline = submitted_at + std::chrono::milliseconds(o.delay_ms * 8 / 10);
  while (Clock::now() < deadline && done.load() == 0) {
    const json counters = admin.get_json("/_emulator/counters");
    arrived = counters.value("requestsTotal", 0L);
    open_connections = counters["connections"].value("open", 0L);
    peak = std::max(peak, rss_kib());
    if (arrived >= in_flight) {
      all_arrived_ms =
          std::chrono::duration<double, std::milli>(Clock::now() - submitted_at).count();
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  std::this_thread::sleep_for(100ms);
  const long in_flight_rss = rss_kib();
  peak = std::max(peak, in_flight_rss);
  const bool none_completed_yet = done.load() == 0;
  {
    std::unique_lock lock(mutex);
    finished.wait(lock, [&] { return done.load() >= in_flight; });
  }
  const double total_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - submitted_at).count();
  std::this_thread::sleep_for(200ms);
  const long after = rss_kib();
  admin.reset();

  json result = base_result(o);
  result["in_flight"] = in_flight;
  result["delay_ms"] = o.delay_ms;
  result["ok"] = ok.load();
  result["errors"] = in_flight - ok.load();
  if (!first_error.empty()) result["first_error"] = first_error;
  result["emulator_received"] = arrived;
  result["emulator_open_connections"] = open_connections;  // includes the admin query's own
  result["all_received_after_ms"] = round2(all_arrived_ms);
  result["measured_before_any_completion"] = none_completed_yet;
  result["rss_kib_idle"] = idle;
  result["rss_kib_after_submit"] = after_submit;
  result["rss_kib_in_flight"] = in_flight_rss;
  result["rss_kib_peak_sampled"] = peak;
  result["rss_kib_after_completion"] = after;
  result["kib_per_in_flight_request"] =
      round2(static_cast<double>(in_flight_rss - idle) / in_flight);
  result["kib_per_in_flight_request_peak"] = round2(static_cast<double>(peak - idle) / in_flight);
  result["total_ms"] = round2(total_ms);
  return result;
}

// "2026-01-02T03:04:05.678Z" → milliseconds since the epoch.
std::optional<std::int64_t> parse_log_time(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) < 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 + millis;
}

// From the emulator's request log: each throttled request in `first` paired with the next request
// in `second`; the gaps in ms (the log has millisecond timestamps).
struct LogGaps {
  std::vector<double> gaps_ms;
  int first_region_requests = 0;
  int second_region_requests = 0;
};

LogGaps log_gaps(const json& log, const std::string& first, const std::string& second) {
  LogGaps out;
  std::int64_t pending = -1;  // time of the last unpaired throttle, -1 when none
  for (const auto& entry : log.value("requests", json::array())) {
    if (entry.value("operation", std::string()) != "Converse") continue;
    const auto when = parse_log_time(entry.value("time", std::string()));
    const std::string region = entry.value("region", std::string());
    if (region == first) {
      ++out.first_region_requests;
      if (!entry.value("rule", std::string()).empty() && when) pending = *when;
    } else if (region == second) {
      ++out.second_region_requests;
      if (pending >= 0 && when) {
        out.gaps_ms.push_back(static_cast<double>(*when - pending));
        pending = -1;
      }
    }
  }
  return out;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The failover work adds per-target circuit breakers (RetryConfig::circuit_breaker) that skip a
// target after a few consecutive throttles; this mode wants every call to meet the throttle
// first, so it turns them off where they exist (and compiles against an API without them).
llmm::RetryConfig throttle_retry_config() {
  llmm::RetryConfig config;
  if constexpr (requires { config.circuit_breaker.enabled; })
    config.circuit_breaker.enabled = false;
  return config;
}

bool went_through(const llmm::BedrockResponse& response, const std::string& region) {
  return std::any_of(response.attempts.begin(), response.attempts.end(),
                     [&](const llmm::Attempt& attempt) { return attempt.region == region; });
}

json throttle_mode(const Options& o) {
  const Admin admin(o.endpoint);
  const auto request = request_for(o);
  const int calls = o.requests;
  Options throttled = o;
  if (throttled.retries < 0) throttled.retries = 0;  // fail over at the first throttle
  const json scenario = {
      {"rules",
       {{{"name", "bench: first region throttled"},
         {"match", {{"region", o.region}, {"operation", "Converse"}}},
         {"action",
          {{"type", "error"},
           {"exception", "ThrottlingException"},
           {"status", 429},
           {"message", "Too many requests, please wait before trying again."}}}}}}};

  // Baseline: the same call made straight to the second region.
  admin.reset();
  std::vector<double> baseline_us;
  llmm::LLMManager direct({o.model}, {o.second_region}, auth_for(o), llmm::RetryConfig{},
                          client_config_for(throttled, 4, 10s), llmm_bench::bundled_catalog_only());
  for (int i = 0; i < 5; ++i) (void)direct.converse(request);
  for (int i = 0; i < calls; ++i) {
    const auto started = Clock::now();
    const auto response = direct.converse(request);
    if (response.ok())
      baseline_us.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - started).count());
  }

  // Reference: failover done by the caller. A manager of the first region only answers with the
  // throttle; the caller then calls a manager of the second region (same endpoint, same pool
  // settings, separate managers).
  llmm::LLMManager first_only({o.model}, {o.region}, auth_for(o), llmm::RetryConfig{},
                              client_config_for(throttled, 4, 10s),
                              llmm_bench::bundled_catalog_only());
  admin.reset();
  admin.put_scenario(scenario);
  for (int i = 0; i < 3; ++i) (void)first_only.converse(request);
  admin.reset();
  admin.put_scenario(scenario);
  std::vector<double> caller_pair_us;
  int caller_ok = 0;
  for (int i = 0; i < calls; ++i) {
    const auto started = Clock::now();
    const auto refused = first_only.converse(request);
    const auto answered = refused.ok() ? refused : direct.converse(request);
    caller_pair_us.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - started).count());
    caller_ok += answered.ok() && answered.region == o.second_region ? 1 : 0;
  }
  const LogGaps caller_gaps =
      log_gaps(admin.get_json("/_emulator/requests"), o.region, o.second_region);

  // The measurement proper: one manager with both regions.
  llmm::LLMManager manager({o.model}, {o.region, o.second_region}, auth_for(o),
                           throttle_retry_config(), client_config_for(throttled, 4, 10s),
                           llmm_bench::bundled_catalog_only());
  admin.reset();
  admin.put_scenario(scenario);
  for (int i = 0; i < 3; ++i) (void)manager.converse(request);  // connection, signer, both clients
  admin.reset();
  admin.put_scenario(scenario);

  int ok = 0;
  int failed_over = 0;
  std::string first_error;
  std::vector<double> call_us;
  std::vector<double> failover_call_us;
  json answered_by = json::object();
  for (int i = 0; i < calls; ++i) {
    const auto started = Clock::now();
    const auto response = manager.converse(request);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - started).count();
    call_us.push_back(us);
    if (response.ok()) {
      ++ok;
      answered_by[response.region] = answered_by.value(response.region, 0) + 1;
      if (response.region == o.second_region && went_through(response, o.region)) {
        ++failed_over;
        failover_call_us.push_back(us);
      }
    } else if (first_error.empty()) {
      first_error = describe(response) + " (region " + response.region + ", " +
                    std::to_string(response.attempts.size()) + " attempt(s))";
    }
  }
  const LogGaps gaps = log_gaps(admin.get_json("/_emulator/requests"), o.region, o.second_region);
  admin.reset();

  json result = base_result(o);
  result["second_region"] = o.second_region;
  result["retries_max_attempts"] = throttled.retries;
  result["circuit_breaker"] = "off where RetryConfig has one";
  result["calls"] = calls;
  result["ok"] = ok;
  result["answered_by"] = answered_by;
  result["failed_over"] = failed_over;
  if (!first_error.empty()) result["first_error"] = first_error;
  result["emulator_requests_first_region"] = gaps.first_region_requests;
  result["emulator_requests_second_region"] = gaps.second_region_requests;
  result["measurable"] = !gaps.gaps_ms.empty();
  if (gaps.gaps_ms.empty()) {
    result["reason"] =
        gaps.second_region_requests == 0
            ? "no request reached " + o.second_region + " after a throttle in " + o.region +
                  ": the manager does not fail over to its next target (yet)"
            : "no throttled request was followed by a " + o.second_region + " request";
  } else {
    // Millisecond timestamps: each gap is a whole number of ms, so the mean is the useful figure.
    result["log_gap_ms"] = llmm_bench::percentiles(gaps.gaps_ms);
  }
  result["baseline_call_us"] = llmm_bench::percentiles(baseline_us);
  result["manager_call_us"] = llmm_bench::percentiles(call_us);
  if (!failover_call_us.empty() && !baseline_us.empty()) {
    result["failover_call_us"] = llmm_bench::percentiles(failover_call_us);
    // One throttled round trip plus the failover decision, on top of a plain call.
    result["failover_extra_us_p50"] = round2(median(failover_call_us) - median(baseline_us));
  }
  json caller = {{"calls", calls},
                 {"answered_by_second_region", caller_ok},
                 {"pair_call_us", llmm_bench::percentiles(caller_pair_us)},
                 {"log_gap_ms", llmm_bench::percentiles(caller_gaps.gaps_ms)}};
  if (!baseline_us.empty())
    caller["extra_us_p50"] = round2(median(caller_pair_us) - median(baseline_us));
  result["caller_failover_reference"] = caller;
  return result;
}

void raise_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  raise_file_limit();
  try {
    json result;
    if (options.mode == "throughput")
      result = throughput_mode(options);
    else if (options.mode == "latency")
      result = latency_mode(options);
    else if (options.mode == "memory")
      result = memory_mode(options);
    else if (options.mode == "stream")
      result = stream_mode(options);
    else if (options.mode == "parallel")
      result = parallel_mode(options);
    else if (options.mode == "ttft")
      result = ttft_mode(options);
    else
      result = throttle_mode(options);
    std::cout << result.dump() << std::endl;
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "llmm_client_bench: " << error.what() << "\n";
    std::cout << json{{"client", "llmm"},
                      {"mode", options.mode},
                      {"concurrency", options.concurrency},
                      {"error", error.what()}}
                     .dump()
              << std::endl;
    return 1;
  }
}
