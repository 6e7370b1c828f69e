#include "auth/credential_cache.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace llmm::auth {
namespace {

using std::chrono::milliseconds;
using WallTime = std::chrono::system_clock::time_point;

constexpr milliseconds kBotocoreAdvisory = std::chrono::minutes(15);
constexpr milliseconds kBotocoreMandatory = std::chrono::minutes(10);
constexpr milliseconds kMinRetryDelay = std::chrono::seconds(1);
constexpr milliseconds kMaxRetryDelay = std::chrono::seconds(30);

enum class Phase { Fresh, Advisory, Mandatory, Expired };

}  // namespace

bool is_expired_credentials_error(std::string_view aws_error_type) noexcept {
  return aws_error_type == "ExpiredTokenException" || aws_error_type == "ExpiredToken";
}

RefreshWindows RefreshWindows::for_lifetime(milliseconds lifetime) {
  lifetime = std::max(lifetime, milliseconds(0));
  return RefreshWindows{std::min(kBotocoreAdvisory, lifetime / 2),
                        std::min(kBotocoreMandatory, lifetime / 4)};
}

struct CredentialCache::State {
  State(ResolvedCredentials initial, Refresh refresh_with, std::shared_ptr<Clock> clock_in,
        std::shared_ptr<const ClockOffset> offset_in)
      : refresh(std::move(refresh_with)), clock(std::move(clock_in)), offset(std::move(offset_in)) {
    adopt(std::move(initial), now());
    generation = 1;
  }

  [[nodiscard]] WallTime now() const {
    const WallTime local = clock->wall_now();
    return offset ? offset->corrected(local) : local;
  }

  void adopt(ResolvedCredentials fresh, WallTime at) {
    const auto expiration = fresh.expiration;
    credentials = std::make_shared<const ResolvedCredentials>(std::move(fresh));
    windows = expiration ? RefreshWindows::for_lifetime(
                               std::chrono::duration_cast<milliseconds>(*expiration - at))
                         : RefreshWindows{};
    invalid = false;
    retry_after.reset();
  }

  [[nodiscard]] Phase phase(WallTime at) const {
    if (invalid) return Phase::Expired;
    const auto& expiration = credentials->expiration;
    if (!expiration) return Phase::Fresh;
    const auto left = *expiration - at;
    if (left <= milliseconds(0)) return Phase::Expired;
    if (left <= windows.mandatory) return Phase::Mandatory;
    if (left <= windows.advisory) return Phase::Advisory;
    return Phase::Fresh;
  }

  [[nodiscard]] bool backing_off(WallTime at) const { return retry_after && at < *retry_after; }

  // Runs on the worker thread: one refresh per request, until closed.
  void work() {
    std::unique_lock lock(mutex);
    for (;;) {
      wake.wait(lock, [this] { return requested || closing; });
      if (closing) return;
      requested = false;
      running = true;
      const std::string source = credentials->source;
      lock.unlock();
      std::optional<ResolvedCredentials> fresh;
      std::string failure;
      try {
        fresh = refresh();
      } catch (const std::exception& error) {
        failure = error.what();
      } catch (...) {
        failure = "an exception that is not a std::exception";
      }
      lock.lock();
      running = false;
      const WallTime at = now();
      std::optional<Error> verdict;
      if (fresh) {
        adopt(std::move(*fresh), at);
        ++generation;
        ++refreshes;
        last_error.clear();
        requested = false;  // the new credentials answer every request made while this ran
      } else {
        ++failures;
        last_error = failure;
        const auto& expiration = credentials->expiration;
        const milliseconds left = expiration
                                      ? std::chrono::duration_cast<milliseconds>(*expiration - at)
                                      : milliseconds(0);
        retry_after = at + std::clamp(left / 10, kMinRetryDelay, kMaxRetryDelay);
        // Waiters go on with the old credentials while they are still good.
        if (phase(at) == Phase::Expired) {
          verdict = Error{ErrorCode::Unauthenticated,
                          "the credentials from " + source +
                              " have expired and refreshing them failed: " + failure};
        }
      }
      std::vector<Resume> resumed = std::exchange(waiters, {});
      lock.unlock();
      for (Resume& resume : resumed) resume(verdict);
      lock.lock();
    }
  }

