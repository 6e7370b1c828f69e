#include "tls_identity.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace bedrock_emulator {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("cannot generate the TLS certificate: ") + what);
}

Key new_key() {
  // P-256: fast to generate at every start, and what every TLS client accepts.
  Key key(EVP_EC_gen("P-256"));
  require(key != nullptr, "EC key generation failed");
  return key;
}

bool is_ip_address(const std::string& name) {
  return name.find(':') != std::string::npos ||
         name.find_first_not_of("0123456789.") == std::string::npos;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  require(extension != nullptr, "bad certificate extension");
  const bool added = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  require(added, "cannot add a certificate extension");
}

// A certificate for `subject_key`, signed by `issuer_key` (the issuer certificate is `issuer`, or
// the certificate itself when null).
Cert make_certificate(const std::string& common_name, EVP_PKEY* subject_key, X509* issuer,
                      EVP_PKEY* issuer_key, bool is_ca, const TlsIdentityOptions& options) {
  Cert cert(X509_new());
  require(cert != nullptr, "out of memory");
  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[16];
  require(RAND_bytes(serial, sizeof serial) == 1, "no randomness for the serial number");
  serial[0] &= 0x7f;  // a positive serial
  BIGNUM* serial_number = BN_bin2bn(serial, sizeof serial, nullptr);
  require(serial_number != nullptr &&
              BN_to_ASN1_INTEGER(serial_number, X509_get_serialNumber(cert.get())) != nullptr,
          "cannot set the serial number");
  BN_free(serial_number);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()),
                  static_cast<long>(options.not_before.count()) * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                  static_cast<long>(options.not_after.count()) * 3600);
  require(X509_set_pubkey(cert.get(), subject_key) == 1, "cannot set the public key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("llmm bedrock-emulator"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509* issuer_cert = issuer != nullptr ? issuer : cert.get();
  require(X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert)) == 1,
          "cannot set the issuer");
  add_extension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  if (issuer != nullptr)
    add_extension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");
  if (is_ca) {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), issuer_cert, NID_ext_key_usage, "serverAuth");
    std::string names;
    for (const std::string& entry : options.names) {
      if (!names.empty()) names += ',';
      names += (is_ip_address(entry) ? "IP:" : "DNS:") + entry;
    }
    if (!names.empty()) add_extension(cert.get(), issuer_cert, NID_subject_alt_name, names);
  }
  require(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "signing failed");
  return cert;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string pem_of(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  require(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "cannot write PEM");
  return bio_text(bio.get());
}

std::string pem_of(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  require(
      bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
      "cannot write PEM");
  return bio_text(bio.get());
}

std::string read_text(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read the TLS " + std::string(what) + " file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& path, const std::string& text, bool secret) {
  // Created with the final mode, so a private key is never readable by others, not even briefly.
  std::filesystem::remove(path);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write '" + path.string() + "'");
    if (secret)
      std::filesystem::permissions(
          path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write '" + path.string() + "'");
  }
}

}  // namespace

TlsIdentity generate_tls_identity(const TlsIdentityOptions& options) {
  TlsIdentity identity;
  const Key server_key = new_key();
  if (options.self_signed) {
    const Cert server = make_certificate("bedrock-emulator", server_key.get(), nullptr,
                                         server_key.get(), false, options);
    identity.certificate_pem = pem_of(server.get());
  } else {
    const Key ca_key = new_key();
    // The CA outlives the server certificate's window so only the leaf decides expiry tests.
    TlsIdentityOptions ca_options = options;
    ca_options.not_before = std::min(options.not_before, std::chrono::hours(-1));
    ca_options.not_after = std::max(options.not_after, std::chrono::hours(24 * 365));
    const Cert ca = make_certificate("bedrock-emulator local CA", ca_key.get(), nullptr,
                                     ca_key.get(), true, ca_options);
    const Cert server = make_certificate("bedrock-emulator", server_key.get(), ca.get(),
                                         ca_key.get(), false, options);
    identity.ca_pem = pem_of(ca.get());
    // The leaf alone, as servers send it: a client must know the root already.
    identity.certificate_pem = pem_of(server.get());
  }
  identity.private_key_pem = pem_of(server_key.get());
  return identity;
}

TlsIdentity load_tls_identity(const std::string& certificate_file, const std::string& key_file) {
  TlsIdentity identity;
  identity.certificate_pem = read_text(certificate_file, "certificate");
  identity.private_key_pem = read_text(key_file, "key");
  {
    Bio bio(BIO_new_mem_buf(identity.certificate_pem.data(),
                            static_cast<int>(identity.certificate_pem.size())));
    Cert cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!cert) throw std::runtime_error("'" + certificate_file + "' holds no PEM certificate");
  }
  {
    Bio bio(BIO_new_mem_buf(identity.private_key_pem.data(),
                            static_cast<int>(identity.private_key_pem.size())));
    Key key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key) throw std::runtime_error("'" + key_file + "' holds no unencrypted PEM private key");
  }
  return identity;
}

void write_tls_identity(const TlsIdentity& identity, const std::string& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) throw std::runtime_error("cannot create '" + directory + "': " + ec.message());
  const std::filesystem::path dir(directory);
  try {
    if (!identity.ca_pem.empty()) write_text(dir / "ca.pem", identity.ca_pem, false);
    write_text(dir / "cert.pem", identity.certificate_pem, false);
    write_text(dir / "key.pem", identity.private_key_pem, true);
  } catch (const std::filesystem::filesystem_error& error) {
    throw std::runtime_error(error.what());
  }
}

}  // namespace bedrock_emulator
