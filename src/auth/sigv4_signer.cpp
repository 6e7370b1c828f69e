#include "auth/sigv4_signer.hpp"

#include "auth/sigv4_canonical.hpp"
#include "core/ascii.hpp"

#include "auth/crypto.hpp"
#include "protocol/uri_encoding.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmm::auth {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kDateHeader = "x-amz-date";
constexpr std::string_view kContentSha256Header = "x-amz-content-sha256";
constexpr std::string_view kSecurityTokenHeader = "x-amz-security-token";

// Headers that proxies, clients or the transport may add, drop or rewrite after signing, so the
// JS SDK never signs them (wire doc §6.1; sigv4-vectors-converse.json). Signing one would make
// the signature depend on what a proxy does.
constexpr std::array<std::string_view, 15> kNeverSigned = {
    "authorization", "cache-control",     "connection", "expect",     "from",
    "keep-alive",    "max-forwards",      "pragma",     "referer",    "te",
    "trailer",       "transfer-encoding", "upgrade",    "user-agent", "x-amzn-trace-id"};

bool is_never_signed(std::string_view lower_name) {
  return std::find(kNeverSigned.begin(), kNeverSigned.end(), lower_name) != kNeverSigned.end() ||
         lower_name.starts_with("proxy-") || lower_name.starts_with("sec-");
}

// RFC 9110 token characters: what may appear in a method or a header name.
bool is_tchar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_tchar);
}

// Fields that go into the credential scope must not be able to forge its '/' structure or break
// the Authorization header.
bool is_scope_safe(std::string_view text) {
  return !text.empty() && std::none_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '/' || c == ',' || c == '=';
  });
}

void validate_input(const SigningInput& input, const AwsCredentials& credentials,
                    const SigningScope& scope) {
  if (!is_token(input.method)) throw std::invalid_argument("sigv4: invalid HTTP method");
  if (input.path.empty() || input.path.front() != '/') {
    throw std::invalid_argument("sigv4: the path must start with '/'");
  }
  for (const char c : input.path) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '?' || c == '#') {
      throw std::invalid_argument(
          "sigv4: the path must be percent-encoded and carry no query or fragment");
    }
  }
  if (!is_scope_safe(scope.region)) throw std::invalid_argument("sigv4: invalid signing region");
  if (!is_scope_safe(scope.service)) throw std::invalid_argument("sigv4: invalid signing service");
  // Messages below never quote the values: they are credentials.
  if (!is_scope_safe(credentials.access_key_id)) {
    throw std::invalid_argument("sigv4: the access key id is empty or malformed");
  }
  if (credentials.secret_access_key.empty()) {
    throw std::invalid_argument("sigv4: the secret access key is empty");
  }
  if (credentials.session_token.find_first_of("\r\n", 0) != std::string::npos ||
      credentials.session_token.find('\0') != std::string::npos) {
    throw std::invalid_argument("sigv4: the session token contains a line break or NUL");
  }
}

// Lower-case name -> canonical value, several same-name headers joined by ','.
using CanonicalHeaders = std::map<std::string, std::string>;

// The headers the signer itself sets. When the caller already has one (an emulator verifying a
// received request, say) it must carry exactly the value the signer would set, since the
// signature covers the value on the wire; it is then signed once and not added again.
struct GeneratedHeader {
  std::string_view name;
  std::string value;
  bool present_in_input = false;
};

CanonicalHeaders collect_headers(const SigningInput& input,
                                 std::vector<GeneratedHeader>& generated) {
  CanonicalHeaders headers;
  for (const auto& [name, value] : input.headers) {
    // A leading ':' allows HTTP/2 pseudo-headers such as ':authority' (wire doc §1.4).
    const std::string_view bare = name.starts_with(':') ? std::string_view(name).substr(1) : name;
    if (!is_token(bare)) throw std::invalid_argument("sigv4: invalid header name");
    const std::string lower = core::to_lower_ascii(name);
    if (value.find_first_of("\r\n", 0) != std::string::npos ||
        value.find('\0') != std::string::npos) {
      throw std::invalid_argument("sigv4: header '" + lower + "' contains a line break or NUL");
    }
    if (is_never_signed(lower)) continue;
    std::string canonical = canonical_header_value(value);
    if (lower == kSecurityTokenHeader &&
        std::none_of(generated.begin(), generated.end(),
                     [](const GeneratedHeader& own) { return own.name == kSecurityTokenHeader; })) {
      // A token left over from other credentials: AWS would reject the request.
      throw std::invalid_argument(
          "sigv4: header 'x-amz-security-token' is present but the credentials have no session "
          "token");
    }
    for (GeneratedHeader& own : generated) {
      if (own.name != lower) continue;
      if (own.present_in_input) {
        throw std::invalid_argument("sigv4: header '" + lower + "' appears more than once");
      }
      // Values of these headers are compared, never quoted: one of them is the session token.
      if (canonical != own.value) {
        throw std::invalid_argument("sigv4: header '" + lower +
                                    "' in the request differs from the value the signer sets");
      }
      own.present_in_input = true;
    }
    auto [it, inserted] = headers.try_emplace(lower, canonical);
    if (!inserted) {
      it->second.push_back(',');
      it->second += canonical;
    }
  }
  return headers;
}

