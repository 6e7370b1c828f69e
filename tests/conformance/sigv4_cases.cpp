// sigv4_cases: seeded random SigV4 signing cases for Bedrock, each with llmm's own result, as
// JSON lines for sigv4_conformance.mjs to re-sign with @smithy/signature-v4 (the JS SDK signer).
//
//   sigv4_cases [--seed N] [--count N] > cases.jsonl
//
// Line 1 is {"meta": {...}} with the seed and count; every other line is one case. The same seed
// gives the same bytes on every platform: the generator uses its own PRNG and no std::
// distributions (their output is implementation-defined).

#include "auth/sigv4_signer.hpp"
#include "protocol/uri_encoding.hpp"

#include "case_generation.hpp"
#include "protocol/base64.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using llmm::protocol::encode_path_segment;
using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr std::uint64_t kDefaultSeed = 20150830123600ULL;  // fixed: CI must be reproducible
constexpr int kDefaultCount = 240;

// The shared generator plus what these cases need.
class Rng : public conformance::SplitMix64 {
 public:
  using SplitMix64::SplitMix64;

  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1));
  }

  std::string text(std::string_view alphabet, std::size_t length) {
    std::string out;
    out.reserve(length);
    for (std::size_t i = 0; i < length; ++i) out.push_back(alphabet[below(alphabet.size())]);
    return out;
  }

  // Picks whole UTF-8 sequences, so the result is valid UTF-8 (JSON needs that).
  std::string utf8_text(const std::vector<std::string>& pieces, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += pick(pieces);
    return out;
  }
};

constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kBase64Chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kDigits = "0123456789";

const std::vector<std::string> kRegions = {
    "us-east-1",    "us-east-2",    "us-west-2",     "eu-west-1",      "eu-west-3",
    "eu-central-1", "eu-central-2", "eu-north-1",    "ap-northeast-1", "ap-southeast-2",
    "ap-south-1",   "ca-central-1", "sa-east-1",     "us-gov-west-1",  "cn-north-1",
    "il-central-1", "me-central-1", "ap-southeast-4"};

const std::vector<std::string> kFoundationModels = {"anthropic.claude-3-haiku-20240307-v1:0",
                                                    "anthropic.claude-3-5-sonnet-20240620-v1:0",
                                                    "anthropic.claude-3-7-sonnet-20250219-v1:0",
                                                    "amazon.nova-lite-v1:0",
                                                    "amazon.nova-pro-v1:0",
                                                    "amazon.titan-text-express-v1:0:8k",
                                                    "meta.llama3-1-70b-instruct-v1:0",
                                                    "mistral.mistral-large-2407-v1:0",
                                                    "cohere.command-r-plus-v1:0",
                                                    "ai21.jamba-1-5-mini-v1:0",
                                                    "deepseek.r1-v1:0"};

// Pieces for "odd" strings: spaces, reserved characters, '%', non-ASCII.
const std::vector<std::string> kOddPieces = {
    "a", "Z", "0", "-", ".", "_", "~", " ", "/", ":", "+", "=", "&",    "?", "#",      "%", "%3A",
    "!", "*", "'", "(", ")", ",", ";", "@", "$", "[", "]", "é", "日本", "€", "\u00A0", "😀"};

std::string partition_of(const std::string& region) {
  if (region.starts_with("cn-")) return "aws-cn";
  if (region.starts_with("us-gov-")) return "aws-us-gov";
  return "aws";
}

