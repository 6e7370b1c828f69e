#pragma once
// `llmm batch --metrics-port N`: the batch's MetricsRegistry served over HTTP/1.1 for a
// Prometheus scraper, GET /metrics (anything else 404, a method other than GET or HEAD 405),
// one request per connection, on its own thread so scrapes never touch the calls' event loop.
// Bound to 127.0.0.1 unless --metrics-address says otherwise. Thread-safe: the registry renders
// under its own lock; start and stop belong to one thread.

#include <llmm/metrics_registry.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace llmm::cli {

class MetricsEndpoint {
 public:
  // Listens at once (port 0: one the system picks). Throws std::invalid_argument naming the
  // address for one that does not parse and, naming the port, for one it cannot listen on (in
  // use, not this host's): a usage error (exit 2).
  MetricsEndpoint(std::shared_ptr<const MetricsRegistry> registry, const std::string& address,
                  std::uint16_t port);
  // Stops listening and joins the thread (a scrape in progress is cut off).
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // "http://127.0.0.1:9464/metrics"
  [[nodiscard]] std::string url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmm::cli