// Deriving the signing key is four HMACs, as much as the rest of a signature; the key depends
// only on the secret, the day, the region and the service, so each thread keeps the few it
// uses. Entries hold secrets: they are wiped when replaced and when the thread ends.
class SigningKeyCache {
 public:
  SigningKeyCache() = default;
  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;
  ~SigningKeyCache() {
    for (Entry& entry : entries_) wipe(entry);
  }

  Sha256Digest key(std::string_view secret, std::string_view date, std::string_view region,
                   std::string_view service) {
    for (const Entry& entry : entries_) {
      if (entry.date == date && entry.region == region && entry.service == service &&
          entry.secret == secret) {
        return entry.key;
      }
    }
    if (entries_.size() >= kCapacity) {
      wipe(entries_.front());
      entries_.erase(entries_.begin());
    }
    entries_.push_back(Entry{std::string(secret), std::string(date), std::string(region),
                             std::string(service),
                             derive_signing_key(secret, date, region, service)});
    return entries_.back().key;
  }

 private:
  static constexpr std::size_t kCapacity = 8;
  struct Entry {
    std::string secret;
    std::string date;
    std::string region;
    std::string service;
    Sha256Digest key;
  };
  static void wipe(Entry& entry) {
    secure_wipe(entry.secret);
    secure_wipe(entry.key);
  }
  std::vector<Entry> entries_;
};

}  // namespace

SignedRequest sign_request(const SigningInput& input, const AwsCredentials& credentials,
                           const SigningScope& scope, std::chrono::system_clock::time_point when) {
  validate_input(input, credentials, scope);

  const std::string amz_date = format_amz_date(when);
  const std::string_view short_date = std::string_view(amz_date).substr(0, 8);
  const std::string payload_hash = sha256_hex(input.body);

  // The JS SDK's order, so a signed request reads the same as one it sends.
  std::vector<GeneratedHeader> generated;
  generated.push_back({kDateHeader, amz_date});
  if (!credentials.session_token.empty()) {
    generated.push_back({kSecurityTokenHeader, canonical_header_value(credentials.session_token)});
  }
  generated.push_back({kContentSha256Header, payload_hash});

  CanonicalHeaders headers = collect_headers(input, generated);
  SignedRequest signed_request;
  for (const GeneratedHeader& own : generated) {
    if (own.present_in_input) continue;
    headers.emplace(std::string(own.name), own.value);
    const bool is_token_header = own.name == kSecurityTokenHeader;
    signed_request.headers_to_add.emplace_back(
        std::string(own.name), is_token_header ? credentials.session_token : own.value);
  }

  std::string canonical_headers;
  std::string signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name;
    canonical_headers.push_back(':');
    canonical_headers += value;
    canonical_headers.push_back('\n');
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers += name;
  }

  std::string& canonical_request = signed_request.canonical_request;
  canonical_request = input.method;
  canonical_request.push_back('\n');
  canonical_request += canonical_uri(input.path);
  canonical_request.push_back('\n');
  canonical_request += canonical_query(input.query);
  canonical_request.push_back('\n');
  canonical_request += canonical_headers;
  canonical_request.push_back('\n');
  canonical_request += signed_headers;
  canonical_request.push_back('\n');
  canonical_request += payload_hash;

  std::string credential_scope(short_date);
  credential_scope += '/' + scope.region + '/' + scope.service + "/aws4_request";

  std::string& string_to_sign = signed_request.string_to_sign;
  string_to_sign = kAlgorithm;
  string_to_sign += '\n' + amz_date + '\n' + credential_scope + '\n';
  string_to_sign += sha256_hex(canonical_request);

  thread_local SigningKeyCache signing_keys;
  Sha256Digest signing_key =
      signing_keys.key(credentials.secret_access_key, short_date, scope.region, scope.service);
  signed_request.signature = hex_lower(hmac_sha256(signing_key, string_to_sign));
  secure_wipe(signing_key);

  std::string authorization(kAlgorithm);
  authorization += " Credential=" + credentials.access_key_id + '/' + credential_scope;
  authorization += ", SignedHeaders=" + signed_headers;
  authorization += ", Signature=" + signed_request.signature;
  signed_request.headers_to_add.emplace_back("authorization", std::move(authorization));
  return signed_request;
}

}  // namespace llmm::auth
