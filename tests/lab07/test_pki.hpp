#pragma once
// A throwaway PKI made at test time with the openssl command line, so no key is ever committed:
// a CA, and a server certificate for DNS name "localhost" only, signed by that CA.

#include <string>

namespace netlab::testing {

/// A server certificate chain and its key, both PEM files (netlab_http_peer --cert and --key).
struct TlsFiles {
    std::string certificate;
    std::string key;
};

/// The files make_test_pki wrote.
struct TestPki {
    std::string ca_certificate;  ///< what a client trusts (CURLOPT_CAINFO)
    TlsFiles server;             ///< what the server presents: CN and subjectAltName "localhost"
};

/// Writes a fresh CA and server certificate into folder (P-256 keys, valid one day).
/// Throws std::runtime_error quoting openssl's output if a step fails.
TestPki make_test_pki(const std::string& folder);

}  // namespace netlab::testing
