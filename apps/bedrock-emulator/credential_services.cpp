#include "credential_services.hpp"
#include "query_string.hpp"

#include "auth/timestamp.hpp"
#include "core/ascii.hpp"
#include "core/uuid.hpp"
#include "protocol/uri_encoding.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <variant>
#include <vector>

namespace bedrock_emulator {
namespace {

using Clock = std::chrono::system_clock;
using Query = QueryParameters;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kStsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

std::optional<std::string> header(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (llmm::core::iequals_ascii(key, name)) return std::string(llmm::core::trim_blanks(value));
  }
  return std::nullopt;
}

// application/x-www-form-urlencoded and query strings: '&'-separated, '+' is a space.
Query parse_form(std::string_view raw) {
  Query out;
  while (!raw.empty()) {
    const std::size_t amp = raw.find('&');
    std::string pair(raw.substr(0, amp));
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    std::replace(pair.begin(), pair.end(), '+', ' ');
    const std::size_t eq = pair.find('=');
    const std::string key = pair.substr(0, eq);
    const std::string value = eq == std::string::npos ? std::string() : pair.substr(eq + 1);
    out.emplace_back(llmm::protocol::uri_decode(key).value_or(key),
                     llmm::protocol::uri_decode(value).value_or(value));
  }
  return out;
}

std::optional<std::string> param(const Query& query, std::string_view name) {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// Printable ASCII only, bounded, for text quoted back in messages.
std::string printable(std::string_view text) {
  std::string out(text.substr(0, 200));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  return out;
}

long long epoch_millis(Clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
}

ResponsePlan plan_of(int status, std::string content_type, std::string body, std::string outcome) {
  ResponsePlan plan;
  plan.status = status;
  plan.headers = {{"Content-Type", std::move(content_type)}};
  plan.body = std::move(body);
  plan.outcome = std::move(outcome);
  return plan;
}

// A configured fault for `service`, as a plan; nullopt when the service answers normally.
std::optional<ResponsePlan> fault_for(const CredentialServiceSettings& settings,
                                      std::string_view service) {
  const auto it = settings.faults.find(service);
  if (it == settings.faults.end()) return std::nullopt;
  if (it->second == "stall") {
    ResponsePlan plan;
    plan.stall = true;
    plan.outcome = "stall";
    return plan;
  }
  const int status = it->second == "404" ? 404 : 500;
  return plan_of(status, "text/plain", status == 404 ? "Not Found" : "Internal Server Error",
                 std::to_string(status) + " (fault)");
}

// ---- STS ---------------------------------------------------------------------------------

ResponsePlan sts_error(int status, std::string_view code, std::string_view message,
                       std::string_view type = "Sender") {
  const std::string body = "<ErrorResponse xmlns=\"" + std::string(kStsNamespace) +
                           "\">\n  <Error>\n    <Type>" + std::string(type) +
                           "</Type>\n    <Code>" + std::string(code) + "</Code>\n    <Message>" +
                           xml_escape(message) + "</Message>\n  </Error>\n  <RequestId>" +
                           llmm::core::random_uuid_v4() + "</RequestId>\n</ErrorResponse>\n";
  return plan_of(status, "text/xml", body, std::to_string(status) + " " + std::string(code));
}

// The STS names of the verifier's failures (the query protocol's error codes).
ResponsePlan sts_auth_error(const AuthOutcome& auth) {
  std::string code = auth.exception;
  if (code == "UnrecognizedClientException")
    code = "InvalidClientTokenId";
  else if (code == "InvalidSignatureException")
    code = "SignatureDoesNotMatch";
  else if (code == "ExpiredTokenException")
    code = "ExpiredToken";
  else if (code == "MissingAuthenticationTokenException")
    code = "MissingAuthenticationToken";
  else if (code == "IncompleteSignatureException")
    code = "IncompleteSignature";
  return sts_error(auth.status, code, auth.message);
}

std::string credentials_xml(const IssuedCredential& key) {
  return "    <Credentials>\n      <AccessKeyId>" + key.access_key_id +
         "</AccessKeyId>\n      <SecretAccessKey>" + key.secret_access_key +
         "</SecretAccessKey>\n      <SessionToken>" + key.session_token +
         "</SessionToken>\n      <Expiration>" + llmm::auth::format_iso8601(key.expiration) +
         "</Expiration>\n    </Credentials>\n";
}

std::string metadata_xml() {
  return "  <ResponseMetadata>\n    <RequestId>" + llmm::core::random_uuid_v4() +
         "</RequestId>\n  </ResponseMetadata>\n";
}

// arn:aws:iam::<12 digits>:role/<name, path allowed>; returns the role's name.
std::optional<std::string> role_name_of(std::string_view arn) {
  constexpr std::string_view prefix = "arn:aws:iam::";
  if (!arn.starts_with(prefix)) return std::nullopt;
  const std::string_view rest = arn.substr(prefix.size());
  if (rest.size() < 18 || rest.substr(12, 6) != ":role/") return std::nullopt;
  if (!std::all_of(rest.begin(), rest.begin() + 12, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const std::string_view name_path = rest.substr(18);
  const std::size_t slash = name_path.rfind('/');
  const std::string_view name =
      slash == std::string_view::npos ? name_path : name_path.substr(slash + 1);
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

bool valid_session_chars(std::string_view name) {
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("+=,.@-_").find(c) != std::string_view::npos;
  });
}

std::string validation_null(std::string_view member) {
  return "1 validation error detected: Value null at '" + std::string(member) +
         "' failed to satisfy constraint: Member must not be null";
}

// The checks AssumeRole and AssumeRoleWithWebIdentity share; on success the issued key.
std::variant<ResponsePlan, IssuedCredential> assume(const CredentialStore& store, const Query& form,
                                                    std::string_view caller_arn,
                                                    std::string_view action,
                                                    Clock::time_point now) {
  const auto role_arn = param(form, "RoleArn");
  const auto session = param(form, "RoleSessionName");
  if (!role_arn) return sts_error(400, "ValidationError", validation_null("roleArn"));
  if (!session) return sts_error(400, "ValidationError", validation_null("roleSessionName"));
  const auto role = role_name_of(*role_arn);
  if (!role) {
    return sts_error(400, "ValidationError",
                     "Value '" + printable(*role_arn) +
                         "' at 'roleArn' failed to satisfy constraint: Member must be a role ARN");
  }
  if (session->size() < 2 || session->size() > 64) {
    return sts_error(
        400, "ValidationError",
        "1 validation error detected: Value '" + printable(*session) +
            "' at 'roleSessionName' failed to satisfy constraint: Member must have length " +
            (session->size() < 2 ? "greater than or equal to 2" : "less than or equal to 64"));
  }
  if (!valid_session_chars(*session)) {
    return sts_error(
        400, "ValidationError",
        "1 validation error detected: Value '" + printable(*session) +
            "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: [\\w+=,.@-]*");
  }
  if (role->starts_with("Denied")) {
    return sts_error(403, "AccessDenied",
                     "User: " + std::string(caller_arn) + " is not authorized to perform: sts:" +
                         std::string(action) + " on resource: " + printable(*role_arn));
  }
  const std::string account = role_arn->substr(13, 12);
  return store.issued->issue("arn:aws:sts::" + account + ":assumed-role/" + *role + "/" + *session,
                             "AROAEMULATOR" + *role + ":" + *session, "sts:" + std::string(action),
                             now);
}

std::string arn_of_caller(const CredentialStore& store, const std::string& access_key_id) {
  if (const auto issued = store.issued->find(access_key_id)) return issued->arn;
  return "arn:aws:iam::" + std::string(kAccount) + ":user/emulator";
}

ResponsePlan sts(const CredentialStore& store, std::string_view method, std::string_view path,
                 std::string_view raw_query, const HeaderList& headers, const std::string& body,
                 Clock::time_point now, std::string& operation) {
  const Query form = parse_form(body);
  const std::string action = param(form, "Action").value_or("");
  operation = "sts:" + (action.empty() ? std::string("?") : printable(action));
  if (action.empty()) return sts_error(400, "MissingAction", "Missing Action");
  if (param(form, "Version").value_or("") != "2011-06-15") {
    return sts_error(400, "InvalidAction",
                     "Could not find operation " + printable(action) + " for version " +
                         printable(param(form, "Version").value_or("NO_VERSION_SPECIFIED")));
  }

  if (action == "AssumeRoleWithWebIdentity") {
    const std::string token = param(form, "WebIdentityToken").value_or("");
    if (token.empty())
      return sts_error(400, "ValidationError", validation_null("webIdentityToken"));
    const auto first = token.find('.');
    const auto second = first == std::string::npos ? std::string::npos : token.find('.', first + 1);
    const bool jwt_shape = first != std::string::npos && first > 0 && second != std::string::npos &&
                           second > first + 1 && second + 1 < token.size() &&
                           token.find('.', second + 1) == std::string::npos;
    if (!jwt_shape) {
      return sts_error(400, "InvalidIdentityToken",
                       "The ID Token provided is not a valid JWT. (You may see this error if you "
                       "sent an Access Token)");
    }
    auto result = assume(store, form,
                         "arn:aws:sts::" + std::string(kAccount) + ":federated-user/web-identity",
                         action, now);
    if (auto* error = std::get_if<ResponsePlan>(&result)) return std::move(*error);
    const auto& key = std::get<IssuedCredential>(result);
    const std::string body_xml =
        "<AssumeRoleWithWebIdentityResponse xmlns=\"" + std::string(kStsNamespace) +
        "\">\n  <AssumeRoleWithWebIdentityResult>\n    "
        "<SubjectFromWebIdentityToken>emulator-subject"
        "</SubjectFromWebIdentityToken>\n    <Audience>sts.amazonaws.com</Audience>\n    "
        "<AssumedRoleUser>\n      <Arn>" +
        xml_escape(key.arn) + "</Arn>\n      <AssumedRoleId>" + xml_escape(key.user_id) +
        "</AssumedRoleId>\n    </AssumedRoleUser>\n" + credentials_xml(key) +
        "    <Provider>emulator</Provider>\n  </AssumeRoleWithWebIdentityResult>\n" +
        metadata_xml() + "</AssumeRoleWithWebIdentityResponse>\n";
    return plan_of(200, "text/xml", body_xml, "200");
  }

  // Everything else is signed for "sts".
  const Query query = parse_query(raw_query);
  const AuthOutcome auth =
      verify_request(store, ReceivedRequest{method, path, &query, &headers, body}, now, "sts");
  if (!auth.ok) return sts_auth_error(auth);
  if (auth.bearer)
    return sts_error(403, "InvalidClientTokenId",
                     "The security token included in the request is invalid.");
  const std::string caller = arn_of_caller(store, auth.access_key_id);

  if (action == "AssumeRole") {
    auto result = assume(store, form, caller, action, now);
    if (auto* error = std::get_if<ResponsePlan>(&result)) return std::move(*error);
    const auto& key = std::get<IssuedCredential>(result);
    const std::string body_xml =
        "<AssumeRoleResponse xmlns=\"" + std::string(kStsNamespace) +
        "\">\n  <AssumeRoleResult>\n    <AssumedRoleUser>\n      <AssumedRoleId>" +
        xml_escape(key.user_id) + "</AssumedRoleId>\n      <Arn>" + xml_escape(key.arn) +
        "</Arn>\n    </AssumedRoleUser>\n" + credentials_xml(key) + "  </AssumeRoleResult>\n" +
        metadata_xml() + "</AssumeRoleResponse>\n";
    return plan_of(200, "text/xml", body_xml, "200");
  }
  if (action == "GetCallerIdentity") {
    std::string user_id = "AIDAEMULATOREXAMPLE";
    std::string account(kAccount);
    if (const auto issued = store.issued->find(auth.access_key_id)) {
      user_id = issued->user_id;
      if (issued->arn.starts_with("arn:aws:sts::")) account = issued->arn.substr(13, 12);
    }
    const std::string body_xml =
        "<GetCallerIdentityResponse xmlns=\"" + std::string(kStsNamespace) +
        "\">\n  <GetCallerIdentityResult>\n    <Arn>" + xml_escape(caller) +
        "</Arn>\n    <UserId>" + xml_escape(user_id) + "</UserId>\n    <Account>" + account +
        "</Account>\n  </GetCallerIdentityResult>\n" + metadata_xml() +
        "</GetCallerIdentityResponse>\n";
    return plan_of(200, "text/xml", body_xml, "200");
  }
  return sts_error(400, "InvalidAction",
                   "Could not find operation " + printable(action) + " for version 2011-06-15");
}

// ---- SSO, IMDS, container -----------------------------------------------------------------

ResponsePlan json_error(int status, std::string_view type, std::string message) {
  ResponsePlan plan =
      plan_of(status, "application/json", nlohmann::json{{"message", std::move(message)}}.dump(),
              std::to_string(status) + " " + std::string(type));
  plan.headers.emplace_back("x-amzn-ErrorType", std::string(type));
  return plan;
}

ResponsePlan sso(const CredentialStore& store, const CredentialServiceSettings& settings,
                 std::string_view raw_query, const HeaderList& headers, Clock::time_point now) {
  const Query query = parse_form(raw_query);
  const auto token = header(headers, "x-amz-sso_bearer_token");
  if (!token || token->empty())
    return json_error(401, "UnauthorizedException", "Session token not found or invalid");
  if (!settings.sso_access_tokens.empty() &&
      std::find(settings.sso_access_tokens.begin(), settings.sso_access_tokens.end(), *token) ==
          settings.sso_access_tokens.end()) {
    return json_error(401, "UnauthorizedException", "Session token not found or invalid");
  }
  const auto role = param(query, "role_name");
  const auto account = param(query, "account_id");
  if (!role || role->empty() || !account || account->empty()) {
    return json_error(400, "InvalidRequestException", "role_name and account_id are required");
  }
  const IssuedCredential key = store.issued->issue(
      "arn:aws:sts::" + *account + ":assumed-role/AWSReservedSSO_" + *role + "/emulator-sso-user",
      "AROAEMULATORSSO:emulator-sso-user", "sso", now);
  const nlohmann::json answer = {{"roleCredentials",
                                  {{"accessKeyId", key.access_key_id},
                                   {"secretAccessKey", key.secret_access_key},
                                   {"sessionToken", key.session_token},
                                   {"expiration", epoch_millis(key.expiration)}}}};
  return plan_of(200, "application/json", answer.dump(), "200");
}

// The JSON document IMDS and the container endpoint share.
nlohmann::json credential_document(const IssuedCredential& key) {
  return {{"AccessKeyId", key.access_key_id},
          {"SecretAccessKey", key.secret_access_key},
          {"Token", key.session_token},
          {"Expiration", llmm::auth::format_iso8601(key.expiration)}};
}

ResponsePlan imds(const CredentialStore& store, const CredentialServiceSettings& settings,
                  std::string_view method, std::string_view path, const HeaderList& headers,
                  Clock::time_point now, std::string& operation) {
  if (path == "/latest/api/token") {
    operation = "imds:token";
    if (method != "PUT") return plan_of(405, "text/plain", "Method Not Allowed", "405");
    const auto ttl_text = header(headers, "x-aws-ec2-metadata-token-ttl-seconds");
    int ttl = 0;
    if (ttl_text && !ttl_text->empty() && ttl_text->size() <= 6 &&
        std::all_of(ttl_text->begin(), ttl_text->end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      ttl = std::stoi(*ttl_text);
    }
    if (ttl < 1 || ttl > 21600) return plan_of(400, "text/plain", "Bad Request", "400");
    ResponsePlan plan = plan_of(
        200, "text/plain", store.issued->issue_imds_token(std::chrono::seconds(ttl), now), "200");
    plan.headers.emplace_back("x-aws-ec2-metadata-token-ttl-seconds", std::to_string(ttl));
    return plan;
  }
  operation = "imds:metadata";
  if (method != "GET") return plan_of(405, "text/plain", "Method Not Allowed", "405");
  const auto token = header(headers, "x-aws-ec2-metadata-token");
  if (!token || !store.issued->imds_token_valid(*token, now))
    return plan_of(401, "text/plain", "Unauthorized", "401");
  constexpr std::string_view creds_prefix = "/latest/meta-data/iam/security-credentials/";
  if (path == "/latest/meta-data/placement/region")
    return plan_of(200, "text/plain", settings.imds_region, "200");
  // An instance without an instance profile (imdsRoleName ""): EC2 has no iam/ subtree, so the
  // role listing is a 404 like any unknown path, not an empty 200.
  const bool has_role = !settings.imds_role_name.empty();
  if (has_role &&
      (path == creds_prefix || path == creds_prefix.substr(0, creds_prefix.size() - 1))) {
    return plan_of(200, "text/plain", settings.imds_role_name, "200");
  }
  if (has_role && path.starts_with(creds_prefix) &&
      path.substr(creds_prefix.size()) == settings.imds_role_name) {
    const IssuedCredential key =
        store.issued->issue("arn:aws:sts::" + std::string(kAccount) + ":assumed-role/" +
                                settings.imds_role_name + "/i-0emulator",
                            "AROAEMULATORIMDS:i-0emulator", "imds", now);
    nlohmann::json document = credential_document(key);
    document["Code"] = "Success";
    document["LastUpdated"] = llmm::auth::format_iso8601(now);
    document["Type"] = "AWS-HMAC";
    return plan_of(200, "text/plain", document.dump(2), "200");
  }
  return plan_of(
      404, "text/html",
      "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<title>404 - Not Found</title>\n", "404");
}

ResponsePlan container(const CredentialStore& store, const CredentialServiceSettings& settings,
                       std::string_view method, const HeaderList& headers, Clock::time_point now) {
  if (method != "GET") return plan_of(405, "text/plain", "Method Not Allowed", "405");
  if (!settings.container_authorization.empty()) {
    const auto authorization = header(headers, "authorization");
    if (!authorization || *authorization != settings.container_authorization) {
      return json_error(401, "AccessDeniedException", "Missing or invalid Authorization header");
    }
  }
  const IssuedCredential key = store.issued->issue(
      "arn:aws:sts::" + std::string(kAccount) + ":assumed-role/emulator-task-role/task",
      "AROAEMULATORTASK:task", "container", now);
  nlohmann::json document = credential_document(key);
  document["RoleArn"] = "arn:aws:iam::" + std::string(kAccount) + ":role/emulator-task-role";
  return plan_of(200, "application/json", document.dump(), "200");
}

nlohmann::json settings_json(const CredentialServiceSettings& settings, std::size_t issued) {
  return {{"lifetimeSeconds", settings.lifetime.count()},
          {"containerAuthorizationToken", settings.container_authorization},
          {"imdsRoleName", settings.imds_role_name},
          {"imdsRegion", settings.imds_region},
          {"ssoAccessTokens", settings.sso_access_tokens},
          {"faults", settings.faults},
          {"issuedCount", issued}};
}

// Applies the members present in `text` to `settings`; an error message when unusable.
std::optional<std::string> apply_settings(std::string_view text,
                                          CredentialServiceSettings& settings) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return "credentials settings: not a JSON object";
  for (const auto& [name, value] : doc.items()) {
    if (name == "lifetimeSeconds") {
      if (!value.is_number_integer() || value.get<long long>() < 1 ||
          value.get<long long>() > 43200) {
        return "lifetimeSeconds must be an integer from 1 to 43200";
      }
      settings.lifetime = std::chrono::seconds(value.get<long long>());
    } else if (name == "containerAuthorizationToken" || name == "imdsRoleName" ||
               name == "imdsRegion") {
      if (!value.is_string()) return name + " must be a string";
      (name == "containerAuthorizationToken" ? settings.container_authorization
       : name == "imdsRoleName"              ? settings.imds_role_name
                                             : settings.imds_region) = value.get<std::string>();
    } else if (name == "ssoAccessTokens") {
      if (!value.is_array()) return "ssoAccessTokens must be an array of strings";
      settings.sso_access_tokens.clear();
      for (const auto& token : value) {
        if (!token.is_string()) return "ssoAccessTokens must be an array of strings";
        settings.sso_access_tokens.push_back(token.get<std::string>());
      }
    } else if (name == "faults") {
      if (!value.is_object()) return "faults must be an object";
      settings.faults.clear();
      for (const auto& [service, fault] : value.items()) {
        if (service != "sts" && service != "sso" && service != "imds" && service != "imdsToken" &&
            service != "container") {
          return "faults: unknown service '" + printable(service) +
                 "' (sts, sso, imds, imdsToken, container)";
        }
        if (!fault.is_string() || (fault != "404" && fault != "500" && fault != "stall")) {
          return "faults." + service + " must be \"404\", \"500\" or \"stall\"";
        }
        settings.faults[service] = fault.get<std::string>();
      }
    } else {
      return "credentials settings: unknown member '" + printable(name) + "'";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ResponsePlan> CredentialServices::handle(
    std::string_view method, std::string_view path, std::string_view raw_query,
    const HeaderList& headers, const std::string& body, Clock::time_point now,
    std::string& operation) const {
  const CredentialServiceSettings settings = store_.issued->settings();
  std::string_view service;
  if (method == "POST" && path == "/")
    service = "sts";
  else if (path == "/federation/credentials")
    service = "sso";
  else if (path.starts_with("/latest/"))
    service = "imds";
  else if (path.starts_with("/v2/credentials/") || path == "/v1/credentials")
    service = "container";
  else
    return std::nullopt;

  operation = std::string(service);
  if (auto fault = fault_for(settings, service)) return fault;
  // "imdsToken": the token PUT alone fails while the metadata GETs still require a token, as on an
  // IMDSv2-only instance whose PUT answer never reaches a container (hop limit 1).
  if (service == "imds" && path == "/latest/api/token") {
    if (auto fault = fault_for(settings, "imdsToken")) {
      operation = "imds:token";
      return fault;
    }
  }
  if (service == "sts") return sts(store_, method, path, raw_query, headers, body, now, operation);
  if (service == "sso") {
    operation = "sso:GetRoleCredentials";
    if (method != "GET") return json_error(405, "MethodNotAllowed", "GET only");
    return sso(store_, settings, raw_query, headers, now);
  }
  if (service == "imds") return imds(store_, settings, method, path, headers, now, operation);
  operation = "container:credentials";
  return container(store_, settings, method, headers, now);
}

std::optional<ResponsePlan> CredentialServices::admin(std::string_view method,
                                                      std::string_view path,
                                                      const std::string& body) const {
  if (path == "/_emulator/credentials/expire" && method == "POST") {
    store_.issued->expire_all(Clock::now());
    return plan_of(200, "application/json",
                   settings_json(store_.issued->settings(), store_.issued->count()).dump(), "200");
  }
  if (path != "/_emulator/credentials") return std::nullopt;
  if (method == "GET") {
    return plan_of(200, "application/json",
                   settings_json(store_.issued->settings(), store_.issued->count()).dump(), "200");
  }
  if (method == "PUT") {
    CredentialServiceSettings settings = store_.issued->settings();
    if (auto problem = apply_settings(body, settings))
      return error_plan("ValidationException", 400, *problem);
    store_.issued->set_settings(settings);
    return plan_of(200, "application/json", settings_json(settings, store_.issued->count()).dump(),
                   "200");
  }
  return error_plan("ResourceNotFoundException", 404,
                    "No admin endpoint " + printable(method) + " " + printable(path) + ".");
}

}  // namespace bedrock_emulator
