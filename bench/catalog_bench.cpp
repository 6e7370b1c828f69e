// llmm_catalog_bench: the cold-start time of an LLMManager (its constructor loads the model
// catalog) against an emulator someone else started (bench/run_catalog_bench.sh starts one). It
// starts nothing itself and prints one JSON line of results on stdout; problems go to stderr.
//
//   llmm_catalog_bench --endpoint http://127.0.0.1:PORT [--repeat 30] [--model "Claude 3 Haiku"]
//                      [--pool N] [--label TEXT]
//
// Every construction: the model, the 17 regions of the bundled data (the emulator serves every
// region on one port, taking the region from the SigV4 scope), the emulator's key pair, default
// RetryConfig and ClientConfig (--pool N: max_pool_connections = N). Variants:
//   cold_process  the first construction in this process, bundled data, once, before anything
//                 else: includes parsing the bundled catalog (process-wide, parsed once).
//   bundled       CacheMode::None, live_discovery = false: the bundled data, already parsed.
//   file_cache    CacheMode::File in a private temporary directory, filled by one discovering
//                 construction before the timed ones (also reported, as first_discovery); each
//                 timed one must say source() == Cache.
//   discovery     CacheMode::None, live discovery: ListFoundationModels + ListInferenceProfiles in
//                 each of the 17 regions; each must say source() == Discovery with 17 regions.
// The three repeated variants are interleaved (bundled, file_cache, discovery, bundled, ...) so a
// change of load on a shared machine touches all of them alike.
//
// Timed: the constructor alone, i.e. what a user waits for before the first call. The destructor
// (joining the event loop, closing connections) runs after the clock stops and is reported on its
// own (destroy_ms). CPU per construction is getrusage(RUSAGE_SELF) user + sys over the
// constructor, every thread of this process (the event loop's included; the emulator is another
// process).

#include <llmm/client_config.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/model_catalog.hpp>
#include <llmm/retry_config.hpp>

#include <nlohmann/json.hpp>

#include "bench_support.hpp"

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using llmm_bench::cpu_seconds;
using llmm_bench::round2;
using nlohmann::json;

// The regions of data/bedrock_catalog.json (every region some model is offered in).
const std::vector<std::string> kRegions = {
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1",   "eu-central-1",   "eu-north-1", "eu-west-1",
    "eu-west-2",      "eu-west-3",      "sa-east-1",      "us-east-1",  "us-east-2",
    "us-west-1",      "us-west-2"};

struct Options {
  std::string endpoint;
  std::string model = "Claude 3 Haiku";
  int repeat = 30;
  int pool = -1;  // -1: ClientConfig default
  std::string label;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "llmm_catalog_bench: " << problem << "\n"
            << "usage: llmm_catalog_bench --endpoint http://127.0.0.1:PORT [--repeat N] [--model "
               "NAME] [--pool N]\n"
               "         [--label TEXT]\n";
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  llmm_bench::Flags flags(argc, argv, usage);
  std::string flag;
  std::string value;
  while (flags.next(flag, value)) {
    if (flag == "--endpoint")
      o.endpoint = value;
    else if (flag == "--model")
      o.model = value;
    else if (flag == "--label")
      o.label = value;
    else if (flag == "--repeat")
      o.repeat = flags.to_int(flag, value);
    else if (flag == "--pool")
      o.pool = flags.to_int(flag, value);
    else
      usage("unknown flag " + flag);
  }
  if (o.endpoint.empty()) usage("--endpoint is required");
  if (o.repeat < 1) usage("--repeat must be >= 1");
  return o;
}

llmm::ClientConfig client_config_for(const Options& o) {
  llmm::ClientConfig::Options options;
  if (o.pool > 0) options.max_pool_connections = o.pool;
  return llmm::ClientConfig(options);
}

// One construction, timed; the manager is handed back so the caller can check it and then destroy
// it outside the clock.
struct Sample {
  double wall_ms = 0;
  double cpu_ms = 0;
  double destroy_ms = 0;
};

Sample construct(const Options& o, const llmm::CatalogConfig& catalog,
                 const std::function<void(const llmm::LLMManager&)>& check) {
  Sample sample;
  const double cpu_before = cpu_seconds();
  const auto start = Clock::now();
  auto manager = std::make_unique<llmm::LLMManager>(
      std::vector<std::string>{o.model}, kRegions, llmm_bench::emulator_auth(o.endpoint),
      llmm::RetryConfig{}, client_config_for(o), catalog);
  sample.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  sample.cpu_ms = (cpu_seconds() - cpu_before) * 1000;
  check(*manager);
  const auto destroy_start = Clock::now();
  manager.reset();
  sample.destroy_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - destroy_start).count();
  return sample;
}

json stats_ms(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double p50 = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(n);
  return {{"p50", round2(p50)},
          {"mean", round2(mean)},
          {"min", round2(values.front())},
          {"max", round2(values.back())},
          {"samples", n}};
}

