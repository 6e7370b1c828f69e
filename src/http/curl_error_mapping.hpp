#pragma once
// Private to the curl transport: the one place where a finished transfer's CURLcode (plus what
// the transport itself observed) becomes an llmm::Error. Includes <curl/curl.h>, so only the
// curl_*.cpp files in src/http include this header.

#include <llmm/error.hpp>

#include <curl/curl.h>

#include <chrono>
#include <string_view>

namespace llmm::http {

// Why the transport made curl stop a transfer, when it did.
enum class AbortReason {
  None,
  Caller,                // on_body_chunk returned false
  CallbackThrew,         // on_body_chunk or an internal step threw; the exception was swallowed
  ReusedConnectionDied,  // curl wanted to resend on a fresh connection; we forbid retries
  ResponseTooLarge,      // the body passed TransportOptions::max_response_bytes
};

struct CurlFailure {
  CURLcode code = CURLE_OK;
  AbortReason abort = AbortReason::None;
  // True once CURLOPT_PREREQFUNCTION ran: the connection was up and the request was about to go.
  bool connected = false;
  std::chrono::milliseconds connect_timeout{0};
  std::size_t max_response_bytes = 0;
  // "POST https://host:443/path": safe to show (no query, headers or body).
  std::string_view target;
  // curl's CURLOPT_ERRORBUFFER text; may be empty. curl never puts request headers or bodies in it.
  std::string_view detail;
};

// Precondition: failure.code != CURLE_OK or failure.abort != AbortReason::None.
Error map_curl_failure(const CurlFailure& failure);

}  // namespace llmm::http
