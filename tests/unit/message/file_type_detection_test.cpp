// detect_file_type over small real files of every format (tests/support/media_samples.hpp): by
// content alone, with the right extension, with a wrong one, cut short, and inside containers
// Bedrock does not take.
#include <llmm/file_type.hpp>

#include "support/media_samples.hpp"

#include <gtest/gtest.h>

#include <string>

namespace llmm {
namespace {

namespace samples = test::samples;

struct ContentCase {
  FileFormat made;
  FileFormat detected;  // by content alone (no file name)
  double confidence;
};

// The detection table: what the bytes alone say, and how sure.
const ContentCase kContentTable[] = {
    {FileFormat::Png, FileFormat::Png, 0.95},   {FileFormat::Jpeg, FileFormat::Jpeg, 0.95},
    {FileFormat::Gif, FileFormat::Gif, 0.95},   {FileFormat::Webp, FileFormat::Webp, 0.95},
    {FileFormat::Pdf, FileFormat::Pdf, 0.95},   {FileFormat::Docx, FileFormat::Docx, 0.95},
    {FileFormat::Xlsx, FileFormat::Xlsx, 0.95}, {FileFormat::Doc, FileFormat::Doc, 0.9},
    {FileFormat::Xls, FileFormat::Xls, 0.9},    {FileFormat::Html, FileFormat::Html, 0.9},
    {FileFormat::Csv, FileFormat::Txt, 0.4},    {FileFormat::Txt, FileFormat::Txt, 0.4},
    {FileFormat::Md, FileFormat::Txt, 0.4},     {FileFormat::Mkv, FileFormat::Mkv, 0.95},
    {FileFormat::Webm, FileFormat::Webm, 0.95}, {FileFormat::Mov, FileFormat::Mov, 0.95},
    {FileFormat::Mp4, FileFormat::Mp4, 0.95},   {FileFormat::ThreeGp, FileFormat::ThreeGp, 0.95},
    {FileFormat::Flv, FileFormat::Flv, 0.95},   {FileFormat::Mpeg, FileFormat::Mpeg, 0.9},
    {FileFormat::Mpg, FileFormat::Mpeg, 0.9},   {FileFormat::Wmv, FileFormat::Wmv, 0.95},
};

TEST(FileTypeDetectionTest, EveryFormatByContentAlone) {
  for (const ContentCase& c : kContentTable) {
    const std::string bytes = samples::make(c.made);
    ASSERT_FALSE(bytes.empty()) << to_string(c.made);
    const FileTypeDetection found = detect_file_type(bytes);
    EXPECT_EQ(found.format, c.detected) << to_string(c.made) << ": " << found.evidence;
    EXPECT_DOUBLE_EQ(found.confidence, c.confidence) << to_string(c.made);
    EXPECT_EQ(found.method, DetectionMethod::Content) << to_string(c.made);
    EXPECT_TRUE(found.content_confirmed) << to_string(c.made);
    EXPECT_FALSE(found.warning) << to_string(c.made) << ": " << *found.warning;
    EXPECT_FALSE(found.evidence.empty()) << to_string(c.made);
  }
}

TEST(FileTypeDetectionTest, EveryFormatWithItsExtension) {
  for (const FileFormat format : samples::kAllFormats) {
    const FileTypeDetection found =
        detect_file_type(samples::make(format), samples::filename(format));
    EXPECT_EQ(found.format, format) << samples::filename(format) << ": " << found.evidence;
    EXPECT_TRUE(found.content_confirmed) << samples::filename(format);
    EXPECT_FALSE(found.warning) << samples::filename(format) << ": " << *found.warning;
    EXPECT_EQ(found.method, DetectionMethod::Combined) << samples::filename(format);
    if (is_plain_text_format(format)) {
      EXPECT_DOUBLE_EQ(found.confidence, 0.75) << samples::filename(format);
    } else {
      EXPECT_GE(found.confidence, 0.97) << samples::filename(format);
      EXPECT_TRUE(found.high_confidence());
    }
  }
}

TEST(FileTypeDetectionTest, ExtensionsAreCaseInsensitiveWithAliases) {
  EXPECT_EQ(format_from_extension("PHOTO.JPG"), FileFormat::Jpeg);
  EXPECT_EQ(format_from_extension("a/b.c/photo.jpeg"), FileFormat::Jpeg);
  EXPECT_EQ(format_from_extension("page.htm"), FileFormat::Html);
  EXPECT_EQ(format_from_extension("notes.markdown"), FileFormat::Md);
  EXPECT_EQ(format_from_extension("clip.3gp"), FileFormat::ThreeGp);
  EXPECT_EQ(format_from_extension("clip.m4v"), FileFormat::Mp4);
  EXPECT_EQ(format_from_extension("archive.tar.gz"), FileFormat::Unknown);
  EXPECT_EQ(format_from_extension(".png"), FileFormat::Unknown);
  EXPECT_EQ(format_from_extension("noextension"), FileFormat::Unknown);
  EXPECT_EQ(format_from_extension("dir.png/file"), FileFormat::Unknown);
}

TEST(FileTypeDetectionTest, FormatNamesRoundTrip) {
  for (const FileFormat format : samples::kAllFormats) {
    EXPECT_EQ(file_format_from_string(to_string(format)), format);
    EXPECT_TRUE(modality_of(format).has_value());
  }
  EXPECT_EQ(to_string(FileFormat::ThreeGp), "three_gp");
  EXPECT_EQ(to_string(FileFormat::Unknown), "unknown");
  EXPECT_FALSE(file_format_from_string("unknown"));
  EXPECT_FALSE(file_format_from_string("PNG"));
  EXPECT_EQ(modality_of(FileFormat::Webp), Modality::Image);
  EXPECT_EQ(modality_of(FileFormat::Xlsx), Modality::Document);
  EXPECT_EQ(modality_of(FileFormat::Wmv), Modality::Video);
  EXPECT_FALSE(modality_of(FileFormat::Unknown));
}

// Reference scenario 16: PNG bytes named .jpg are png, content winning at 0.95 x 0.9.
TEST(FileTypeDetectionTest, PngNamedJpgIsPngWithAWarning) {
  const FileTypeDetection found = detect_file_type(samples::png(), "photo.jpg");
  EXPECT_EQ(found.format, FileFormat::Png);
  EXPECT_NEAR(found.confidence, 0.855, 1e-9);
  EXPECT_EQ(found.method, DetectionMethod::Combined);
  ASSERT_TRUE(found.warning);
  EXPECT_NE(found.warning->find("photo.jpg"), std::string::npos) << *found.warning;
  EXPECT_NE(found.warning->find("png"), std::string::npos) << *found.warning;
  EXPECT_NE(found.warning->find("jpeg"), std::string::npos) << *found.warning;
}

TEST(FileTypeDetectionTest, ContentWinsOverEveryMismatchedExtension) {
  struct Case {
    FileFormat made;
    const char* name;
  };
  const Case cases[] = {{FileFormat::Docx, "report.pdf"}, {FileFormat::Xlsx, "sheet.docx"},
                        {FileFormat::Doc, "sheet.xls"},   {FileFormat::Xls, "letter.doc"},
                        {FileFormat::Mp4, "clip.mov"},    {FileFormat::Webm, "clip.mkv"},
                        {FileFormat::Gif, "anim.webp"},   {FileFormat::Pdf, "notes.txt"},
                        {FileFormat::Wmv, "clip.mp4"},    {FileFormat::Html, "page.md"},
                        {FileFormat::Jpeg, "photo.png"},  {FileFormat::Flv, "clip.mpeg"}};
  for (const Case& c : cases) {
    const FileTypeDetection found = detect_file_type(samples::make(c.made), c.name);
    EXPECT_EQ(found.format, c.made) << c.name << ": " << found.evidence;
    EXPECT_TRUE(found.warning) << c.name;
    EXPECT_LT(found.confidence, 0.9) << c.name;
  }
}

TEST(FileTypeDetectionTest, TheExtensionBreaksTiesTheContentCannot) {
  const FileTypeDetection mpg = detect_file_type(samples::mpeg(), "clip.mpg");
  EXPECT_EQ(mpg.format, FileFormat::Mpg);
  EXPECT_FALSE(mpg.warning);
  EXPECT_EQ(detect_file_type(samples::mpeg(), "clip.mpeg").format, FileFormat::Mpeg);
  // Text formats: the extension names which.
  EXPECT_EQ(detect_file_type(samples::csv(), "data.csv").format, FileFormat::Csv);
  EXPECT_EQ(detect_file_type(samples::csv(), "data.md").format, FileFormat::Md);
  // Markdown that opens with a tag stays markdown; a real HTML page named .md does not.
  const FileTypeDetection markdown =
      detect_file_type("<div align=\"center\">\n# Title\n</div>\n", "README.md");
  EXPECT_EQ(markdown.format, FileFormat::Md);
  EXPECT_FALSE(markdown.warning);
  EXPECT_EQ(detect_file_type(samples::html(), "page.md").format, FileFormat::Html);
  // HTML without markup at the start, by extension.
  const FileTypeDetection page = detect_file_type("Just words, no tags.", "page.html");
  EXPECT_EQ(page.format, FileFormat::Html);
  EXPECT_DOUBLE_EQ(page.confidence, 0.6);
}

TEST(FileTypeDetectionTest, TextFormatsMustBeUtf8Text) {
  const FileTypeDetection latin1 = detect_file_type("caf\xE9,1\n", "data.csv");
  EXPECT_EQ(latin1.format, FileFormat::Unknown);
  ASSERT_TRUE(latin1.warning);
  EXPECT_NE(latin1.warning->find("UTF-8"), std::string::npos);
  EXPECT_EQ(detect_file_type(std::string("a\0b", 3), "notes.txt").format, FileFormat::Unknown);
  EXPECT_EQ(detect_file_type("\xEF\xBB\xBFwith a BOM\r\n", "notes.txt").format, FileFormat::Txt);
}

TEST(FileTypeDetectionTest, AnExtensionAloneIsUnconfirmedAndWarned) {
  const FileTypeDetection found = detect_file_type("this is not a picture", "photo.png");
  EXPECT_EQ(found.format, FileFormat::Png);
  EXPECT_EQ(found.method, DetectionMethod::Extension);
  EXPECT_FALSE(found.content_confirmed);
  EXPECT_DOUBLE_EQ(found.confidence, 0.5);
  ASSERT_TRUE(found.warning);
  EXPECT_NE(found.warning->find("no png signature"), std::string::npos) << *found.warning;
}

TEST(FileTypeDetectionTest, NothingRecognisedIsUnknown) {
  EXPECT_EQ(detect_file_type("").format, FileFormat::Unknown);
  EXPECT_EQ(detect_file_type("", "photo.png").format, FileFormat::Unknown);
  const FileTypeDetection binary = detect_file_type(std::string("\x01\x02\x03\x00\xFF", 5));
  EXPECT_EQ(binary.format, FileFormat::Unknown);
  EXPECT_EQ(binary.method, DetectionMethod::None);
  EXPECT_DOUBLE_EQ(binary.confidence, 0.0);
  EXPECT_FALSE(binary.known());
}

TEST(FileTypeDetectionTest, ContainersBedrockDoesNotTakeAreUnknownWhateverTheName) {
  const std::string pptx = samples::zip(
      {{"[Content_Types].xml", "<Types/>"}, {"ppt/presentation.xml", "<p:presentation/>"}});
  const FileTypeDetection slides = detect_file_type(pptx, "deck.docx");
  EXPECT_EQ(slides.format, FileFormat::Unknown);
  EXPECT_NE(slides.evidence.find("ppt/"), std::string::npos) << slides.evidence;
  ASSERT_TRUE(slides.warning);

  EXPECT_EQ(
      detect_file_type(samples::zip({{"mimetype", "application/epub+zip"}}), "book.docx").format,
      FileFormat::Unknown);
  EXPECT_EQ(detect_file_type(samples::ole(u"PowerPoint Document", "x"), "deck.doc").format,
            FileFormat::Unknown);
  EXPECT_EQ(detect_file_type(samples::iso_bmff("heic", {"mif1", "heic"}), "photo.mp4").format,
            FileFormat::Unknown);
  EXPECT_EQ(detect_file_type(samples::iso_bmff("M4A ", {"M4A ", "isom"})).format,
            FileFormat::Unknown);
  EXPECT_EQ(detect_file_type(samples::matroska("lagarith"), "clip.mkv").format,
            FileFormat::Unknown);

  // An ASF file whose only stream is audio (WMA).
  std::string wma = samples::wmv();
  const std::string video = samples::bytes_of({0xC0, 0xEF, 0x19, 0xBC, 0x4D, 0x5B, 0xCF, 0x11, 0xA8,
                                               0xFD, 0x00, 0x80, 0x5F, 0x5C, 0xF6, 0x1F});
  const std::string audio = samples::bytes_of({0x40, 0x9E, 0x69, 0xF8, 0x4D, 0x5B, 0xCF, 0x11, 0xA8,
                                               0xFD, 0x00, 0x80, 0x5F, 0x5C, 0x44, 0x2B});
  wma.replace(wma.find(video), video.size(), audio);
  EXPECT_EQ(detect_file_type(wma, "song.wmv").format, FileFormat::Unknown);
}

TEST(FileTypeDetectionTest, CompatibleBrandsAndOldQuickTime) {
  const FileTypeDetection compatible =
      detect_file_type(samples::iso_bmff("abcd", {"abcd", "qt  "}));
  EXPECT_EQ(compatible.format, FileFormat::Mov);
  EXPECT_DOUBLE_EQ(compatible.confidence, 0.85);
  const FileTypeDetection unknown_brand =
      detect_file_type(samples::iso_bmff("zzzz", {"zzzz"}), "a.3gp");
  EXPECT_EQ(unknown_brand.format, FileFormat::ThreeGp);
  std::string old_mov;
  samples::put_u32be(old_mov, 16);
  old_mov += "moov";
  old_mov += std::string(8, '\0');
  EXPECT_EQ(detect_file_type(old_mov).format, FileFormat::Mov);
  EXPECT_EQ(detect_file_type(old_mov, "clip.mp4").format, FileFormat::Mp4);
}

TEST(FileTypeDetectionTest, LateAndVariantHeaders) {
  EXPECT_EQ(detect_file_type("From: someone\r\n\r\n" + samples::pdf()).format, FileFormat::Pdf);
  std::string mpeg1 =
      samples::bytes_of({0x00, 0x00, 0x01, 0xBA, 0x21, 0x00, 0x01, 0x00, 0x01, 0x80, 0x00, 0x01});
  EXPECT_EQ(detect_file_type(mpeg1).evidence, "MPEG-1 program stream pack header");
  const FileTypeDetection sequence = detect_file_type(
      samples::bytes_of({0x00, 0x00, 0x01, 0xB3, 0x01, 0x00, 0x10, 0x13}), "v.mpg");
  EXPECT_EQ(sequence.format, FileFormat::Mpg);
  EXPECT_EQ(detect_file_type("  \n<HTML lang=en><body>x</body></HTML>").format, FileFormat::Html);
  EXPECT_EQ(detect_file_type("<!-- a comment -->").format, FileFormat::Html);
  EXPECT_EQ(detect_file_type("<xml/>").format, FileFormat::Txt);
}

// Cut short: a signature too short to match says nothing (the extension is used, unconfirmed);
// a container cut before its telling part leaves the extension to choose within its family.
TEST(FileTypeDetectionTest, TruncatedHeaders) {
  const std::string png = samples::png();
  EXPECT_EQ(detect_file_type(png.substr(0, 4)).format, FileFormat::Unknown);
  const FileTypeDetection short_png = detect_file_type(png.substr(0, 4), "photo.png");
  EXPECT_EQ(short_png.format, FileFormat::Png);
  EXPECT_FALSE(short_png.content_confirmed);
  EXPECT_TRUE(short_png.warning);
  EXPECT_EQ(detect_file_type(png.substr(0, 8)).format, FileFormat::Png);

  EXPECT_EQ(detect_file_type(samples::gif().substr(0, 5), "a.gif").content_confirmed, false);
  EXPECT_EQ(detect_file_type(samples::webp().substr(0, 10)).format, FileFormat::Unknown);
  EXPECT_EQ(detect_file_type(samples::jpeg().substr(0, 3)).format, FileFormat::Unknown);

  // docx cut after its first entry: Office Open XML, the extension says which.
  const std::string docx = samples::docx();
  const std::string first_entry = docx.substr(0, 30 + 19 + 10);
  const FileTypeDetection ooxml = detect_file_type(first_entry);
  EXPECT_EQ(ooxml.format, FileFormat::Docx);
  EXPECT_DOUBLE_EQ(ooxml.confidence, 0.6);
  EXPECT_EQ(detect_file_type(first_entry, "sheet.xlsx").format, FileFormat::Xlsx);
  EXPECT_EQ(detect_file_type(docx.substr(0, 20), "a.docx").content_confirmed, false);

  // OLE header without its directory.
  const std::string doc = samples::doc();
  const FileTypeDetection ole_header = detect_file_type(doc.substr(0, 512), "book.xls");
  EXPECT_EQ(ole_header.format, FileFormat::Xls);
  EXPECT_FALSE(ole_header.warning);
  EXPECT_EQ(detect_file_type(doc.substr(0, 512)).format, FileFormat::Doc);

  // EBML cut before the DocType: Matroska's default, or webm by extension.
  const std::string webm = samples::webm();
  EXPECT_EQ(detect_file_type(webm.substr(0, 12)).format, FileFormat::Mkv);
  EXPECT_EQ(detect_file_type(webm.substr(0, 12), "clip.webm").format, FileFormat::Webm);
  EXPECT_EQ(detect_file_type(webm.substr(0, 5), "clip.webm").format, FileFormat::Webm);

  // ftyp without its brand.
  EXPECT_EQ(detect_file_type(samples::mov().substr(0, 9), "clip.mov").format, FileFormat::Mov);
  EXPECT_EQ(detect_file_type(samples::mov().substr(0, 9)).format, FileFormat::Mp4);

  // Every prefix of every sample: a format of the same kind, or Unknown; never a crash.
  for (const FileFormat format : samples::kAllFormats) {
    const std::string bytes = samples::make(format);
    for (std::size_t n = 0; n <= bytes.size(); ++n) {
      const FileTypeDetection found =
          detect_file_type(bytes.substr(0, n), samples::filename(format));
      if (found.known()) {
        EXPECT_EQ(modality_of(found.format), modality_of(format))
            << samples::filename(format) << " cut to " << n << ": " << to_string(found.format);
      }
    }
  }
}

TEST(FileTypeDetectionTest, AnExplicitFormatWinsAndIsWarnedAboutWhenTheContentDisagrees) {
  const FileTypeDetection overridden =
      detect_file_type(samples::png(), "photo.png", FileFormat::Jpeg);
  EXPECT_EQ(overridden.format, FileFormat::Jpeg);
  EXPECT_EQ(overridden.method, DetectionMethod::Explicit);
  EXPECT_DOUBLE_EQ(overridden.confidence, 1.0);
  EXPECT_FALSE(overridden.content_confirmed);
  ASSERT_TRUE(overridden.warning);
  EXPECT_NE(overridden.warning->find("png"), std::string::npos);

  const FileTypeDetection agreeing = detect_file_type(samples::mpeg(), "", FileFormat::Mpg);
  EXPECT_EQ(agreeing.format, FileFormat::Mpg);
  EXPECT_TRUE(agreeing.content_confirmed);
  EXPECT_FALSE(agreeing.warning);

  const FileTypeDetection blind = detect_file_type("opaque", "", FileFormat::Mp4);
  EXPECT_EQ(blind.format, FileFormat::Mp4);
  EXPECT_FALSE(blind.warning);
}

}  // namespace
}  // namespace llmm
