#include "protocol/base64.hpp"

#include <gtest/gtest.h>

namespace llmm::protocol {
namespace {

TEST(Base64Test, EncodesTheWireDocExamples) {
  EXPECT_EQ(base64_encode(std::string("\x89PNG\r\n\x1a\n", 8)), "iVBORw0KGgo=");
  EXPECT_EQ(base64_encode("%PDF-1.4"), "JVBERi0xLjQ=");
  EXPECT_EQ(base64_encode("\x01\x02\x03"), "AQID");
  EXPECT_EQ(base64_encode(""), "");
}

TEST(Base64Test, DecodesWhatItEncodes) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    EXPECT_EQ(base64_decode(base64_encode(all.substr(0, n))), all.substr(0, n));
  }
}

TEST(Base64Test, RejectsMalformedText) {
  EXPECT_EQ(base64_decode("abc"), std::nullopt);   // length
  EXPECT_EQ(base64_decode("ab!d"), std::nullopt);  // alphabet
  EXPECT_EQ(base64_decode("a=bc"), std::nullopt);  // padding in the middle
  EXPECT_EQ(base64_decode("a==="), std::nullopt);
}

}  // namespace
}  // namespace llmm::protocol
