#pragma once
// The limits a built message is checked against, in one place, with the values Bedrock documents
// for Message, ImageBlock, DocumentBlock and VideoSource (and the Python library's block cap).
// Some are model-dependent (newer Claude and Nova models take larger PDFs, for instance): raise
// the field to lift a limit; every error that cites a limit names its field.

#include <cstddef>

namespace llmm {

// A value type: not synchronized.
struct MessageLimits {
  // ImageBlock: at most 3.75 MB each (8000 x 8000 px is not checked), at most 20 per message.
  std::size_t max_image_bytes = 3'750'000;
  std::size_t max_images_per_message = 20;
  // DocumentBlock: at most 4.5 MB each, at most 5 per message.
  std::size_t max_document_bytes = 4'500'000;
  std::size_t max_documents_per_message = 5;
  // Bedrock wants a text block beside documents in a message.
  bool require_text_with_documents = true;
  // VideoSource bytes: under 25 MB once base64-encoded (the encoded size must be strictly less).
  // Larger video goes through S3, where Bedrock's limit is 1 GB (kMaxS3VideoBytes; the builder
  // cannot see an S3 object's size, so that one is documentation only).
  std::size_t max_inline_video_base64_bytes = 25'000'000;
  // Blocks per message, as the Python library enforces (Bedrock itself documents no cap).
  std::size_t max_blocks_per_message = 100;
  // DocumentBlock.name: 1-200 characters.
  std::size_t max_document_name_chars = 200;

  static constexpr unsigned long long kMaxS3VideoBytes = 1'000'000'000ULL;
};

}  // namespace llmm
