#include "converse/cache_points.hpp"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

namespace llmm::converse {
namespace {

bool is_cache_point(const ContentBlock& block) {
  return std::holds_alternative<CachePointBlock>(block);
}

CachePointBlock point_for(const CacheConfig& config) {
  CachePointBlock point;
  point.ttl = config.ttl;
  return point;
}

bool cacheable(const ContentBlock& block, long long threshold) {
  if (std::holds_alternative<ImageBlock>(block) || std::holds_alternative<DocumentBlock>(block)) {
    return true;
  }
  return std::holds_alternative<TextBlock>(block) && estimated_tokens(block) >= threshold;
}

// Insertion positions (a point goes before blocks[position]) in one message, by strategy; each
// in 1 .. size-1, so a point never comes first nor after the last block.
std::vector<std::size_t> conservative(const std::vector<ContentBlock>& blocks,
                                      long long threshold) {
  long long whole = 0;
  for (const ContentBlock& block : blocks) whole += estimated_tokens(block);
  long long running = 0;
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
    running += estimated_tokens(blocks[i]);
    if (running < threshold) continue;
    const long long rest = whole - running;
    if (rest < threshold || static_cast<double>(running) > 0.8 * static_cast<double>(whole)) {
      return {i + 1};
    }
  }
  return {};
}

std::vector<std::size_t> aggressive(const std::vector<ContentBlock>& blocks, long long threshold) {
  const long long bar = std::max<long long>(500, threshold / 2);
  std::vector<std::size_t> positions;
  long long running = 0;
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
    running += estimated_tokens(blocks[i]);
    if (cacheable(blocks[i], bar) && running >= bar) {
      positions.push_back(i + 1);
      running = 0;
    }
  }
  return positions;
}

std::vector<std::size_t> custom(const std::vector<ContentBlock>& blocks,
                                const CacheConfig& config) {
  const CacheCustomRules& rules = config.custom_rules;
  if (!rules.cache_text_blocks_over && !rules.cache_all_images) {
    return conservative(blocks, config.cache_point_threshold);
  }
  const long long bar = rules.cache_text_blocks_over.value_or(config.cache_point_threshold);
  std::vector<std::size_t> positions;
  long long running = 0;
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
    running += estimated_tokens(blocks[i]);
    const bool image = std::holds_alternative<ImageBlock>(blocks[i]);
    if ((rules.cache_all_images && image) || running >= bar) {
      positions.push_back(i + 1);
      running = 0;
    }
  }
  return positions;
}

std::vector<std::size_t> positions_in(const std::vector<ContentBlock>& blocks,
                                      const CacheConfig& config) {
  switch (config.strategy) {
    case CacheStrategy::Conservative: return conservative(blocks, config.cache_point_threshold);
    case CacheStrategy::Aggressive: return aggressive(blocks, config.cache_point_threshold);
    case CacheStrategy::Custom: return custom(blocks, config);
  }
  return {};
}

template <typename Block>
bool holds_point(const std::vector<Block>& blocks) {
  return std::any_of(blocks.begin(), blocks.end(), [](const Block& block) {
    return std::holds_alternative<CachePointBlock>(block);
  });
}

}  // namespace

long long estimated_tokens(const ContentBlock& block) {
  if (const auto* text = std::get_if<TextBlock>(&block)) {
    return static_cast<long long>(text->text.size() / 4);
  }
  if (std::holds_alternative<ImageBlock>(block)) return 450;
  if (std::holds_alternative<DocumentBlock>(block)) return 1000;
  if (std::holds_alternative<VideoBlock>(block)) return 2000;
  return 10;
}

std::size_t count_cache_points(const ConverseRequest& request) {
  std::size_t count = 0;
  for (const SystemContentBlock& block : request.system) {
    if (std::holds_alternative<CachePointBlock>(block)) ++count;
  }
  if (request.tool_config) {
    for (const Tool& tool : request.tool_config->tools) {
      if (std::holds_alternative<CachePointBlock>(tool)) ++count;
    }
  }
  for (const Message& message : request.messages) {
    count += static_cast<std::size_t>(
        std::count_if(message.content.begin(), message.content.end(), is_cache_point));
  }
  return count;
}

std::size_t insert_cache_points(ConverseRequest& request, const CacheConfig& config,
                                const CacheableParts& parts) {
  if (!config.enabled || !parts.any()) return 0;
  const std::size_t own = count_cache_points(request);
  if (own >= kMaxCachePoints) return 0;
  std::size_t budget = kMaxCachePoints - own;
  std::size_t added = 0;
  // The cache prefix runs tools, system, messages: the earlier parts first.
  if (budget > 0 && config.cache_tools && parts.tools && request.tool_config &&
      !request.tool_config->tools.empty() && !holds_point(request.tool_config->tools)) {
    request.tool_config->tools.emplace_back(point_for(config));
    --budget;
    ++added;
  }
  if (budget > 0 && config.cache_system && parts.system && !request.system.empty() &&
      !holds_point(request.system)) {
    request.system.emplace_back(point_for(config));
    --budget;
    ++added;
  }
  if (budget == 0 || !config.cache_messages || !parts.messages) return added;

  // Every (message, position) the strategy picks; past the budget the latest are kept, the
  // longest prefixes, the ones the next turn of a conversation reuses.
  std::vector<std::pair<std::size_t, std::size_t>> picks;
  for (std::size_t m = 0; m < request.messages.size(); ++m) {
    const auto& blocks = request.messages[m].content;
    if (blocks.empty() || holds_point(blocks)) continue;
    for (const std::size_t position : positions_in(blocks, config)) picks.emplace_back(m, position);
  }
  if (picks.size() > budget) {
    picks.erase(picks.begin(), picks.end() - static_cast<std::ptrdiff_t>(budget));
  }
  // Back to front, so earlier positions in a message stay valid.
  for (auto it = picks.rbegin(); it != picks.rend(); ++it) {
    auto& blocks = request.messages[it->first].content;
    blocks.insert(blocks.begin() + static_cast<std::ptrdiff_t>(it->second),
                  ContentBlock(point_for(config)));
    ++added;
  }
  return added;
}

std::size_t remove_cache_points(ConverseRequest& request) {
  std::size_t removed = 0;
  removed += std::erase_if(request.system, [](const SystemContentBlock& block) {
    return std::holds_alternative<CachePointBlock>(block);
  });
  if (request.tool_config) {
    removed += std::erase_if(request.tool_config->tools, [](const Tool& tool) {
      return std::holds_alternative<CachePointBlock>(tool);
    });
  }
  for (Message& message : request.messages) {
    removed += std::erase_if(message.content, is_cache_point);
  }
  return removed;
}

}  // namespace llmm::converse
