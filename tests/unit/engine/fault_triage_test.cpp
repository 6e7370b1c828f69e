// Where the fault of a failed attempt lies, from its code and the service's message wording.
#include "engine/fault_triage.hpp"

#include <gtest/gtest.h>

namespace llmm::engine {
namespace {

Error validation(std::string message) {
  return Error{ErrorCode::InvalidArgument, std::move(message), 400, "ValidationException"};
}

TEST(ErrorTriageTest, TransientFaultsRetryOrFailOver) {
  for (ErrorCode code :
       {ErrorCode::Throttled, ErrorCode::ServiceUnavailable, ErrorCode::ConnectionFailed,
        ErrorCode::ModelNotReady, ErrorCode::StreamCorrupt}) {
    EXPECT_EQ(triage(Error{code, "x", 500}).fault, Fault::Transient) << to_string(code);
  }
  EXPECT_EQ(triage(Error{ErrorCode::Timeout, "read timeout", 0}).fault, Fault::Transient);
  EXPECT_EQ(triage(Error{ErrorCode::Timeout, "ModelTimeoutException", 408}).fault, Fault::Target);
}

TEST(ErrorTriageTest, TargetFaultsMoveOn) {
  for (ErrorCode code :
       {ErrorCode::AccessDenied, ErrorCode::ModelNotFound, ErrorCode::ModelError}) {
    EXPECT_EQ(triage(Error{code, "x", 403}).fault, Fault::Target) << to_string(code);
  }
  EXPECT_EQ(triage(validation("The provided model identifier is invalid.")).fault, Fault::Target);
  EXPECT_EQ(triage(Error{ErrorCode::Internal, "unreadable reply", 200}).fault, Fault::Target);
}

TEST(ErrorTriageTest, TheProfileRequirementIsRecognisedWithEitherApostrophe) {
  const char* typographic =
      "Invocation of model ID anthropic.claude-3-haiku with on-demand throughput isn\u2019t "
      "supported. Retry your request with the ID or ARN of an inference profile that contains "
      "this model.";
  EXPECT_EQ(triage(validation(typographic)).fault, Fault::ProfileRequired);
  EXPECT_EQ(triage(validation("Model with ON-DEMAND THROUGHPUT isn't supported")).fault,
            Fault::ProfileRequired);
}

TEST(ErrorTriageTest, RejectedParametersAndFeatures) {
  EXPECT_EQ(triage(validation("The model returned the following errors: extraneous key [top_k] is "
                              "not permitted"))
                .fault,
            Fault::Parameters);
  EXPECT_EQ(triage(validation("invalid beta flag")).fault, Fault::Parameters);
  EXPECT_EQ(triage(validation("Unsupported parameter: foo")).fault, Fault::Parameters);

  const std::pair<const char*, RejectedFeature> features[] = {
      {"This model doesn't support the image content block that you provided.",
       RejectedFeature::Image},
      {"This model doesn't support the document content block", RejectedFeature::Document},
      {"This model does not support the video content block", RejectedFeature::Video},
      {"This model doesn't support tool use.", RejectedFeature::Tools},
      {"Guardrail is not supported for this model", RejectedFeature::Guardrails},
  };
  for (const auto& [message, feature] : features) {
    const Triage verdict = triage(validation(message));
    EXPECT_EQ(verdict.fault, Fault::Feature) << message;
    EXPECT_EQ(verdict.feature, feature) << message;
  }
}

TEST(ErrorTriageTest, RequestFaultsAndFatalOnesStop) {
  EXPECT_EQ(triage(validation("messages: final message must be from the user")).fault,
            Fault::Request);
  EXPECT_EQ(triage(Error{ErrorCode::Unauthenticated, "bad signature", 403}).fault, Fault::Fatal);
  EXPECT_EQ(triage(Error{ErrorCode::Cancelled, "cancelled", 0}).fault, Fault::Fatal);
  EXPECT_EQ(triage(Error{ErrorCode::InvalidArgument, "cannot sign", 0}).fault, Fault::Fatal);
  EXPECT_EQ(triage(Error{ErrorCode::Internal, "cannot build", 0}).fault, Fault::Fatal);
}

}  // namespace
}  // namespace llmm::engine
