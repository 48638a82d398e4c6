#include "test_pki.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace netlab::testing {
namespace {

void run(const std::string& folder, const std::string& command) {
    const std::string log = folder + "/openssl.log";
    const std::string line = "cd '" + folder + "' && " + command + " >>openssl.log 2>&1";
    if (std::system(line.c_str()) != 0) {
        std::ifstream in(log);
        std::ostringstream text;
        text << in.rdbuf();
        throw std::runtime_error("test PKI: '" + command + "' failed: " + text.str());
    }
}

}  // namespace

TestPki make_test_pki(const std::string& folder) {
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run(folder,
        "openssl req -x509 " + key +
            " -keyout ca.key -out ca.pem -days 1 -subj '/CN=netlab test CA'"
            " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
    run(folder, "openssl req " + key + " -keyout server.key -out server.csr -subj /CN=localhost");
    {
        std::ofstream extensions(folder + "/server.ext");
        extensions << "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n"
                      "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n";
    }
    run(folder,
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 7 -days 1"
        " -extfile server.ext -out server.pem");
    return TestPki{folder + "/ca.pem", TlsFiles{folder + "/server.pem", folder + "/server.key"}};
}

}  // namespace netlab::testing