struct Variant {
  std::string name;
  llmm::CatalogConfig config;
  llmm::CatalogSource expected;
  std::vector<Sample> samples;
  json facts;  // source, regions, models, profiles, warnings of the last construction
};

json facts_of(const llmm::LLMManager& manager) {
  const auto& catalog = manager.catalog();
  return {{"source", std::string(llmm::to_string(catalog.source()))},
          {"catalog_regions", catalog.regions().size()},
          {"models", catalog.model_count()},
          {"profiles", catalog.profile_count()},
          {"warnings", catalog.warnings()}};
}

// Throws when a construction did not load the catalog the variant is about: a silent fallback to
// the bundled data would otherwise be timed as a cache hit or a discovery.
std::function<void(const llmm::LLMManager&)> expect(const std::string& name,
                                                    llmm::CatalogSource source, json* facts) {
  return [name, source, facts](const llmm::LLMManager& manager) {
    const auto& catalog = manager.catalog();
    if (catalog.source() != source) {
      std::string detail;
      for (const auto& warning : catalog.warnings()) detail += "; " + warning;
      for (const auto& error : catalog.region_errors())
        detail += "; " + error.region + ": " + error.error.describe();
      throw std::runtime_error(name + ": catalog source " +
                               std::string(llmm::to_string(catalog.source())) + ", expected " +
                               std::string(llmm::to_string(source)) + detail);
    }
    if (source != llmm::CatalogSource::Bundled && catalog.regions().size() != kRegions.size()) {
      throw std::runtime_error(name + ": catalog covers " +
                               std::to_string(catalog.regions().size()) + " regions, expected " +
                               std::to_string(kRegions.size()));
    }
    *facts = facts_of(manager);
  };
}

json sample_json(const Sample& s) {
  return {{"wall_ms", round2(s.wall_ms)},
          {"cpu_ms", round2(s.cpu_ms)},
          {"destroy_ms", round2(s.destroy_ms)}};
}

json run(const Options& o, const std::filesystem::path& cache_dir) {
  json result = {{"client", "llmm"},
                 {"bench", "catalog"},
                 {"model", o.model},
                 {"regions", kRegions.size()},
                 {"repeat", o.repeat}};
  if (!o.label.empty()) result["label"] = o.label;
  if (o.pool > 0) result["pool"] = o.pool;

  const llmm::CatalogConfig bundled = llmm_bench::bundled_catalog_only();
  llmm::CatalogConfig file_cache{.cache_mode = llmm::CacheMode::File, .cache_directory = cache_dir};
  const llmm::CatalogConfig discovery{.cache_mode = llmm::CacheMode::None};

  // (d) First, before anything else touches the catalog code.
  json cold_facts;
  const Sample cold =
      construct(o, bundled, expect("cold_process", llmm::CatalogSource::Bundled, &cold_facts));
  result["cold_process"] = sample_json(cold);
  result["cold_process"]["catalog"] = cold_facts;

  // Fill the cache: a discovering construction writes it (the first discovery in the process).
  json fill_facts;
  const Sample fill =
      construct(o, file_cache, expect("cache fill", llmm::CatalogSource::Discovery, &fill_facts));
  result["first_discovery"] = sample_json(fill);
  result["first_discovery"]["catalog"] = fill_facts;

  std::vector<Variant> variants = {
      {"bundled", bundled, llmm::CatalogSource::Bundled, {}, {}},
      {"file_cache", file_cache, llmm::CatalogSource::Cache, {}, {}},
      {"discovery", discovery, llmm::CatalogSource::Discovery, {}, {}}};
  for (int round = 0; round < o.repeat; ++round) {
    for (auto& v : variants)
      v.samples.push_back(construct(o, v.config, expect(v.name, v.expected, &v.facts)));
  }
  for (const auto& v : variants) {
    std::vector<double> wall, cpu, destroy;
    for (const auto& s : v.samples) {
      wall.push_back(s.wall_ms);
      cpu.push_back(s.cpu_ms);
      destroy.push_back(s.destroy_ms);
    }
    result[v.name] = {{"wall_ms", stats_ms(wall)},
                      {"cpu_ms", stats_ms(cpu)},
                      {"destroy_ms", stats_ms(destroy)},
                      {"catalog", v.facts}};
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  // A private cache directory: never the user's ~/.cache/llmm, never another run's.
  std::string pattern =
      (std::filesystem::temp_directory_path() / "llmm-catalog-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "llmm_catalog_bench: cannot create a temporary directory\n";
    return 1;
  }
  const std::filesystem::path cache_dir = pattern;
  int status = 0;
  try {
    std::cout << run(options, cache_dir).dump() << std::endl;
  } catch (const std::exception& error) {
    std::cerr << "llmm_catalog_bench: " << error.what() << "\n";
    std::cout << json{{"client", "llmm"}, {"bench", "catalog"}, {"error", error.what()}}.dump()
              << std::endl;
    status = 1;
  }
  std::error_code ignored;
  std::filesystem::remove_all(cache_dir, ignored);
  return status;
}
