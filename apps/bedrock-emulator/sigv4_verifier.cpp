#include "sigv4_verifier.hpp"

#include "auth/crypto.hpp"
#include "auth/sigv4_canonical.hpp"
#include "auth/timestamp.hpp"
#include "core/ascii.hpp"
#include "protocol/uri_encoding.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace bedrock_emulator {
namespace {

using namespace std::string_view_literals;
using Clock = std::chrono::system_clock;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::optional<std::string> header(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (llmm::core::iequals_ascii(key, name)) return value;
  }
  return std::nullopt;
}

// Request bytes quoted in a message: printable ASCII only, so the JSON reply stays valid UTF-8.
std::string printable(std::string_view text) {
  std::string out(text.substr(0, 200));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  return out;
}

AuthOutcome fail(std::string exception, int status, std::string message) {
  AuthOutcome out;
  out.exception = std::move(exception);
  out.status = status;
  out.message = std::move(message);
  return out;
}

// SigV4 canonical header value: trimmed, inner runs of spaces/tabs collapsed to one space.
bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view digits) {
  int value = 0;
  for (const char c : digits) value = value * 10 + (c - '0');
  return value;
}

std::optional<Clock::time_point> make_time(int year, int month, int day, int hour, int minute,
                                           int second) {
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year},
                           std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second};
}

// YYYYMMDDTHHMMSSZ.
std::optional<Clock::time_point> parse_amz_date(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z' || !all_digits(text.substr(0, 8)) ||
      !all_digits(text.substr(9, 6))) {
    return std::nullopt;
  }
  return make_time(number(text.substr(0, 4)), number(text.substr(4, 2)), number(text.substr(6, 2)),
                   number(text.substr(9, 2)), number(text.substr(11, 2)),
                   number(text.substr(13, 2)));
}

struct AuthorizationFields {
  std::string credential;
  std::string signed_headers;
  std::string signature;
};

AuthorizationFields parse_fields(std::string_view rest) {
  AuthorizationFields fields;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = llmm::core::trim_blanks(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = llmm::core::trim_blanks(part.substr(0, eq));
    const std::string value(llmm::core::trim_blanks(part.substr(eq + 1)));
    if (key == "Credential") fields.credential = value;
    if (key == "SignedHeaders") fields.signed_headers = value;
    if (key == "Signature") fields.signature = value;
  }
  return fields;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

// No early exit, so a timing side channel cannot recover a signature byte by byte.
bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

AuthOutcome verify_bearer(const CredentialStore& store, std::string_view token) {
  token = llmm::core::trim_blanks(token);
  if (std::find(store.bearer_tokens.begin(), store.bearer_tokens.end(), token) ==
      store.bearer_tokens.end()) {
    // The same answer as an unknown access key: the caller's identity is not known here.
    return fail("UnrecognizedClientException", 403,
                "The security token included in the request is invalid.");
  }
  AuthOutcome out;
  out.ok = true;
  out.bearer = true;
  out.region = store.bearer_region;
  return out;
}

}  // namespace