std::string dns_suffix_of(const std::string& region) {
  return region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

std::string account(Rng& rng) { return rng.text(kDigits, 12); }

std::string uuid(Rng& rng) {
  constexpr std::string_view hex = "0123456789abcdef";
  return rng.text(hex, 8) + '-' + rng.text(hex, 4) + "-4" + rng.text(hex, 3) + '-' +
         rng.text("89ab", 1) + rng.text(hex, 3) + '-' + rng.text(hex, 12);
}

// A model identifier as a user would pass it: ids with ':', ARNs with ':' and '/'.
std::string model_identifier(Rng& rng, const std::string& region) {
  const std::string arn_prefix = "arn:" + partition_of(region) + ":bedrock:" + region + ':';
  switch (rng.below(8)) {
    case 0:
    case 1: return rng.pick(kFoundationModels);
    case 2: {
      static const std::vector<std::string> geos = {"us", "eu", "apac", "global", "us-gov"};
      return arn_prefix + account(rng) + ":inference-profile/" + rng.pick(geos) + '.' +
             rng.pick(kFoundationModels);
    }
    case 3:
      return arn_prefix + account(rng) + ":prompt/" + rng.text(kUpperAlnum, 10) + ':' +
             std::to_string(rng.between(1, 40));
    case 4:
      return arn_prefix + account(rng) + ":application-inference-profile/" +
             rng.text(kLowerAlnum, 12);
    case 5: return arn_prefix + ":foundation-model/" + rng.pick(kFoundationModels);  // '::'
    case 6: return arn_prefix + account(rng) + ":provisioned-model/" + rng.text(kLowerAlnum, 12);
    default: return rng.pick(kFoundationModels) + rng.utf8_text(kOddPieces, 1 + rng.below(6));
  }
}

std::string host_for(Rng& rng, const std::string& service_host, const std::string& region) {
  switch (rng.below(6)) {
    case 0: return "127.0.0.1:" + std::to_string(rng.between(1024, 65535));
    case 1: return "localhost:" + std::to_string(rng.between(1024, 65535));
    case 2: return service_host + "-fips." + region + '.' + dns_suffix_of(region);
    case 3: return service_host + '.' + region + ".api.aws";
    default: return service_host + '.' + region + '.' + dns_suffix_of(region);
  }
}

// Sometimes rewrite the path so that segment normalisation matters ("//", "./", "x/../", "/").
std::string perturb_path(Rng& rng, std::string path) {
  if (!rng.chance(15)) return path;
  switch (rng.below(4)) {
    case 0: path.insert(1, "/"); break;
    case 1: path.insert(1, "./"); break;
    case 2: path.insert(1, "junk/../"); break;
    default: path.push_back('/'); break;
  }
  return path;
}

std::string random_body(Rng& rng) {
  switch (rng.below(6)) {
    case 0: return "";
    case 1: {  // binary: NUL, 0xFF, anything
      std::string bytes(rng.below(2048), '\0');
      for (char& c : bytes) c = static_cast<char>(rng.below(256));
      return bytes;
    }
    case 2: {  // large
      return std::string(65536 + rng.below(65536), static_cast<char>('a' + rng.below(26)));
    }
    default: {  // a Converse body with non-ASCII text
      static const std::vector<std::string> words = {
          "Hello", "naïve", "日本語", "emoji 😀", "tab\\t", "quote \\\"x\\\"", "Grüße", "ok"};
      std::string text;
      for (std::size_t i = 0, n = 1 + rng.below(8); i < n; ++i) text += rng.pick(words) + ' ';
      return R"({"messages":[{"role":"user","content":[{"text":")" + text +
             R"("}]}],"inferenceConfig":{"maxTokens":)" + std::to_string(rng.between(1, 4096)) +
             "}}";
    }
  }
}

// "  a \t b  " style values: exercises trimming and collapsing of spaces and tabs.
std::string spaced_value(Rng& rng) {
  static const std::vector<std::string> pieces = {"a", "b1", "x=y", ";",    "q\"v\"", "(c)",
                                                  " ", "  ", "\t",  " \t ", "/",      ","};
  return rng.utf8_text(pieces, 1 + rng.below(8));
}

std::string random_case(Rng& rng, std::string name) {
  if (!rng.chance(30)) return name;
  bool upper = true;
  for (char& c : name) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    upper = (c == '-');
  }
  return name;
}

struct Case {
  std::string kind;
  llmm::auth::SigningInput input;
  std::string body;
  llmm::auth::AwsCredentials credentials;
  std::string region;
  std::int64_t time_ms = 0;
};