  mutable std::mutex mutex;
  std::condition_variable wake;
  const Refresh refresh;
  const std::shared_ptr<Clock> clock;
  const std::shared_ptr<const ClockOffset> offset;
  std::shared_ptr<const ResolvedCredentials> credentials;
  std::uint64_t generation = 0;
  RefreshWindows windows;
  bool invalid = false;    // the service answered ExpiredToken for these
  bool requested = false;  // the worker should refresh
  bool running = false;    // the worker is refreshing
  bool closing = false;
  std::optional<WallTime> retry_after;  // after a failed refresh: none before this (unless expired)
  std::vector<Resume> waiters;
  std::uint64_t refreshes = 0;
  std::uint64_t failures = 0;
  std::string last_error;
};

CredentialCache::CredentialCache(ResolvedCredentials initial, Refresh refresh,
                                 std::shared_ptr<Clock> clock,
                                 std::shared_ptr<const ClockOffset> offset)
    : state_(std::make_shared<State>(std::move(initial), std::move(refresh), std::move(clock),
                                     std::move(offset))) {}

CredentialCache::~CredentialCache() { close(); }

void CredentialCache::request_refresh_locked() {
  State& state = *state_;
  if (state.requested || state.running) return;
  state.requested = true;
  if (!worker_.joinable()) {
    worker_ = std::thread([state = state_] { state->work(); });
  }
  state.wake.notify_one();
}

CredentialCache::Snapshot CredentialCache::current() const {
  std::lock_guard lock(state_->mutex);
  return Snapshot{state_->credentials, state_->generation};
}

bool CredentialCache::wait_if_needed(Resume resume) {
  std::lock_guard lock(state_->mutex);
  State& state = *state_;
  if (!state.refresh || state.closing) return false;
  const WallTime at = state.now();
  switch (state.phase(at)) {
    case Phase::Fresh: return false;
    case Phase::Advisory:
      if (!state.backing_off(at)) request_refresh_locked();
      return false;
    case Phase::Mandatory:
      if (state.backing_off(at)) return false;  // the last refresh failed; the old keys still work
      break;
    case Phase::Expired: break;
  }
  request_refresh_locked();
  state.waiters.push_back(std::move(resume));
  return true;
}

bool CredentialCache::invalidate(std::uint64_t generation) {
  std::lock_guard lock(state_->mutex);
  State& state = *state_;
  if (!state.refresh || state.closing) return false;
  if (generation == state.generation) state.invalid = true;
  return true;
}

bool CredentialCache::refreshable() const { return static_cast<bool>(state_->refresh); }

void CredentialCache::close() {
  std::vector<Resume> cancelled;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closing) return;
    state_->closing = true;
    cancelled = std::exchange(state_->waiters, {});
  }
  state_->wake.notify_all();
  if (worker_.joinable()) {
    // The last owner may drop on the worker itself (a resumed call's last reference); it holds
    // the state, so letting it finish alone is safe.
    if (worker_.get_id() == std::this_thread::get_id()) {
      worker_.detach();
    } else {
      worker_.join();
    }
  }
  for (Resume& resume : cancelled) {
    resume(Error{ErrorCode::Cancelled,
                 "the AuthManager shut down while the call waited for fresh credentials"});
  }
}

CredentialsInfo CredentialCache::info() const {
  std::lock_guard lock(state_->mutex);
  const State& state = *state_;
  const ResolvedCredentials& credentials = *state.credentials;
  CredentialsInfo info{credentials.provider, credentials.source, credentials.profile,
                       credentials.expiration};
  info.refreshes = state.refreshes;
  info.failed_refreshes = state.failures;
  info.last_refresh_error = state.last_error;
  return info;
}

}  // namespace llmm::auth
