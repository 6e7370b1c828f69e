#pragma once
// ConverseStream on the call engine: the event stream of each attempt decoded as it arrives
// (CRC-checked frames, then the StreamAssembler), consumer events delivered in order, the
// answer assembled as Converse would give it, and, when a stream breaks after content has
// started, the answer continued on the next target without repeated text (stream_continuation).
// The engine sees only "a 2xx body sink", "has content started" and "may the call go on".

#include "converse/converse_exchange.hpp"
#include "converse/stream_assembler.hpp"
#include "converse/stream_continuation.hpp"
#include "protocol/eventstream/event_stream_decoder.hpp"

#include <llmm/clock.hpp>
#include <llmm/stream_event.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llmm::converse {

struct StreamSettings {
  std::function<void(const StreamEvent&)> on_event;  // loop thread, in order
  std::optional<std::chrono::milliseconds> first_token_timeout;
  bool recover = true;  // continue on the next target after content has started
  // Times the first and last content the consumer receives (the manager's clock); null: not timed.
  std::shared_ptr<Clock> clock;
};

class StreamExchange final : public ConverseExchange {
 public:
  StreamExchange(ConverseRequest request, ConverseSettings settings, StreamSettings stream);

  std::optional<http::HttpRequest> build(const engine::AttemptContext& attempt,
                                         engine::CallLog& log) override;
  std::function<bool(std::string_view)> body_sink() override;
  [[nodiscard]] std::optional<Error> own_abort_error() const override { return stream_error_; }
  [[nodiscard]] std::optional<std::chrono::milliseconds> first_content_timeout() const override {
    return stream_.first_token_timeout;
  }
  [[nodiscard]] bool content_started() const override { return assembler_.content_started(); }
  bool may_go_on(const Error& error, const engine::AttemptContext& attempt,
                 engine::CallLog& log) override;
  [[nodiscard]] BedrockResponse response(engine::CallOutcome outcome) override;

 protected:
  [[nodiscard]] ConverseRequest base_request() const override {
    return continuation_of(request_, delivered_text_);
  }
  [[nodiscard]] bool streaming() const override { return true; }
  Result<ConverseOutput> read_answer(const http::HttpResponse& reply) override;

 private:
  bool on_bytes(std::string_view bytes);
  void deliver(StreamEvent event);
  void emit(const StreamEvent& event);

  StreamSettings stream_;
  eventstream::EventStreamDecoder decoder_;
  StreamAssembler assembler_;
  RepeatFilter repeats_;
  std::optional<Error> stream_error_;
  bool attempt_delivered_ = false;  // this attempt gave the consumer content
  std::string delivered_text_;      // every text the consumer received, across attempts
  std::vector<StreamRecovery> recoveries_;
  // On the settings' clock: when the call started, and when content first and last reached the
  // consumer.
  std::optional<Clock::TimePoint> call_started_;
  std::optional<Clock::TimePoint> first_content_at_;
  std::optional<Clock::TimePoint> last_content_at_;
};

}  // namespace llmm::converse
