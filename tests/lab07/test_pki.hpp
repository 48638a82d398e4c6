#pragma once
// A throwaway PKI made at test time with the openssl command line, so no key is ever committed:
// a CA, and a server certificate for DNS name "localhost" only, signed by that CA.

#include <string>

#include "canned_server.hpp"

namespace netlab::testing {

/// The files make_test_pki wrote.
struct TestPki {
    std::string ca_certificate;  ///< what a client trusts (CURLOPT_CAINFO)
    TlsFiles server;             ///< what the server presents: CN and subjectAltName "localhost"
};

/// Writes a fresh CA and server certificate into folder (P-256 keys, valid one day).
/// Throws std::runtime_error quoting openssl's output if a step fails.
TestPki make_test_pki(const std::string& folder);

}  // namespace netlab::testing
