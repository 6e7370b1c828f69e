#pragma once
// The one sync-over-async bridge: starts an asynchronous operation with a completion callback
// and blocks the calling thread until that callback has run, returning what it was given. The
// caller must not be the thread the callback runs on (each synchronous API refuses first).

#include <future>
#include <utility>

namespace llmm::core {

// `start` is called with a callback taking a T; the callback is called exactly once.
template <typename T, typename Start>
T await_result(Start&& start) {
  std::promise<T> promise;
  auto future = promise.get_future();
  std::forward<Start>(start)([&promise](T value) { promise.set_value(std::move(value)); });
  return future.get();
}

}  // namespace llmm::core