CredentialStore CredentialStore::defaults() {
  CredentialStore store;
  store.keys.push_back({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"});
  store.bearer_tokens.emplace_back("bedrock-emulator-token");
  return store;
}

CredentialStore CredentialStore::from_json(std::string_view json) {
  const auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw std::runtime_error("credentials: not a JSON object");
  CredentialStore store;
  if (doc.contains("keys")) {
    if (!doc["keys"].is_array()) throw std::runtime_error("credentials: \"keys\" must be an array");
    for (const auto& key : doc["keys"]) {
      if (!key.is_object() || !key.contains("accessKeyId") || !key["accessKeyId"].is_string() ||
          !key.contains("secretAccessKey") || !key["secretAccessKey"].is_string() ||
          key["accessKeyId"].get<std::string>().empty()) {
        throw std::runtime_error(
            "credentials: each entry of \"keys\" needs string \"accessKeyId\" and "
            "\"secretAccessKey\"");
      }
      store.keys.push_back(
          {key["accessKeyId"].get<std::string>(), key["secretAccessKey"].get<std::string>()});
    }
  }
  if (doc.contains("bearerTokens")) {
    if (!doc["bearerTokens"].is_array())
      throw std::runtime_error("credentials: \"bearerTokens\" must be an array");
    for (const auto& token : doc["bearerTokens"]) {
      if (!token.is_string() || token.get<std::string>().empty()) {
        throw std::runtime_error("credentials: \"bearerTokens\" must hold non-empty strings");
      }
      store.bearer_tokens.push_back(token.get<std::string>());
    }
  }
  if (doc.contains("bearerRegion")) {
    if (!doc["bearerRegion"].is_string() || doc["bearerRegion"].get<std::string>().empty()) {
      throw std::runtime_error("credentials: \"bearerRegion\" must be a non-empty string");
    }
    store.bearer_region = doc["bearerRegion"].get<std::string>();
  }
  if (store.keys.empty() && store.bearer_tokens.empty()) {
    throw std::runtime_error(
        "credentials: no \"keys\" and no \"bearerTokens\": nothing would be accepted");
  }
  return store;
}

AuthOutcome verify_request(const CredentialStore& store, const ReceivedRequest& request,
                           Clock::time_point now, std::string_view expected_service) {
  static const HeaderList kNoHeaders;
  static const std::vector<std::pair<std::string, std::string>> kNoQuery;
  const HeaderList& headers = request.headers != nullptr ? *request.headers : kNoHeaders;
  const auto& query = request.query != nullptr ? *request.query : kNoQuery;

  const auto authorization = header(headers, "authorization");
  if (!authorization || llmm::core::trim_blanks(*authorization).empty()) {
    return fail("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
  }
  const std::string_view auth = llmm::core::trim_blanks(*authorization);
  if (auth.size() > 7 && llmm::core::iequals_ascii(auth.substr(0, 7), "Bearer "))
    return verify_bearer(store, auth.substr(7));

  const std::size_t space = auth.find(' ');
  const std::string_view algorithm = auth.substr(0, space);
  if (algorithm != kAlgorithm) {
    return fail("IncompleteSignatureException", 400,
                "Unsupported AWS 'algorithm': '" + printable(algorithm) + "'.");
  }
  const AuthorizationFields fields =
      parse_fields(space == std::string_view::npos ? std::string_view() : auth.substr(space + 1));
  std::string missing;
  if (fields.credential.empty())
    missing += "Authorization header requires 'Credential' parameter. ";
  if (fields.signature.empty()) missing += "Authorization header requires 'Signature' parameter. ";
  if (fields.signed_headers.empty())
    missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!missing.empty())
    return fail("IncompleteSignatureException", 400,
                missing + "Authorization=" + printable(algorithm));

  // Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request
  const std::vector<std::string> scope = split(fields.credential, '/');
  if (scope.size() != 5 || scope[4] != "aws4_request") {
    return fail("IncompleteSignatureException", 400,
                "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                    printable(scope.empty() ? std::string() : scope.back()) + "'.");
  }
  const std::string& access_key_id = scope[0];
  const std::string& scope_date = scope[1];
  const std::string& region = scope[2];
  const std::string& service = scope[3];
  const bool region_ok = !region.empty() && std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!region_ok)
    return fail("InvalidSignatureException", 403,
                "Credential should be scoped to a valid region. ");
  if (service != expected_service) {
    return fail("InvalidSignatureException", 403,
                "Credential should be scoped to correct service: '" +
                    std::string(expected_service) + "'. ");
  }

  const auto fixed = std::find_if(store.keys.begin(), store.keys.end(), [&](const AccessKey& k) {
    return k.access_key_id == access_key_id;
  });
  std::optional<AccessKey> found;
  if (fixed != store.keys.end()) found = *fixed;
  if (!found && store.issued) {
    if (const auto issued = store.issued->find(access_key_id)) {
      // Expiry first, as AWS does: an expired key's token is not worth checking.
      if (now >= issued->expiration) {
        return fail("ExpiredTokenException", 403,
                    "The security token included in the request is expired");
      }
      const auto token = header(headers, "x-amz-security-token");
      if (!token || llmm::core::trim_blanks(*token) != issued->session_token) {
        return fail("UnrecognizedClientException", 403,
                    "The security token included in the request is invalid.");
      }
      found = AccessKey{issued->access_key_id, issued->secret_access_key};
    }
  }
  if (!found) {
    return fail("UnrecognizedClientException", 403,
                "The security token included in the request is invalid.");
  }
  const AccessKey* key = &*found;

  // x-amz-date, or the Date header when the client signed that instead (botocore may).
  std::optional<Clock::time_point> signed_at;
  if (const auto amz_date = header(headers, "x-amz-date")) {
    signed_at = parse_amz_date(llmm::core::trim_blanks(*amz_date));
  } else if (const auto date = header(headers, "date")) {
    signed_at = llmm::auth::parse_http_date(llmm::core::trim_blanks(*date));
  } else {
    return fail(
        "IncompleteSignatureException", 400,
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (!signed_at) {
    return fail(
        "IncompleteSignatureException", 400,
        "Date must be in ISO-8601 'basic format'. Got '" +
            printable(
                header(headers, "x-amz-date").value_or(header(headers, "date").value_or(""))) +
            "'.");
  }
  const std::string request_time = llmm::auth::format_amz_date(*signed_at);
  if (*signed_at < now - kMaxClockSkew) {
    return fail("InvalidSignatureException", 403,
                "Signature expired: " + request_time + " is now earlier than " +
                    llmm::auth::format_amz_date(now - kMaxClockSkew) + " (" +
                    llmm::auth::format_amz_date(now) + " - 5 min.)");
  }
  if (*signed_at > now + kMaxClockSkew) {
    return fail("InvalidSignatureException", 403,
                "Signature not yet current: " + request_time + " is still later than " +
                    llmm::auth::format_amz_date(now + kMaxClockSkew) + " (" +
                    llmm::auth::format_amz_date(now) + " + 5 min.)");
  }
  if (scope_date != request_time.substr(0, 8)) {
    return fail("InvalidSignatureException", 403,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                "from HTTP: '" +
                    printable(scope_date) + "' != '" + request_time.substr(0, 8) + "', from '" +
                    request_time + "'.");
  }

  AuthOutcome out;
  out.region = region;
  out.access_key_id = access_key_id;
  out.signed_headers = split(fields.signed_headers, ';');
  if (std::none_of(
          out.signed_headers.begin(), out.signed_headers.end(),
          [](const std::string& name) { return name == "host" || name == ":authority"; })) {
    return fail("InvalidSignatureException", 403,
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const std::string payload_hash = llmm::auth::sha256_hex(request.body);
  if (const auto claimed = header(headers, "x-amz-content-sha256");
      claimed && llmm::core::trim_blanks(*claimed) != payload_hash) {
    // S3's answer to the same mismatch; Bedrock clients never send a wrong hash on purpose.
    return fail("XAmzContentSHA256Mismatch", 400,
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  std::string canonical_headers;
  for (const std::string& name : out.signed_headers) {
    std::string joined;
    bool first = true;
    for (const auto& [key_name, value] : headers) {
      if (!llmm::core::iequals_ascii(key_name, name)) continue;
      if (!first) joined.push_back(',');
      joined += llmm::auth::canonical_header_value(value);
      first = false;
    }
    canonical_headers += name + ":" + joined + "\n";
  }
  const std::string canonical_request =
      std::string(request.method) + "\n" + llmm::auth::canonical_uri(request.path) + "\n" +
      llmm::auth::canonical_query(query) + "\n" + canonical_headers + "\n" + fields.signed_headers +
      "\n" + payload_hash;
  const std::string credential_scope = scope_date + "/" + region + "/" + service + "/aws4_request";
  const std::string string_to_sign = std::string(kAlgorithm) + "\n" + request_time + "\n" +
                                     credential_scope + "\n" +
                                     llmm::auth::sha256_hex(canonical_request);

  auto k_signing =
      llmm::auth::derive_signing_key(key->secret_access_key, scope_date, region, service);
  const std::string expected =
      llmm::auth::hex_lower(llmm::auth::hmac_sha256(k_signing, string_to_sign));
  llmm::auth::secure_wipe(k_signing);

  if (!constant_time_equal(expected, fields.signature)) {
    return fail(
        "InvalidSignatureException", 403,
        "The request signature we calculated does not match the signature you provided. Check your "
        "AWS "
        "Secret Access Key and signing method. Consult the service documentation for details.");
  }
  out.ok = true;
  return out;
}

}  // namespace bedrock_emulator
