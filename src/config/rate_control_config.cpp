#include <llmm/rate_control_config.hpp>

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace llmm {
namespace {

[[noreturn]] void out_of_range(const std::string& field, const std::string& rule, double value) {
  std::ostringstream shown;
  shown << value;
  throw std::invalid_argument("RateControlConfig." + field + " must be " + rule + ", got " +
                              shown.str());
}

void require_positive(const std::string& field, double value) {
  if (!(value > 0) || !std::isfinite(value)) out_of_range(field, "> 0", value);
}

void require_name(const std::string& field, const std::string& value) {
  if (value.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw std::invalid_argument("RateControlConfig." + field +
                                " must not be blank (\"*\" matches any)");
  }
}

}  // namespace

std::string_view to_string(RateControlMode mode) noexcept {
  switch (mode) {
    case RateControlMode::Off: return "off";
    case RateControlMode::Adaptive: return "adaptive";
  }
  return "off";
}

void RateControlConfig::validate() const {
  if (!(cubic_beta > 0 && cubic_beta < 1)) out_of_range("cubic_beta", "in (0, 1)", cubic_beta);
  require_positive("cubic_scale", cubic_scale);
  if (!(smoothing > 0 && smoothing <= 1)) out_of_range("smoothing", "in (0, 1]", smoothing);
  require_positive("min_rate", min_rate);
  for (std::size_t i = 0; i < limits.size(); ++i) {
    const FixedRateLimit& limit = limits[i];
    const std::string name = "limits[" + std::to_string(i) + "]";
    require_name(name + ".model", limit.model);
    require_name(name + ".region", limit.region);
    if (!limit.requests_per_minute && !limit.tokens_per_minute) {
      throw std::invalid_argument("RateControlConfig." + name +
                                  " sets neither requests_per_minute nor tokens_per_minute");
    }
    if (limit.requests_per_minute) {
      require_positive(name + ".requests_per_minute", *limit.requests_per_minute);
    }
    if (limit.tokens_per_minute) {
      require_positive(name + ".tokens_per_minute", *limit.tokens_per_minute);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (limits[j].model == limit.model && limits[j].region == limit.region) {
        throw std::invalid_argument("RateControlConfig." + name + " names the same model \"" +
                                    limit.model + "\" and region \"" + limit.region +
                                    "\" as limits[" + std::to_string(j) + "]");
      }
    }
  }
}

}  // namespace llmm
