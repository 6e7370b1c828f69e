#include <llmm/random_source.hpp>

#include <mutex>
#include <random>

namespace llmm {
namespace {

class Mt19937RandomSource final : public RandomSource {
 public:
  explicit Mt19937RandomSource(std::uint64_t seed) : engine_(seed) {}
  double uniform() override {
    std::lock_guard lock(mutex_);  // a manager may be shared by several loops' callers
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
  }

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

}  // namespace

std::shared_ptr<RandomSource> RandomSource::standard() {
  std::random_device device;
  return seeded((static_cast<std::uint64_t>(device()) << 32U) ^ device());
}

std::shared_ptr<RandomSource> RandomSource::seeded(std::uint64_t seed) {
  return std::make_shared<Mt19937RandomSource>(seed);
}

}  // namespace llmm
