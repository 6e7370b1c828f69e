#include "http/curl_error_mapping.hpp"

#include <string>

namespace llmm::http {
namespace {

Error make_error(ErrorCode code, std::string what, const CurlFailure& failure) {
  if (!failure.detail.empty()) {
    what += ": ";
    what += failure.detail;
  }
  if (!failure.target.empty()) {
    what += " (";
    what += failure.target;
    what += ')';
  }
  Error error;
  error.code = code;
  error.message = std::move(what);
  return error;
}

bool is_tls_failure(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED: return true;
    default: return false;
  }
}

bool is_connection_failure(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:         // the HTTP/2 connection broke (GOAWAY, protocol error)
    case CURLE_HTTP2_STREAM:  // RST_STREAM: the HTTP/2 counterpart of a reset
    case CURLE_PROXY: return true;
    default: return false;
  }
}

}  // namespace

Error map_curl_failure(const CurlFailure& failure) {
  // Our own aborts first: curl only reports them as a generic write or callback error.
  switch (failure.abort) {
    case AbortReason::Caller:
      return make_error(ErrorCode::Cancelled, "transfer aborted by the body consumer",
                        CurlFailure{.target = failure.target});
    case AbortReason::CallbackThrew:
      return make_error(ErrorCode::Internal, "a response callback threw; transfer aborted",
                        CurlFailure{.target = failure.target});
    case AbortReason::ReusedConnectionDied:
      // curl would silently resend on a new connection; the retry loop above us decides instead.
      return make_error(ErrorCode::ConnectionFailed,
                        "reused connection closed before a response arrived (not resent)",
                        CurlFailure{.target = failure.target});
    case AbortReason::ResponseTooLarge: {
      Error error = make_error(ErrorCode::Internal,
                               "response body exceeds the limit of " +
                                   std::to_string(failure.max_response_bytes) +
                                   " bytes (max_response_bytes); transfer aborted",
                               CurlFailure{.target = failure.target});
      return error;
    }
    case AbortReason::None: break;
  }

  const CURLcode code = failure.code;
  if (code == CURLE_OPERATION_TIMEDOUT) {
    // We set no overall CURLOPT_TIMEOUT, so before PREREQFUNCTION this can only be the
    // connect (TCP + TLS) timeout; read silence is timed by the transport, not by curl.
    if (!failure.connected) {
      return make_error(
          ErrorCode::Timeout,
          "connect timeout after " + std::to_string(failure.connect_timeout.count()) + " ms",
          CurlFailure{.target = failure.target});
    }
    return make_error(ErrorCode::Timeout, "timed out", failure);
  }
  if (code == CURLE_PEER_FAILED_VERIFICATION) {
    // curl's detail says which check failed: the issuer, the dates or the name.
    Error error = make_error(ErrorCode::TlsFailed, "TLS certificate verification failed", failure);
    error.message += "; a private CA is trusted with ca_bundle or AWS_CA_BUNDLE";
    return error;
  }
  if (code == CURLE_SSL_CACERT_BADFILE) {
    return make_error(ErrorCode::TlsFailed,
                      "the CA bundle cannot be read (ca_bundle / AWS_CA_BUNDLE)", failure);
  }
  if (is_tls_failure(code)) {
    return make_error(ErrorCode::TlsFailed,
                      std::string("TLS handshake failed: ") + curl_easy_strerror(code), failure);
  }
  if (is_connection_failure(code)) {
    return make_error(ErrorCode::ConnectionFailed,
                      std::string("connection failed: ") + curl_easy_strerror(code), failure);
  }
  if (code == CURLE_ABORTED_BY_CALLBACK) {
    return make_error(ErrorCode::Cancelled, "transfer aborted", failure);
  }
  return make_error(ErrorCode::Internal,
                    "curl error " + std::to_string(static_cast<int>(code)) + " (" +
                        curl_easy_strerror(code) + ")",
                    failure);
}

}  // namespace llmm::http
