#include <llmm/content_block.hpp>

namespace llmm {

std::optional<Modality> media_modality(const ContentBlock& block) noexcept {
  if (std::holds_alternative<ImageBlock>(block)) return Modality::Image;
  if (std::holds_alternative<DocumentBlock>(block)) return Modality::Document;
  if (std::holds_alternative<VideoBlock>(block)) return Modality::Video;
  if (std::holds_alternative<AudioBlock>(block)) return Modality::Audio;
  return std::nullopt;
}

}  // namespace llmm