void add_query_for_list(Rng& rng, Case& c) {
  if (c.input.path.find("inference-profiles") != std::string::npos) {
    if (rng.chance(60))
      c.input.query.emplace_back("maxResults", std::to_string(rng.between(1, 1000)));
    if (rng.chance(60)) {
      static const std::vector<std::string> token_pieces = {"a",  "B", "9", " ", "/", "+", "=",
                                                            "==", "%", "-", "_", "~", "é"};
      c.input.query.emplace_back("nextToken", rng.utf8_text(token_pieces, 4 + rng.below(60)));
    }
    if (rng.chance(50))
      c.input.query.emplace_back("type", rng.chance(50) ? "SYSTEM_DEFINED" : "APPLICATION");
  } else {
    static const std::vector<std::string> providers = {"Anthropic",  "Amazon", "Meta",
                                                       "Mistral AI", "cohere", "AI21 Labs"};
    static const std::vector<std::string> customization = {"FINE_TUNING", "CONTINUED_PRE_TRAINING",
                                                           "DISTILLATION"};
    static const std::vector<std::string> modality = {"TEXT", "IMAGE", "EMBEDDING"};
    static const std::vector<std::string> inference = {"ON_DEMAND", "PROVISIONED"};
    if (rng.chance(50)) c.input.query.emplace_back("byProvider", rng.pick(providers));
    if (rng.chance(30)) c.input.query.emplace_back("byCustomizationType", rng.pick(customization));
    if (rng.chance(30)) c.input.query.emplace_back("byOutputModality", rng.pick(modality));
    if (rng.chance(30)) c.input.query.emplace_back("byInferenceType", rng.pick(inference));
  }
  if (rng.chance(40)) {
    // Keys that sort differently as "key" and as "key=value" strings, repeats, empty values.
    static const std::vector<std::string> keys = {"a",  "a-b", "a.b", "a_b", "A", "a b",
                                                  "k+", "k=",  "x/y", "é",   ""};
    for (std::size_t i = 0, n = 1 + rng.below(5); i < n; ++i) {
      c.input.query.emplace_back(rng.pick(keys),
                                 rng.chance(20) ? "" : rng.utf8_text(kOddPieces, 1 + rng.below(5)));
    }
  }
  // The order on the wire is the caller's; the signer must sort.
  for (std::size_t i = c.input.query.size(); i > 1; --i)
    std::swap(c.input.query[i - 1], c.input.query[rng.below(i)]);
}

Case make_case(Rng& rng, int index) {
  Case c;
  c.region = rng.pick(kRegions);
  c.credentials.access_key_id =
      (rng.chance(50) ? "AKIA" : "ASIA") + rng.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
  c.credentials.secret_access_key = rng.text(kBase64Chars, 40);
  if (rng.chance(35))
    c.credentials.session_token = rng.text(kBase64Chars, 100 + rng.below(800)) + "==";

  // Dates across a century, with milliseconds (the signer must truncate, not round).
  constexpr std::int64_t k1990 = 631152000;   // 1990-01-01T00:00:00Z
  constexpr std::int64_t k2100 = 4102444800;  // 2100-01-01T00:00:00Z
  c.time_ms = rng.between(k1990, k2100 - 1) * 1000 + rng.between(0, 999);
  if (index % 40 == 7) c.time_ms = 1709251199999;   // 2024-02-29T23:59:59.999Z
  if (index % 40 == 19) c.time_ms = 1735689599500;  // 2024-12-31T23:59:59.500Z

  const bool runtime = index % 3 != 2;  // two thirds Converse/ConverseStream
  std::string service_host = runtime ? "bedrock-runtime" : "bedrock";
  if (runtime) {
    const bool stream = rng.chance(40);
    c.kind = stream ? "converse-stream" : "converse";
    c.input.method = "POST";
    c.input.path = "/model/" + encode_path_segment(model_identifier(rng, c.region)) +
                   (stream ? "/converse-stream" : "/converse");
    c.body = random_body(rng);
  } else {
    c.input.method = "GET";
    switch (rng.below(6)) {
      case 0:
      case 1:
        c.kind = "list-foundation-models";
        c.input.path = "/foundation-models";
        break;
      case 2:
      case 3:
        c.kind = "list-inference-profiles";
        c.input.path = "/inference-profiles";
        break;
      case 4:
        c.kind = "get-foundation-model";
        c.input.path = "/foundation-models/" + encode_path_segment(rng.pick(kFoundationModels));
        break;
      default:
        c.kind = "get-inference-profile";
        c.input.path =
            "/inference-profiles/" + encode_path_segment(model_identifier(rng, c.region));
        break;
    }
    if (c.kind.starts_with("list-")) add_query_for_list(rng, c);
  }
  c.input.path = perturb_path(rng, c.input.path);

  Pairs& headers = c.input.headers;
  headers.emplace_back(random_case(rng, "host"), host_for(rng, service_host, c.region));
  if (c.input.method == "POST") {
    headers.emplace_back(random_case(rng, "content-type"), "application/json");
    headers.emplace_back(random_case(rng, "content-length"), std::to_string(c.body.size()));
  }
  if (rng.chance(50)) headers.emplace_back("x-amz-user-agent", "llmm/0.1.0");
  if (rng.chance(50)) headers.emplace_back("amz-sdk-invocation-id", uuid(rng));
  if (rng.chance(40)) {
    headers.emplace_back("amz-sdk-request",
                         "attempt=" + std::to_string(rng.between(1, 3)) + "; max=3");
  }
  if (rng.chance(30)) headers.emplace_back(random_case(rng, "accept"), "application/json");
  if (rng.chance(40)) headers.emplace_back(random_case(rng, "x-llmm-note"), spaced_value(rng));
  // Headers that must never be signed, whatever the caller passes.
  if (rng.chance(50))
    headers.emplace_back(random_case(rng, "user-agent"), "llmm/0.1.0 lang/c++  os/linux");
  if (rng.chance(20))
    headers.emplace_back("X-Amzn-Trace-Id", "Root=1-" + rng.text(kLowerAlnum, 24));
  if (rng.chance(20)) headers.emplace_back(random_case(rng, "connection"), "keep-alive");
  if (rng.chance(10)) headers.emplace_back("expect", "100-continue");
  if (rng.chance(10))
    headers.emplace_back("Proxy-Authorization", "Basic " + rng.text(kBase64Chars, 20));
  if (rng.chance(10)) headers.emplace_back("sec-fetch-mode", "cors");
  if (rng.chance(10)) headers.emplace_back("cache-control", "no-cache");
  if (rng.chance(10)) headers.emplace_back("authorization", "AWS4-HMAC-SHA256 stale");
  // Signer-generated headers already present with the right value (a re-sign, an emulator check).
  if (rng.chance(10)) {
    c.input.body = c.body;
    const auto signed_once = llmm::auth::sign_request(
        c.input, c.credentials, llmm::auth::SigningScope{c.region},
        std::chrono::system_clock::time_point{std::chrono::milliseconds{c.time_ms}});
    for (const auto& [name, value] : signed_once.headers_to_add) {
      if (name != "authorization" && rng.chance(60))
        headers.emplace_back(random_case(rng, name), value);
    }
  }
  for (std::size_t i = headers.size(); i > 1; --i) std::swap(headers[i - 1], headers[rng.below(i)]);
  c.input.body = c.body;
  return c;
}

