#include "protocol/aws_error.hpp"

#include <gtest/gtest.h>

namespace llmm::protocol {
namespace {

http::HttpResponse reply(long status, http::Headers headers, std::string body) {
  return http::HttpResponse{status, std::move(headers), std::move(body)};
}

TEST(AwsErrorTest, CleansTypeNames) {
  EXPECT_EQ(
      clean_error_type("ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
      "ValidationException");
  EXPECT_EQ(clean_error_type("com.amazonaws.bedrockruntime#ValidationException"),
            "ValidationException");
  EXPECT_EQ(clean_error_type("ThrottlingException,Other"), "ThrottlingException");
}

TEST(AwsErrorTest, HeaderWinsOverBody) {
  const auto error = error_from_response(reply(
      429, {{"X-Amzn-ErrorType", "ThrottlingException:http://x/"}, {"x-amzn-RequestId", "rid-1"}},
      R"({"__type":"ValidationException","message":"slow down"})"));
  EXPECT_EQ(error.code, ErrorCode::Throttled);
  EXPECT_EQ(error.aws_error_type, "ThrottlingException");
  EXPECT_EQ(error.message, "slow down");
  EXPECT_EQ(error.request_id, "rid-1");
  EXPECT_EQ(error.http_status, 429);
}

TEST(AwsErrorTest, BodyTypeAndCapitalMessage) {
  const auto error = error_from_response(reply(
      400, {},
      R"({"__type":"com.amazonaws.bedrockruntime#ValidationException","Message":"capital M"})"));
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_EQ(error.message, "capital M");
  EXPECT_EQ(error_from_response(reply(400, {}, R"({"code":"ValidationException"})")).aws_error_type,
            "ValidationException");
}

TEST(AwsErrorTest, MapsEveryModelledException) {
  const std::pair<const char*, ErrorCode> cases[] = {
      {"AccessDeniedException", ErrorCode::AccessDenied},
      {"ResourceNotFoundException", ErrorCode::ModelNotFound},
      {"ThrottlingException", ErrorCode::Throttled},
      {"ModelNotReadyException", ErrorCode::ModelNotReady},
      {"ModelTimeoutException", ErrorCode::Timeout},
      {"InternalServerException", ErrorCode::ServiceUnavailable},
      {"ServiceUnavailableException", ErrorCode::ServiceUnavailable},
      {"ValidationException", ErrorCode::InvalidArgument},
      {"ModelErrorException", ErrorCode::ModelError},
      {"UnrecognizedClientException", ErrorCode::Unauthenticated},
      {"InvalidSignatureException", ErrorCode::Unauthenticated},
  };
  for (const auto& [type, code] : cases) {
    EXPECT_EQ(error_from_response(reply(400, {{"x-amzn-ErrorType", type}}, "{}")).code, code)
        << type;
  }
}

TEST(AwsErrorTest, NoTypeFallsBackToStatus) {
  EXPECT_EQ(error_from_response(reply(429, {}, "")).code, ErrorCode::Throttled);
  EXPECT_EQ(error_from_response(reply(503, {}, "")).code, ErrorCode::ServiceUnavailable);
  const auto empty = error_from_response(reply(500, {}, ""));
  EXPECT_EQ(empty.message, "UnknownError");
  const auto html = error_from_response(reply(502, {}, "<html>bad gateway</html>"));
  EXPECT_EQ(html.code, ErrorCode::ServiceUnavailable);
  EXPECT_EQ(html.http_status, 502);
  EXPECT_NE(html.message.find("not JSON"), std::string::npos);
  EXPECT_EQ(error_from_response(reply(501, {}, "")).code, ErrorCode::Internal);
}

TEST(AwsErrorTest, RetryAfterHints) {
  EXPECT_EQ(retry_after_hint(reply(429, {{"x-amz-retry-after", "1500"}}, "")),
            std::chrono::milliseconds(1500));
  EXPECT_EQ(retry_after_hint(reply(429, {{"Retry-After", "2"}}, "")),
            std::chrono::milliseconds(2000));
  EXPECT_EQ(retry_after_hint(reply(429, {{"Retry-After", "soon"}}, "")), std::nullopt);
  EXPECT_EQ(retry_after_hint(reply(429, {{"x-amz-retry-after", "-5"}}, "")), std::nullopt);
}

}  // namespace
}  // namespace llmm::protocol
