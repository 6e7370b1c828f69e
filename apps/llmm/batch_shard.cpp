#include "batch_shard.hpp"

#include <charconv>
#include <stdexcept>

namespace llmm::cli {
namespace {

// A whole decimal number, nothing before or after it.
std::optional<std::size_t> parse_count(std::string_view text) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

std::size_t required_number(const Environment& environment, std::string_view name) {
  const std::optional<std::string> text = environment.get_non_empty(name);
  if (!text) throw std::invalid_argument(std::string(name) + " is not set");
  const std::optional<std::size_t> value = parse_count(*text);
  if (!value) {
    throw std::invalid_argument(std::string(name) + "='" + *text + "' is not a whole number");
  }
  return *value;
}

BatchShard checked(std::size_t index, std::size_t count, std::string source,
                   std::string_view count_name) {
  if (count == 0) throw std::invalid_argument(std::string(count_name) + " must be at least 1");
  if (index >= count) {
    throw std::invalid_argument(source + " gives shard " + std::to_string(index) + " of " +
                                std::to_string(count) + " (" + std::string(count_name) +
                                "): the index must be below the count");
  }
  return BatchShard{index, count, std::move(source)};
}

// --shards, else LLMM_SHARD_COUNT: the count a scheduler does not pass itself.
std::size_t count_from(std::optional<std::size_t> shards, const Environment& environment,
                       std::string_view index_name) {
  if (shards) return *shards;
  if (environment.get_non_empty("LLMM_SHARD_COUNT")) {
    return required_number(environment, "LLMM_SHARD_COUNT");
  }
  throw std::invalid_argument(std::string(index_name) +
                              " is set but not the number of shards: give --shards N or "
                              "LLMM_SHARD_COUNT");
}

}  // namespace

std::uint64_t fnv1a_64(std::string_view bytes) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

bool BatchShard::contains(std::string_view id) const {
  return count <= 1 || fnv1a_64(id) % count == index;
}

std::string BatchShard::label() const {
  return count <= 1 ? std::string() : std::to_string(index) + "/" + std::to_string(count);
}

BatchShard parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::optional<std::size_t> index =
      slash == std::string_view::npos ? std::nullopt : parse_count(text.substr(0, slash));
  const std::optional<std::size_t> count =
      slash == std::string_view::npos ? std::nullopt : parse_count(text.substr(slash + 1));
  if (!index || !count) {
    throw std::invalid_argument("--shard '" + std::string(text) +
                                "' is not K/N (shard K of N, 0-based, e.g. 0/4)");
  }
  return checked(*index, *count, "--shard " + std::string(text), "N");
}

BatchShard resolve_shard(const std::optional<std::string>& shard_flag,
                         std::optional<std::size_t> shards, const Environment& environment) {
  if (shard_flag) {
    BatchShard shard = parse_shard(*shard_flag);
    if (shards && *shards != shard.count) {
      throw std::invalid_argument("--shard " + *shard_flag + " and --shards " +
                                  std::to_string(*shards) + " disagree on the number of shards");
    }
    return shard;
  }
  if (environment.get_non_empty("SLURM_ARRAY_TASK_ID")) {
    const std::size_t id = required_number(environment, "SLURM_ARRAY_TASK_ID");
    const std::size_t min = environment.get_non_empty("SLURM_ARRAY_TASK_MIN")
                                ? required_number(environment, "SLURM_ARRAY_TASK_MIN")
                                : 0;
    if (id < min) {
      throw std::invalid_argument("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN");
    }
    // A task count from --shards wins: an array with gaps (--array=0,2,4) needs it.
    const std::size_t count =
        shards ? *shards : required_number(environment, "SLURM_ARRAY_TASK_COUNT");
    return checked(id - min, count, "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT");
  }
  if (environment.get_non_empty("AWS_BATCH_JOB_ARRAY_INDEX")) {
    const std::size_t index = required_number(environment, "AWS_BATCH_JOB_ARRAY_INDEX");
    const std::size_t count = !shards && environment.get_non_empty("AWS_BATCH_JOB_ARRAY_SIZE")
                                  ? required_number(environment, "AWS_BATCH_JOB_ARRAY_SIZE")
                                  : count_from(shards, environment, "AWS_BATCH_JOB_ARRAY_INDEX");
    return checked(index, count, "AWS_BATCH_JOB_ARRAY_INDEX", "the array size");
  }
  if (environment.get_non_empty("JOB_COMPLETION_INDEX")) {
    const std::size_t index = required_number(environment, "JOB_COMPLETION_INDEX");
    const std::size_t count = count_from(shards, environment, "JOB_COMPLETION_INDEX");
    return checked(index, count, "JOB_COMPLETION_INDEX", "the number of shards");
  }
  if (shards && *shards != 1) {
    throw std::invalid_argument("--shards " + std::to_string(*shards) +
                                " needs this process's index: --shard K/N or a scheduler's "
                                "variable (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, "
                                "AWS_BATCH_JOB_ARRAY_INDEX)");
  }
  return BatchShard{};
}

}  // namespace llmm::cli
