#include "auth/sts_client.hpp"

#include "auth/sdk_headers.hpp"
#include "auth/sigv4_signer.hpp"
#include "auth/timestamp.hpp"
#include "protocol/uri_encoding.hpp"

#include <llmm/exceptions.hpp>

#include <vector>

namespace llmm::auth {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::string form_body(const Params& params) {
  std::string body;
  for (const auto& [key, value] : params) {
    if (!body.empty()) body += '&';
    body += protocol::uri_encode(key) + "=" + protocol::uri_encode(value);
  }
  return body;
}

std::string printable(std::string_view text, std::size_t limit = 300) {
  std::string out(text.substr(0, limit));
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) c = ' ';
  }
  return out;
}

std::string session_name_or_default(const AssumeRoleInput& input,
                                    std::chrono::system_clock::time_point now) {
  if (!input.session_name.empty()) return input.session_name;
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return "botocore-session-" + std::to_string(seconds);
}

AssumedRole exchange(const StsTarget& target, std::string_view action, const AssumeRoleInput& input,
                     const Params& extra, const AwsCredentials* signer,
                     std::chrono::system_clock::time_point now, FetchBounds bounds) {
  Params params = {{"Action", std::string(action)},
                   {"Version", "2011-06-15"},
                   {"RoleArn", input.role_arn},
                   {"RoleSessionName", session_name_or_default(input, now)}};
  if (!input.external_id.empty()) params.emplace_back("ExternalId", input.external_id);
  if (input.duration_seconds)
    params.emplace_back("DurationSeconds", std::to_string(*input.duration_seconds));
  params.insert(params.end(), extra.begin(), extra.end());

  http::HttpRequest request;
  request.method = "POST";
  request.url = target.endpoint.url_for("/");
  request.headers.emplace_back("host", target.endpoint.host_header());
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded; charset=utf-8");
  request.headers.emplace_back("user-agent", SdkHeaders::kProduct);
  request.body = form_body(params);
  if (signer != nullptr) {
    // The service in the scope is "sts" (authorize() signs for "bedrock").
    const SigningInput signing{
        request.method, target.endpoint.base_path + "/", {}, request.headers, request.body};
    auto signed_request =
        sign_request(signing, *signer, SigningScope{target.signing_region, "sts"}, now);
    for (auto& header : signed_request.headers_to_add) request.headers.push_back(std::move(header));
  }

  const std::string where = std::string(action) + " for role '" + printable(input.role_arn) +
                            "' at STS host '" + target.endpoint.host_header() + "'";
  auto answer = fetch(std::move(request), bounds, target.network);
  if (!answer) throw AuthenticationError(where + " failed: " + answer.error().describe());
  const http::HttpResponse& response = *answer;
  if (response.status != 200) {
    const auto code = xml_element_text(response.body, "Code");
    const auto message = xml_element_text(response.body, "Message");
    std::string cause = "HTTP " + std::to_string(response.status);
    if (code) cause += " " + printable(*code);
    if (message) cause += ": " + printable(*message);
    throw AuthenticationError(where + " was refused: " + cause);
  }
  const auto credentials_start = response.body.find("<Credentials>");
  const std::string_view credentials_xml =
      credentials_start == std::string::npos
          ? std::string_view()
          : std::string_view(response.body).substr(credentials_start);
  AssumedRole out;
  auto id = xml_element_text(credentials_xml, "AccessKeyId");
  auto secret = xml_element_text(credentials_xml, "SecretAccessKey");
  auto token = xml_element_text(credentials_xml, "SessionToken");
  const auto expiration = xml_element_text(credentials_xml, "Expiration");
  if (!id || !secret || !token || !expiration || id->empty() || secret->empty()) {
    throw AuthenticationError(where + ": the answer has no complete <Credentials> element");
  }
  const auto when = parse_iso8601(*expiration);
  if (!when)
    throw AuthenticationError(where + ": the answer's <Expiration> is not an ISO 8601 time");
  out.keys = AwsCredentials{std::move(*id), std::move(*secret), std::move(*token)};
  out.expiration = *when;
  out.assumed_role_arn = xml_element_text(response.body, "Arn").value_or("");
  return out;
}

}  // namespace

StsTarget sts_target(const Environment& environment, const std::optional<std::string>& region) {
  StsTarget target;
  target.network = network_of(environment);
  target.signing_region = region.value_or("us-east-1");
  const bool ignore =
      environment.get_non_empty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").value_or("") == "true";
  if (!ignore) {
    for (const char* variable : {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"}) {
      if (auto url = environment.get_non_empty(variable)) {
        target.endpoint = parse_endpoint_url(*url, variable);
        return target;
      }
    }
  }
  validate_region(target.signing_region);
  target.endpoint = parse_endpoint_url("https://sts." + target.signing_region + ".amazonaws.com",
                                       "the STS endpoint");
  return target;
}

AssumedRole assume_role(const StsTarget& target, const AssumeRoleInput& input,
                        const AwsCredentials& source, std::chrono::system_clock::time_point now,
                        FetchBounds bounds) {
  return exchange(target, "AssumeRole", input, {}, &source, now, bounds);
}

AssumedRole assume_role_with_web_identity(const StsTarget& target, const AssumeRoleInput& input,
                                          const std::string& web_identity_token,
                                          std::chrono::system_clock::time_point now,
                                          FetchBounds bounds) {
  return exchange(target, "AssumeRoleWithWebIdentity", input,
                  {{"WebIdentityToken", web_identity_token}}, nullptr, now, bounds);
}

std::optional<std::string> xml_element_text(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  const auto start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  const auto end = xml.find(close, start + open.size());
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view raw = xml.substr(start + open.size(), end - start - open.size());
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out.push_back(raw[i]);
      continue;
    }
    const auto semi = raw.find(';', i);
    const std::string_view entity =
        semi == std::string_view::npos ? std::string_view() : raw.substr(i, semi - i + 1);
    if (entity == "&amp;")
      out.push_back('&');
    else if (entity == "&lt;")
      out.push_back('<');
    else if (entity == "&gt;")
      out.push_back('>');
    else if (entity == "&quot;")
      out.push_back('"');
    else if (entity == "&apos;")
      out.push_back('\'');
    else {
      out.push_back('&');
      continue;
    }
    i = semi;
  }
  return out;
}

}  // namespace llmm::auth
