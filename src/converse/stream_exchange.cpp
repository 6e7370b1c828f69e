#include "converse/stream_exchange.hpp"

#include <algorithm>

namespace llmm::converse {

StreamExchange::StreamExchange(ConverseRequest request, ConverseSettings settings,
                               StreamSettings stream)
    : ConverseExchange(std::move(request), std::move(settings)), stream_(std::move(stream)) {}

std::optional<http::HttpRequest> StreamExchange::build(const engine::AttemptContext& attempt,
                                                       engine::CallLog& log) {
  if (stream_.clock && !call_started_) call_started_ = stream_.clock->now() - attempt.elapsed;
  auto request = ConverseExchange::build(attempt, log);
  if (!request) return request;
  decoder_ = eventstream::EventStreamDecoder{};
  assembler_ = StreamAssembler{};
  stream_error_.reset();
  attempt_delivered_ = false;
  // A model may start its answer over instead of continuing it.
  repeats_.begin(delivered_text_);
  return request;
}

std::function<bool(std::string_view)> StreamExchange::body_sink() {
  // The exchange outlives every transfer of its call (the call owns it until it finishes).
  return [this](std::string_view bytes) { return on_bytes(bytes); };
}

bool StreamExchange::on_bytes(std::string_view bytes) {
  if (stream_error_) return false;
  auto fed = decoder_.feed(bytes, [this](eventstream::Message&& message) {
    if (stream_error_) return;
    auto events = assembler_.on_message(message);
    if (!events) {
      stream_error_ = events.error();
      return;
    }
    for (StreamEvent& event : *events) deliver(std::move(event));
  });
  if (!fed) stream_error_ = fed.error();
  return !stream_error_;
}

void StreamExchange::deliver(StreamEvent event) {
  bool content = false;
  if (event.type == StreamEventType::Text) {
    if (repeats_.watching()) {
      event.text = repeats_.filter(event.text);
      if (event.text.empty()) return;
    }
    delivered_text_ += event.text;
    content = true;
  } else if (event.type == StreamEventType::ToolUseStart ||
             event.type == StreamEventType::ToolUseInput ||
             event.type == StreamEventType::Reasoning) {
    content = true;
  }
  if (content) {
    attempt_delivered_ = true;
    if (stream_.clock) {
      last_content_at_ = stream_.clock->now();
      if (!first_content_at_) first_content_at_ = last_content_at_;
    }
  }
  emit(event);
}

void StreamExchange::emit(const StreamEvent& event) {
  try {
    stream_.on_event(event);
  } catch (...) {  // NOLINT(bugprone-empty-catch): the consumer's handler must not break the call
  }
}

Result<ConverseOutput> StreamExchange::read_answer(const http::HttpResponse& /*reply*/) {
  // Why a 2xx stream that ended is not a complete answer.
  if (stream_error_) return *stream_error_;
  if (auto ended = decoder_.finish(); !ended) return ended.error();
  if (!assembler_.stopped()) {
    return Error{ErrorCode::StreamCorrupt, "the stream ended before messageStop"};
  }
  // The answer as Converse would give it; after a recovery the text kept from earlier targets
  // leads the first text block, and a restarted prefix is not counted twice.
  const std::size_t repeated = repeats_.finish();
  ConverseOutput output = assembler_.output();
  const std::string& kept = repeats_.kept();
  if (kept.empty()) return output;
  auto& content = output.message.content;
  auto first_text = std::find_if(content.begin(), content.end(), [](const ContentBlock& block) {
    return std::holds_alternative<TextBlock>(block);
  });
  if (first_text == content.end()) {
    content.insert(content.begin(), TextBlock{kept});
  } else {
    auto& text = std::get<TextBlock>(*first_text).text;
    text = kept + text.substr(std::min(repeated, text.size()));
  }
  return output;
}

bool StreamExchange::may_go_on(const Error& error, const engine::AttemptContext& attempt,
                               engine::CallLog& log) {
  if (!attempt_delivered_) return true;  // nothing reached the consumer: an ordinary failure
  if (!stream_.recover) return false;
  const engine::Target& target = attempt.target;
  recoveries_.push_back(StreamRecovery{attempt.number, target.region, attempt.route.id,
                                       error.describe(), delivered_text_.size()});
  log.warnings.push_back("The stream from " + target.model_name + " in " + target.region +
                         " broke after " + std::to_string(delivered_text_.size()) +
                         " characters (" + std::string(to_string(error.code)) +
                         "); continuing on the next target");
  StreamEvent event{StreamEventType::Recovery};
  event.text = error.describe();
  emit(event);
  return true;
}

BedrockResponse StreamExchange::response(engine::CallOutcome outcome) {
  const bool failed = outcome.error.has_value();
  BedrockResponse response = ConverseExchange::response(std::move(outcome));
  if (failed && !delivered_text_.empty()) {
    ConverseOutput partial;
    partial.message.content.emplace_back(TextBlock{delivered_text_});
    response.partial_output = std::move(partial);
  }
  response.recoveries = std::move(recoveries_);
  const auto since_start = [&](const std::optional<Clock::TimePoint>& at) {
    return std::optional<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(*at - *call_started_));
  };
  if (call_started_ && first_content_at_) {
    response.time_to_first_token = since_start(first_content_at_);
    response.time_to_last_token = since_start(last_content_at_);
  }
  return response;
}

}  // namespace llmm::converse
