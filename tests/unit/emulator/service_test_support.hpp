#pragma once
// Small helpers for the emulator unit tests: request builders and a minimal event-stream frame
// reader (prelude, string headers, payload), independent of the library's decoder.

#include "emulator_service.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace emulator_test {

using bedrock_emulator::Operation;
using bedrock_emulator::ServiceRequest;

inline ServiceRequest converse_request(std::string body,
                                       std::string model = "anthropic.claude-3-haiku-20240307-v1:0",
                                       std::string region = "us-east-1",
                                       Operation operation = Operation::Converse) {
  ServiceRequest request;
  request.operation = operation;
  request.region = std::move(region);
  request.resource_id = std::move(model);
  request.content_type = "application/json";
  request.body = std::move(body);
  return request;
}

inline std::string user_text_body(const std::string& text) {
  return nlohmann::json{{"messages", {{{"role", "user"}, {"content", {{{"text", text}}}}}}}}.dump();
}

inline ServiceRequest control_request(Operation operation, std::string region = "us-east-1",
                                      std::string resource = "",
                                      std::vector<std::pair<std::string, std::string>> query = {}) {
  ServiceRequest request;
  request.operation = operation;
  request.region = std::move(region);
  request.resource_id = std::move(resource);
  request.query = std::move(query);
  return request;
}

struct DecodedFrame {
  std::map<std::string, std::string> headers;
  std::string payload;
};

inline std::uint32_t read_u32(const std::string& bytes, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
}

// Reads one whole message; only string headers (type 7), which is all Bedrock uses.
inline DecodedFrame decode_frame(const std::string& bytes) {
  DecodedFrame frame;
  const std::uint32_t total = read_u32(bytes, 0);
  const std::uint32_t headers_length = read_u32(bytes, 4);
  if (total != bytes.size()) throw std::runtime_error("length mismatch");
  std::size_t at = 12;
  const std::size_t headers_end = 12 + headers_length;
  while (at < headers_end) {
    const std::size_t name_length = static_cast<unsigned char>(bytes[at++]);
    std::string name = bytes.substr(at, name_length);
    at += name_length;
    if (bytes[at++] != 7) throw std::runtime_error("non-string header");
    const std::size_t value_length =
        (static_cast<unsigned char>(bytes[at]) << 8) | static_cast<unsigned char>(bytes[at + 1]);
    at += 2;
    frame.headers[name] = bytes.substr(at, value_length);
    at += value_length;
  }
  frame.payload = bytes.substr(headers_end, total - headers_end - 4);
  return frame;
}

inline std::vector<DecodedFrame> decode_frames(const bedrock_emulator::ResponsePlan& plan) {
  std::vector<DecodedFrame> frames;
  for (const auto& frame : plan.frames) frames.push_back(decode_frame(frame.bytes));
  return frames;
}

inline std::string header(const bedrock_emulator::ResponsePlan& plan, const std::string& name) {
  for (const auto& [key, value] : plan.headers) {
    if (key == name) return value;
  }
  return {};
}

inline std::string error_type(const bedrock_emulator::ResponsePlan& plan) {
  const std::string value = header(plan, "x-amzn-ErrorType");
  return value.substr(0, value.find(':'));
}

inline std::string error_message(const bedrock_emulator::ResponsePlan& plan) {
  return nlohmann::json::parse(plan.body).at("message").get<std::string>();
}

}  // namespace emulator_test
