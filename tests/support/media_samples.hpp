#pragma once
// Small but real files of every format the message builder takes, made in memory: valid headers
// and structure (PNG with CRCs and a zlib stream, ZIPs with local headers, central directory and
// CRCs, OLE compound files with a FAT and a directory, EBML headers, ftyp boxes, ASF objects,
// MPEG pack headers), not empty stubs. Shared by the message unit, property, integration and CLI
// tests.
//
//   const std::string bytes = llmm::test::samples::make(llmm::FileFormat::Docx);

#include <llmm/file_type.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm::test::samples {

// ---- byte writers
// ---------------------------------------------------------------------------------

inline void put_u16le(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
inline void put_u32le(std::string& out, std::uint32_t v) {
  put_u16le(out, v & 0xFFFF);
  put_u16le(out, (v >> 16) & 0xFFFF);
}
inline void put_u64le(std::string& out, std::uint64_t v) {
  put_u32le(out, static_cast<std::uint32_t>(v & 0xFFFFFFFFu));
  put_u32le(out, static_cast<std::uint32_t>(v >> 32));
}
inline void put_u32be(std::string& out, std::uint32_t v) {
  out += static_cast<char>((v >> 24) & 0xFF);
  out += static_cast<char>((v >> 16) & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}
inline std::string bytes_of(std::initializer_list<int> values) {
  std::string out;
  for (const int v : values) out += static_cast<char>(v);
  return out;
}

inline std::uint32_t crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char c : data) {
    crc ^= static_cast<std::uint8_t>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

inline std::uint32_t adler32(std::string_view data) {
  std::uint32_t a = 1, b = 0;
  for (const char c : data) {
    a = (a + static_cast<std::uint8_t>(c)) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

// ---- images -------------------------------------------------------------------------------------

inline std::string png_chunk(std::string_view type, std::string_view data) {
  std::string out;
  put_u32be(out, static_cast<std::uint32_t>(data.size()));
  std::string body(type);
  body += data;
  out += body;
  put_u32be(out, crc32(body));
  return out;
}

// A 2x2 RGB PNG: IHDR, one IDAT (zlib, one stored deflate block), IEND.
inline std::string png() {
  std::string out = "\x89PNG\r\n\x1A\n";
  std::string ihdr;
  put_u32be(ihdr, 2);
  put_u32be(ihdr, 2);
  ihdr += bytes_of({8, 2, 0, 0, 0});  // depth 8, colour type RGB
  out += png_chunk("IHDR", ihdr);
  std::string raw;  // each row: filter byte 0, then RGB pixels
  raw += bytes_of({0, 255, 0, 0, 0, 255, 0});
  raw += bytes_of({0, 0, 0, 255, 255, 255, 255});
  std::string zlib = bytes_of({0x78, 0x01, 0x01});
  put_u16le(zlib, static_cast<std::uint32_t>(raw.size()));
  put_u16le(zlib, static_cast<std::uint32_t>(~raw.size() & 0xFFFF));
  zlib += raw;
  put_u32be(zlib, adler32(raw));
  out += png_chunk("IDAT", zlib);
  out += png_chunk("IEND", "");
  return out;
}

inline std::string jpeg_segment(int marker, std::string_view body) {
  std::string out = bytes_of({0xFF, marker});
  out += static_cast<char>(((body.size() + 2) >> 8) & 0xFF);
  out += static_cast<char>((body.size() + 2) & 0xFF);
  out += body;
  return out;
}

// Baseline JPEG structure: SOI, APP0 (JFIF), DQT, SOF0 (8x8, one component), DHT, SOS, scan, EOI.
inline std::string jpeg() {
  std::string out = bytes_of({0xFF, 0xD8});
  out += jpeg_segment(0xE0, std::string("JFIF\0", 5) + bytes_of({1, 1, 0, 0, 1, 0, 1, 0, 0}));
  std::string dqt = bytes_of({0x00});
  dqt += std::string(64, '\x01');
  out += jpeg_segment(0xDB, dqt);
  out += jpeg_segment(0xC0, bytes_of({8, 0, 8, 0, 8, 1, 1, 0x11, 0}));
  std::string dht = bytes_of({0x00, 0, 1});  // DC table 0: one code of length 2
  dht += std::string(14, '\0');
  dht += bytes_of({0});
  out += jpeg_segment(0xC4, dht);
  std::string dht_ac = bytes_of({0x10, 0, 1});  // AC table 0: one code (EOB) of length 2
  dht_ac += std::string(14, '\0');
  dht_ac += bytes_of({0});
  out += jpeg_segment(0xC4, dht_ac);
  out += jpeg_segment(0xDA, bytes_of({1, 1, 0x00, 0, 63, 0}));
  out += bytes_of({0x00, 0x3F});  // DC diff 0, EOB (padded with ones)
  out += bytes_of({0xFF, 0xD9});
  return out;
}

// The classic 1x1 GIF89a: screen descriptor, 2-colour table, image descriptor, LZW data, trailer.
inline std::string gif() {
  return bytes_of({'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0,  0,
                   0,   ',', 0,   0,   0,   0,   1, 0, 1, 0, 0,    2, 2, 'D',  1,    0,    ';'});
}

// RIFF/WEBP with a VP8L chunk (signature 0x2F, 1x1, no alpha) and a tiny bitstream.
inline std::string webp() {
  std::string chunk_data = bytes_of({0x2F, 0x00, 0x00, 0x00, 0x00, 0x88, 0x88, 0x08, 0x08, 0x00});
  std::string vp8l = "VP8L";
  put_u32le(vp8l, static_cast<std::uint32_t>(chunk_data.size()));
  vp8l += chunk_data;
  std::string out = "RIFF";
  put_u32le(out, static_cast<std::uint32_t>(4 + vp8l.size()));
  out += "WEBP";
  out += vp8l;
  return out;
}

// ---- documents ----------------------------------------------------------------------------------

// A one-page PDF 1.4 with a text content stream and a correct xref table.
inline std::string pdf() {
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  const std::string stream = "BT /F1 12 Tf 72 720 Td (Hello from llmm) Tj ET";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    std::string number = std::to_string(offset);
    out += std::string(10 - number.size(), '0') + number + " 00000 n \n";
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

// A ZIP archive of stored entries: local headers, central directory, end record, real CRCs.
inline std::string zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  std::string central;
  for (const auto& [name, data] : entries) {
    const std::uint32_t offset = static_cast<std::uint32_t>(out.size());
    const std::uint32_t crc = crc32(data);
    out += "PK\x03\x04";
    put_u16le(out, 20);    // version needed
    put_u16le(out, 0);     // flags
    put_u16le(out, 0);     // stored
    put_u16le(out, 0);     // time
    put_u16le(out, 0x21);  // date 1980-01-01
    put_u32le(out, crc);
    put_u32le(out, static_cast<std::uint32_t>(data.size()));
    put_u32le(out, static_cast<std::uint32_t>(data.size()));
    put_u16le(out, static_cast<std::uint32_t>(name.size()));
    put_u16le(out, 0);
    out += name;
    out += data;

    central += "PK\x01\x02";
    put_u16le(central, 20);
    put_u16le(central, 20);
    put_u16le(central, 0);
    put_u16le(central, 0);
    put_u16le(central, 0);
    put_u16le(central, 0x21);
    put_u32le(central, crc);
    put_u32le(central, static_cast<std::uint32_t>(data.size()));
    put_u32le(central, static_cast<std::uint32_t>(data.size()));
    put_u16le(central, static_cast<std::uint32_t>(name.size()));
    put_u16le(central, 0);  // extra
    put_u16le(central, 0);  // comment
    put_u16le(central, 0);  // disk
    put_u16le(central, 0);  // internal attributes
    put_u32le(central, 0);  // external attributes
    put_u32le(central, offset);
    central += name;
  }
  const std::uint32_t central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  out += "PK\x05\x06";
  put_u16le(out, 0);
  put_u16le(out, 0);
  put_u16le(out, static_cast<std::uint32_t>(entries.size()));
  put_u16le(out, static_cast<std::uint32_t>(entries.size()));
  put_u32le(out, static_cast<std::uint32_t>(central.size()));
  put_u32le(out, central_offset);
  put_u16le(out, 0);
  return out;
}

inline std::string docx() {
  return zip({
      {"[Content_Types].xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
       R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
       R"(<Default Extension="xml" ContentType="application/xml"/>)"
       R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
       R"(</Types>)"},
      {"_rels/.rels",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
       R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
       R"(</Relationships>)"},
      {"word/document.xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
       R"(<w:body><w:p><w:r><w:t>Hello from llmm</w:t></w:r></w:p></w:body></w:document>)"},
  });
}

inline std::string xlsx() {
  return zip({
      {"[Content_Types].xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
       R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
       R"(<Default Extension="xml" ContentType="application/xml"/>)"
       R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
       R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)"
       R"(</Types>)"},
      {"_rels/.rels",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
       R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
       R"(</Relationships>)"},
      {"xl/workbook.xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
       R"(<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)"},
      {"xl/worksheets/sheet1.xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
       R"(<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>42</t></is></c></row></sheetData></worksheet>)"},
  });
}

inline void put_directory_entry(std::string& out, std::u16string_view name, int type,
                                std::uint32_t child, std::uint32_t start, std::uint32_t size) {
  std::string entry;
  for (const char16_t c : name) put_u16le(entry, c);
  if (!name.empty()) put_u16le(entry, 0);
  entry.resize(64, '\0');
  put_u16le(entry, name.empty() ? 0 : static_cast<std::uint32_t>((name.size() + 1) * 2));
  entry += static_cast<char>(type);
  entry += static_cast<char>(1);  // black
  put_u32le(entry, 0xFFFFFFFFu);  // left sibling
  put_u32le(entry, 0xFFFFFFFFu);  // right sibling
  put_u32le(entry, child);
  entry.resize(116, '\0');  // CLSID, state bits, times
  put_u32le(entry, start);
  put_u64le(entry, size);
  out += entry;
}

// An OLE compound file (version 3, 512-byte sectors): sector 0 the FAT, sector 1 the directory
// (Root Entry and one 4096-byte stream, so no mini stream), sectors 2-9 the stream.
inline std::string ole(std::u16string_view stream_name, std::string stream) {
  stream.resize(4096, '\0');
  std::string out = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  out += std::string(16, '\0');  // CLSID
  put_u16le(out, 0x3E);          // minor version
  put_u16le(out, 3);             // major version
  put_u16le(out, 0xFFFE);        // byte order
  put_u16le(out, 9);             // sector shift
  put_u16le(out, 6);             // mini sector shift
  out += std::string(6, '\0');
  put_u32le(out, 0);            // directory sectors (0 for version 3)
  put_u32le(out, 1);            // FAT sectors
  put_u32le(out, 1);            // first directory sector
  put_u32le(out, 0);            // transaction
  put_u32le(out, 4096);         // mini stream cutoff
  put_u32le(out, 0xFFFFFFFEu);  // first mini FAT sector: none
  put_u32le(out, 0);            // mini FAT sectors
  put_u32le(out, 0xFFFFFFFEu);  // first DIFAT sector: none
  put_u32le(out, 0);            // DIFAT sectors
  put_u32le(out, 0);            // DIFAT[0]: the FAT is sector 0
  for (int i = 1; i < 109; ++i) put_u32le(out, 0xFFFFFFFFu);
  // Sector 0: FAT.
  std::string fat;
  put_u32le(fat, 0xFFFFFFFDu);  // FAT sector
  put_u32le(fat, 0xFFFFFFFEu);  // directory: end of chain
  for (std::uint32_t s = 2; s < 9; ++s) put_u32le(fat, s + 1);
  put_u32le(fat, 0xFFFFFFFEu);
  while (fat.size() < 512) put_u32le(fat, 0xFFFFFFFFu);
  out += fat;
  // Sector 1: directory.
  std::string directory;
  put_directory_entry(directory, u"Root Entry", 5, 1, 0xFFFFFFFEu, 0);
  put_directory_entry(directory, stream_name, 2, 0xFFFFFFFFu, 2, 4096);
  put_directory_entry(directory, u"", 0, 0xFFFFFFFFu, 0, 0);
  put_directory_entry(directory, u"", 0, 0xFFFFFFFFu, 0, 0);
  out += directory;
  out += stream;
  return out;
}

inline std::string doc() {
  // A Word FIB starts with wIdent 0xA5EC and nFib.
  return ole(u"WordDocument", bytes_of({0xEC, 0xA5, 0xC1, 0x00}));
}

inline std::string xls() {
  // A BIFF8 BOF record: type 0x0809, length 16, version 0x0600, workbook globals.
  return ole(u"Workbook", bytes_of({0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00}));
}

inline std::string html() {
  return "<!DOCTYPE html>\n<html><head><title>Report</title></head>"
         "<body><h1>Quarterly report</h1><p>Sales rose.</p></body></html>\n";
}
inline std::string csv() { return "region,sales\nus-east-1,42\neu-west-1,17\n"; }
inline std::string txt() { return "Plain text notes.\nSecond line, caf\xC3\xA9.\n"; }
inline std::string md() { return "# Notes\n\n* one\n* two\n\n**bold** text\n"; }

// ---- video --------------------------------------------------------------------------------------

inline std::string ebml_element(std::initializer_list<int> id, std::string_view data) {
  std::string out = bytes_of(id);
  out += static_cast<char>(0x80u |
                           static_cast<unsigned>(data.size()));  // one-byte size (data < 127 bytes)
  out += data;
  return out;
}

// EBML header (versions, DocType, DocType versions), then a Segment of unknown size holding an
// Info element with a TimecodeScale.
inline std::string matroska(std::string_view doc_type) {
  std::string header;
  header += ebml_element({0x42, 0x86}, bytes_of({1}));
  header += ebml_element({0x42, 0xF7}, bytes_of({1}));
  header += ebml_element({0x42, 0xF2}, bytes_of({4}));
  header += ebml_element({0x42, 0xF3}, bytes_of({8}));
  header += ebml_element({0x42, 0x82}, doc_type);
  header += ebml_element({0x42, 0x87}, bytes_of({4}));
  header += ebml_element({0x42, 0x85}, bytes_of({2}));
  std::string out = ebml_element({0x1A, 0x45, 0xDF, 0xA3}, header);
  out += bytes_of({0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  out += ebml_element({0x15, 0x49, 0xA9, 0x66},
                      ebml_element({0x2A, 0xD7, 0xB1}, bytes_of({0x0F, 0x42, 0x40})));
  return out;
}
inline std::string mkv() { return matroska("matroska"); }
inline std::string webm() { return matroska("webm"); }

// ftyp (major brand, minor version, compatible brands), a free box and an mdat box.
inline std::string iso_bmff(std::string_view major, std::vector<std::string_view> compatible) {
  std::string ftyp;
  put_u32be(ftyp, static_cast<std::uint32_t>(16 + 4 * compatible.size()));
  ftyp += "ftyp";
  ftyp += major;
  put_u32be(ftyp, 0x200);
  for (const auto brand : compatible) ftyp += brand;
  std::string out = ftyp;
  put_u32be(out, 8);
  out += "free";
  put_u32be(out, 16);
  out += "mdat";
  out += std::string(8, '\0');
  return out;
}
inline std::string mp4() { return iso_bmff("isom", {"isom", "iso2", "avc1", "mp41"}); }
inline std::string mov() { return iso_bmff("qt  ", {"qt  "}); }
inline std::string three_gp() { return iso_bmff("3gp4", {"isom", "3gp4"}); }

// FLV header (version 1, audio and video), PreviousTagSize0, one script-data tag.
inline std::string flv() {
  std::string out = bytes_of({'F', 'L', 'V', 1, 0x05, 0, 0, 0, 9});
  put_u32be(out, 0);
  const std::string payload = bytes_of({0x02, 0x00, 0x0A}) + "onMetaData" + bytes_of({0x05});
  out += static_cast<char>(18);  // script data
  out += static_cast<char>((payload.size() >> 16) & 0xFF);
  out += static_cast<char>((payload.size() >> 8) & 0xFF);
  out += static_cast<char>(payload.size() & 0xFF);
  out += bytes_of({0, 0, 0, 0, 0, 0, 0});  // timestamp, extension, stream id
  out += payload;
  put_u32be(out, static_cast<std::uint32_t>(11 + payload.size()));
  return out;
}

// MPEG-2 program stream: pack header, system header, a video PES packet holding a sequence
// header, program end code.
inline std::string mpeg() {
  std::string out = bytes_of(
      {0x00, 0x00, 0x01, 0xBA, 0x44, 0x00, 0x04, 0x00, 0x04, 0x01, 0x01, 0x89, 0xC3, 0xF8});
  out += bytes_of(
      {0x00, 0x00, 0x01, 0xBB, 0x00, 0x09, 0x80, 0xC4, 0xE1, 0x00, 0xE1, 0xFF, 0xE0, 0xE0, 0xE8});
  const std::string sequence =
      bytes_of({0x00, 0x00, 0x01, 0xB3, 0x01, 0x00, 0x10, 0x13, 0xFF, 0xFF, 0xE0, 0x18});
  out += bytes_of(
      {0x00, 0x00, 0x01, 0xE0, 0x00, static_cast<int>(3 + sequence.size()), 0x80, 0x00, 0x00});
  out += sequence;
  out += bytes_of({0x00, 0x00, 0x01, 0xB9});
  return out;
}

inline std::string guid(std::initializer_list<int> on_disk) { return bytes_of(on_disk); }

// ASF: header object holding a file properties object and a video stream properties object,
// then an (empty) data object.
inline std::string wmv() {
  const std::string header_guid = guid({0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9,
                                        0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C});
  const std::string file_properties_guid = guid({0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11,
                                                 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65});
  const std::string stream_properties_guid = guid({0x91, 0x07, 0xDC, 0xB7, 0xB7, 0xA9, 0xCF, 0x11,
                                                   0x8E, 0xE6, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65});
  const std::string video_media_guid = guid({0xC0, 0xEF, 0x19, 0xBC, 0x4D, 0x5B, 0xCF, 0x11, 0xA8,
                                             0xFD, 0x00, 0x80, 0x5F, 0x5C, 0xF6, 0x1F});
  const std::string no_correction_guid = guid({0x00, 0x57, 0xFB, 0x20, 0x55, 0x5B, 0xCF, 0x11, 0xA8,
                                               0xFD, 0x00, 0x80, 0x5F, 0x5C, 0x44, 0x2B});
  const std::string data_guid = guid({0x36, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9,
                                      0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C});

  std::string file_properties = file_properties_guid;
  put_u64le(file_properties, 104);
  file_properties += std::string(16, '\x11');  // file id
  file_properties += std::string(104 - 40, '\0');

  std::string stream_properties = stream_properties_guid;
  const std::string type_specific(11, '\0');
  put_u64le(stream_properties, 78 + type_specific.size());
  stream_properties += video_media_guid;
  stream_properties += no_correction_guid;
  put_u64le(stream_properties, 0);  // time offset
  put_u32le(stream_properties, static_cast<std::uint32_t>(type_specific.size()));
  put_u32le(stream_properties, 0);  // error correction data length
  put_u16le(stream_properties, 1);  // stream number 1
  put_u32le(stream_properties, 0);  // reserved
  stream_properties += type_specific;

  const std::string children = file_properties + stream_properties;
  std::string out = header_guid;
  put_u64le(out, 30 + children.size());
  put_u32le(out, 2);
  out += bytes_of({0x01, 0x02});
  out += children;
  out += data_guid;
  put_u64le(out, 50);
  out += std::string(16, '\x11');
  put_u64le(out, 0);
  out += bytes_of({0x01, 0x01});
  return out;
}

// ---- by format
// ------------------------------------------------------------------------------------

inline std::string make(FileFormat format) {
  switch (format) {
    case FileFormat::Png: return png();
    case FileFormat::Jpeg: return jpeg();
    case FileFormat::Gif: return gif();
    case FileFormat::Webp: return webp();
    case FileFormat::Pdf: return pdf();
    case FileFormat::Csv: return csv();
    case FileFormat::Doc: return doc();
    case FileFormat::Docx: return docx();
    case FileFormat::Xls: return xls();
    case FileFormat::Xlsx: return xlsx();
    case FileFormat::Html: return html();
    case FileFormat::Txt: return txt();
    case FileFormat::Md: return md();
    case FileFormat::Mkv: return mkv();
    case FileFormat::Mov: return mov();
    case FileFormat::Mp4: return mp4();
    case FileFormat::Webm: return webm();
    case FileFormat::Flv: return flv();
    case FileFormat::Mpeg:
    case FileFormat::Mpg: return mpeg();
    case FileFormat::Wmv: return wmv();
    case FileFormat::ThreeGp: return three_gp();
    case FileFormat::Unknown: break;
  }
  return {};
}

// A file name with the format's usual extension.
inline std::string filename(FileFormat format, std::string_view stem = "sample") {
  std::string extension(to_string(format));
  if (format == FileFormat::ThreeGp) extension = "3gp";
  return std::string(stem) + "." + extension;
}

inline constexpr std::array<FileFormat, 22> kAllFormats{
    FileFormat::Png,  FileFormat::Jpeg,   FileFormat::Gif,  FileFormat::Webp, FileFormat::Pdf,
    FileFormat::Csv,  FileFormat::Doc,    FileFormat::Docx, FileFormat::Xls,  FileFormat::Xlsx,
    FileFormat::Html, FileFormat::Txt,    FileFormat::Md,   FileFormat::Mkv,  FileFormat::Mov,
    FileFormat::Mp4,  FileFormat::Webm,   FileFormat::Flv,  FileFormat::Mpeg, FileFormat::Mpg,
    FileFormat::Wmv,  FileFormat::ThreeGp};

}  // namespace llmm::test::samples