nlohmann::json pairs_json(const Pairs& pairs) {
  auto out = nlohmann::json::array();
  for (const auto& [name, value] : pairs) out.push_back({name, value});
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args =
      conformance::parse_generator_args(argc, argv, "sigv4_cases", {kDefaultSeed, kDefaultCount});
  if (!args) return 2;
  const std::uint64_t seed = args->seed;
  const std::uint64_t count = args->count;

  Rng rng(seed);
  std::cout << nlohmann::json{{"meta",
                               {{"generator", "sigv4_cases"}, {"seed", seed}, {"count", count}}}}
                   .dump()
            << '\n';
  for (std::uint64_t i = 0; i < count; ++i) {
    const Case c = make_case(rng, static_cast<int>(i));
    const auto when = std::chrono::system_clock::time_point{std::chrono::milliseconds{c.time_ms}};
    const auto signed_request =
        llmm::auth::sign_request(c.input, c.credentials, llmm::auth::SigningScope{c.region}, when);
    nlohmann::json line = {{"id", i},
                           {"kind", c.kind},
                           {"method", c.input.method},
                           {"path", c.input.path},
                           {"query", pairs_json(c.input.query)},
                           {"headers", pairs_json(c.input.headers)},
                           {"body_base64", llmm::protocol::base64_encode(c.body)},
                           {"credentials",
                            {{"access_key_id", c.credentials.access_key_id},
                             {"secret_access_key", c.credentials.secret_access_key},
                             {"session_token", c.credentials.session_token}}},
                           {"region", c.region},
                           {"service", "bedrock"},
                           {"signing_time_ms", c.time_ms},
                           {"expected",
                            {{"canonical_request", signed_request.canonical_request},
                             {"string_to_sign", signed_request.string_to_sign},
                             {"signature", signed_request.signature},
                             {"headers_to_add", pairs_json(signed_request.headers_to_add)}}}};
    std::cout << line.dump() << '\n';
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}
