#include "support/scripted_tls_server.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace llmm::test {
namespace {

SSL* as_ssl(void* ssl) { return static_cast<SSL*>(ssl); }

int select_h2(SSL*, const unsigned char** out, unsigned char* out_length,
              const unsigned char* offered, unsigned int offered_length, void*) {
  static const unsigned char kH2[] = {2, 'h', '2'};
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, kH2, sizeof kH2, offered, offered_length) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

bool TlsPeer::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const int n = SSL_write(as_ssl(ssl_), bytes.data(),
                            static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 20)));
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string TlsPeer::read_some(std::size_t limit) {
  std::string buffer(limit, '\0');
  const int n = SSL_read(as_ssl(ssl_), buffer.data(), static_cast<int>(limit));
  if (n <= 0) return {};
  buffer.resize(static_cast<std::size_t>(n));
  return buffer;
}

ScriptedTlsServer::ScriptedTlsServer(const std::string& certificate_pem, const std::string& key_pem,
                                     ScriptedTlsOptions options, Script script)
    : script_(std::move(script)) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) throw std::runtime_error("SSL_CTX_new failed");
  context_ = context;
  BIO* cert_bio = BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size()));
  X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  BIO_free(cert_bio);
  BIO* key_bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  BIO_free(key_bio);
  const bool loaded = cert != nullptr && key != nullptr &&
                      SSL_CTX_use_certificate(context, cert) == 1 &&
                      SSL_CTX_use_PrivateKey(context, key) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!loaded) throw std::runtime_error("ScriptedTlsServer: bad certificate or key");
  if (options.tls10_only) {
    SSL_CTX_set_security_level(context, 0);
    SSL_CTX_set_cipher_list(context, "DEFAULT@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(context, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(context, TLS1_VERSION);
  }
  if (options.alpn_h2) SSL_CTX_set_alpn_select_cb(context, &select_h2, nullptr);

  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener_ < 0 ||
      ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("ScriptedTlsServer: cannot listen");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

ScriptedTlsServer::~ScriptedTlsServer() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);  // wakes the poll below
  if (thread_.joinable()) thread_.join();
  ::close(listener_);
  SSL_CTX_free(static_cast<SSL_CTX*>(context_));
}

void ScriptedTlsServer::serve() {
  while (!stopping_) {
    pollfd waiting{listener_, POLLIN, 0};
    if (::poll(&waiting, 1, -1) <= 0 || stopping_) return;
    const int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) continue;
    SSL* ssl = SSL_new(static_cast<SSL_CTX*>(context_));
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      ++handshakes_;
      TlsPeer peer(ssl);
      script_(peer);
      // Hold the connection until the client gives up: it must act on what it got, not on EOF.
      while (!stopping_ && !peer.read_some().empty()) {}
    }
    SSL_free(ssl);
    ::close(fd);
  }
}

std::string http2_frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream_id,
                        std::string_view payload) {
  std::string frame;
  const auto length = static_cast<std::uint32_t>(payload.size());
  frame += static_cast<char>((length >> 16) & 0xff);
  frame += static_cast<char>((length >> 8) & 0xff);
  frame += static_cast<char>(length & 0xff);
  frame += static_cast<char>(type);
  frame += static_cast<char>(flags);
  frame += static_cast<char>((stream_id >> 24) & 0x7f);
  frame += static_cast<char>((stream_id >> 16) & 0xff);
  frame += static_cast<char>((stream_id >> 8) & 0xff);
  frame += static_cast<char>(stream_id & 0xff);
  frame += payload;
  return frame;
}

}  // namespace llmm::test
