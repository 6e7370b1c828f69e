#pragma once
// What the emulator answers, decided without any networking: the operation's result, the
// scenario rule that applies, and how the HTTP layer must deliver it (a ResponsePlan). The HTTP
// server (emulator_server) parses requests, verifies signatures, runs the admin API, and
// carries out plans; everything about Bedrock's behaviour lives behind this interface.

#include "quota_book.hpp"
#include "quota_rules.hpp"

#include "catalog/bundled_catalog.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bedrock_emulator {

enum class Operation {
  Converse,
  ConverseStream,
  ListFoundationModels,
  GetFoundationModel,
  ListInferenceProfiles,
  GetInferenceProfile,
};
// "Converse", "ConverseStream", ... as used in scenarios and the request log.
std::string_view operation_name(Operation operation);

enum class AnswerMode {
  Echo,      // the answer repeats the last user text
  Generate,  // deterministic pseudo-text from the seed and the request
};

struct ServiceRequest {
  Operation operation = Operation::Converse;
  std::string region;       // from the SigV4 credential scope (bearer mode: see emulator_server)
  std::string resource_id;  // decoded {modelId} / {modelIdentifier} / {inferenceProfileIdentifier}
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in received order
  std::string content_type;  // the request's Content-Type, may be empty
  std::string body;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One encoded event-stream message and the pause before it is written (the latency model).
struct StreamFrame {
  std::string bytes;
  std::chrono::milliseconds delay_before{0};
};

struct ResponsePlan {
  std::chrono::milliseconds delay_before_headers{0};
  bool stall = false;  // never answer; hold the connection until the client or shutdown closes it
  bool reset = false;  // abort the connection with a TCP RST instead of answering
  // Refuse the request unprocessed: HTTP/2 GOAWAY naming the stream before it as the last one
  // processed; HTTP/1.1 a clean close (FIN) without an answer.
  bool goaway = false;
  // Write the body (or each frame) a few bytes at a time with this gap; 0 = all at once.
  std::chrono::milliseconds trickle_interval{0};

  int status = 200;
  HeaderList
      headers;       // Content-Type, x-amzn-ErrorType, Retry-After, ... (not Date/RequestId/length)
  std::string body;  // when !streaming

  bool streaming = false;  // frames follow the headers, chunked
  std::vector<StreamFrame> frames;
  bool cut_after_frames = false;    // close the connection after the frames, no final chunk
  bool stall_after_frames = false;  // hold the connection silent after the frames

  std::string outcome;    // for the request log: "200", "429 ThrottlingException", "stall", ...
  std::string rule_name;  // the scenario rule that produced this plan, empty if none
  std::string model_id;   // the model the request resolved to, for the log (may be empty)
};

// An error reply in the real service's shape: status, x-amzn-ErrorType "<Name>:http://internal.
// amazon.com/coral/com.amazon.bedrock/", Content-Type application/json, body {"message": ...}.
ResponsePlan error_plan(std::string_view exception_name, int status, std::string message);

class EmulatorService {
 public:
  struct Options {
    std::uint64_t seed = 0;
    AnswerMode mode = AnswerMode::Echo;
    // The model table served: models, regions, profiles and capabilities (never null; it must
    // outlive the service). By default the bundled data, the same the library's catalog falls
    // back to; main.cpp's --catalog FILE serves another.
    const llmm::catalog::Catalog* catalog = &llmm::catalog::bundled_catalog().catalog;
    // Quotas enforced on Converse and ConverseStream (docs/emulator.md "Quotas"; main.cpp's
    // --quota); empty = none. Replaced at run time with set_quotas().
    std::vector<QuotaRule> quotas;
    // The quota buckets' monotonic time (empty: std::chrono::steady_clock::now); a test's seam.
    QuotaClock quota_clock;
  };

  explicit EmulatorService(Options options);
  ~EmulatorService();
  EmulatorService(const EmulatorService&) = delete;
  EmulatorService& operator=(const EmulatorService&) = delete;

  // Thread-safe. Never throws for bad input: malformed JSON, wrong content type, unknown model
  // and the like become error plans with the real service's exception names.
  ResponsePlan handle(const ServiceRequest& request);

  // Replaces the scenario (docs/emulator.md). On invalid JSON or an invalid rule, returns a
  // message saying what is wrong and keeps the old scenario. Resets the rules' call counters.
  std::optional<std::string> set_scenario(std::string_view json);
  [[nodiscard]] std::string scenario_json() const;
  // Replaces the quota rules from {"rules":[...]} (PUT /_emulator/quotas); on a bad document
  // returns what is wrong and keeps the old rules. Either way of replacing drops every bucket.
  std::optional<std::string> set_quotas(std::string_view json);
  void set_quotas(std::vector<QuotaRule> rules);
  // GET /_emulator/quotas: the rules and every bucket's counters (QuotaBook::json).
  [[nodiscard]] std::string quotas_json() const;
  // Drops the scenario, every counter and the prompt cache, and refills every quota bucket (the
  // quota rules stay).
  void reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bedrock_emulator
