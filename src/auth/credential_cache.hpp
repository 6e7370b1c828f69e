#pragma once
// The credentials an AuthManager signs with, kept fresh (docs/UserGuide.md "Refresh").
//
// Temporary credentials (with an expiry) are judged against the time left before it, on the
// injected clock corrected by the learned clock offset:
//  * advisory window (botocore's 15 minutes, at most half the lifetime): calls go on with the
//    current credentials while one refresh runs in the background;
//  * mandatory window (botocore's 10 minutes, at most a quarter of the lifetime): calls wait for
//    that refresh; if it fails they go on with the old credentials, which are still valid;
//  * expired, or invalidated because the service answered ExpiredToken: calls wait for a
//    refresh; if it fails they fail with an Unauthenticated error naming the source and cause.
// One refresh at a time, for every waiting call: the refresh function runs on the cache's own
// worker thread (the providers make blocking, bounded HTTP calls and run processes), so the
// event loop and the calls in flight never wait for it. A refresh that fails is not tried again
// for a while (a tenth of the time left, between 1 s and 30 s) unless the credentials have
// expired. Long-term keys and bearer tokens are never refreshed on time, only when invalidated.
//
// Thread-safe: every member may be called from any thread. Resume callbacks run on the worker
// thread (or in close()), never inside the call that registered them.

#include "auth/clock_offset.hpp"
#include "auth/credentials.hpp"

#include <llmm/clock.hpp>
#include <llmm/credentials_info.hpp>
#include <llmm/error.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>

namespace llmm::auth {

struct RefreshWindows {
  std::chrono::milliseconds advisory{0};
  std::chrono::milliseconds mandatory{0};

  // 15 and 10 minutes before expiry, as botocore; for credentials living less than 30 minutes,
  // half and a quarter of their lifetime (5 s credentials refresh 2.5 s before they expire).
  static RefreshWindows for_lifetime(std::chrono::milliseconds lifetime);
};

class CredentialCache {
 public:
  // Finds credentials again (the chain, or a caller's provider); blocking; throws on failure.
  // Empty: these credentials cannot be refreshed (explicit keys, an explicit bearer token).
  using Refresh = std::function<ResolvedCredentials()>;
  // Tells a waiting call it may go on (nullopt) or why it cannot (an Unauthenticated error, or
  // Cancelled when the cache closed).
  using Resume = std::function<void(std::optional<Error>)>;

  struct Snapshot {
    std::shared_ptr<const ResolvedCredentials> credentials;
    std::uint64_t generation = 0;  // 1 for the first credentials, +1 per successful refresh
  };

  CredentialCache(ResolvedCredentials initial, Refresh refresh, std::shared_ptr<Clock> clock,
                  std::shared_ptr<const ClockOffset> offset);
  // close(), then the worker is joined (or let go, when the last owner drops on it).
  ~CredentialCache();
  CredentialCache(const CredentialCache&) = delete;
  CredentialCache& operator=(const CredentialCache&) = delete;

  // The credentials to sign with now. Never waits and judges nothing: wait_if_needed, asked
  // before every attempt, is what starts refreshes.
  [[nodiscard]] Snapshot current() const;

  // Before an attempt: false when it may go ahead at once (in the advisory window, after
  // starting a background refresh); true when it must wait, and `resume` will be called exactly
  // once, from another thread, when it may go on.
  [[nodiscard]] bool wait_if_needed(Resume resume);

  // The service said the credentials of `generation` have expired. When they are still the
  // current ones, they are treated as expired (the next wait_if_needed waits for a refresh).
  // Returns whether a resend can get other credentials (false when not refreshable).
  bool invalidate(std::uint64_t generation);

  [[nodiscard]] bool refreshable() const;

  // Stops refreshing: waiting calls resume with Cancelled; later calls never wait. Must not be
  // called from a resume callback.
  void close();

  // Where the current credentials came from, their expiry and the refresh counts.
  [[nodiscard]] CredentialsInfo info() const;

 private:
  struct State;
  void request_refresh_locked();  // State::mutex held

  std::shared_ptr<State> state_;
  std::thread worker_;  // started on the first refresh; guarded by State::mutex
};

// The error types a service answers with when the credentials' session has ended: Bedrock's
// ExpiredTokenException, STS's ExpiredToken.
[[nodiscard]] bool is_expired_credentials_error(std::string_view aws_error_type) noexcept;

}  // namespace llmm::auth
