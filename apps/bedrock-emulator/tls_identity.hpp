#pragma once
// The certificate and key the emulator serves HTTPS with: generated at start (a private CA of its
// own and a server certificate signed by it, so a client trusts the server by trusting the CA,
// exactly as with a company CA), or read from PEM files the user gives.
//
//   const TlsIdentity identity = generate_tls_identity({});   // for 127.0.0.1, ::1, localhost
//   write_tls_identity(identity, "/tmp/emulator-tls");        // ca.pem, cert.pem, key.pem
//
// Tests use the options to make the bad certificates clients must refuse: expired, issued for
// another name, or self-signed with no CA. Thread-safe: plain functions over values.

#include <chrono>
#include <string>
#include <vector>

namespace bedrock_emulator {

// PEM text. certificate_pem is what the server sends (its certificate; a loaded file may hold a
// chain); ca_pem is the CA, what a client is told to trust. Empty ca_pem: self-signed.
struct TlsIdentity {
  std::string certificate_pem;
  std::string private_key_pem;
  std::string ca_pem;
};

struct TlsIdentityOptions {
  // Subject alternative names: IP addresses are recognised as such, the rest are DNS names.
  std::vector<std::string> names = {"127.0.0.1", "::1", "localhost"};
  // Validity relative to now; a negative not_after makes an expired certificate.
  std::chrono::hours not_before = std::chrono::hours(-1);
  std::chrono::hours not_after = std::chrono::hours(24 * 30);
  // No CA: the server certificate signs itself (what a client without it must refuse).
  bool self_signed = false;
};

// Throws std::runtime_error when OpenSSL fails (it does not for valid options).
TlsIdentity generate_tls_identity(const TlsIdentityOptions& options);

// Reads a certificate chain and a private key from PEM files; ca_pem stays empty. Throws
// std::runtime_error naming the file that is missing or is not PEM of the expected kind.
TlsIdentity load_tls_identity(const std::string& certificate_file, const std::string& key_file);

// Writes ca.pem (when there is a CA), cert.pem and key.pem (mode 0600) into `directory`,
// creating it. Throws std::runtime_error naming the path that cannot be written.
void write_tls_identity(const TlsIdentity& identity, const std::string& directory);

}  // namespace bedrock_emulator
