#pragma once
// Test-side helpers for lab 03 Part A (packet layers and pcap), written independently of the
// lab's code so that a broken lab cannot break them: hex, a checksum computed another way
// (the sum modulo 0xffff, not RFC 1071's loop), the committed captures and tshark's fields.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netlab::testing::layers_test {

/// Bytes from hex text; spaces and newlines are ignored ("45 00 00 73" or "45000073").
std::vector<std::byte> from_hex(std::string_view hex);
/// Lower-case hex of bytes, no separators (tshark's -e tcp.payload format).
std::string to_hex(std::span<const std::byte> bytes);
/// The bytes as a string (for EXPECT_BYTES_EQ).
std::string text_of(std::span<const std::byte> bytes);
/// The bytes of text.
std::vector<std::byte> bytes_of(std::string_view text);
/// "0x1234": tshark's format of a 16-bit field (digits is 4, or 2 for 8 bits, 3 for tcp.flags' 12).
std::string hex_field(unsigned value, int digits = 4);

/// The Internet checksum of bytes computed as "sum of 16-bit words modulo 0xffff" (a different
/// method from RFC 1071's folding loop, so it checks the lab's code instead of repeating it).
std::uint16_t reference_checksum(std::span<const std::byte> bytes);
/// The same over several pieces laid end to end (each piece but the last of even length).
std::uint16_t reference_checksum(const std::vector<std::span<const std::byte>>& pieces);
/// The 12-byte IPv4 pseudo-header for a transport segment of length bytes.
std::vector<std::byte> pseudo_header(std::array<std::uint8_t, 4> source,
                                     std::array<std::uint8_t, 4> destination, std::uint8_t protocol,
                                     std::size_t length);

/// The path of a file in tests/data/ (NETLAB_TEST_DATA_DIR).
std::string data_path(const std::string& name);
/// The whole content of a file; throws std::runtime_error when it cannot be read.
std::vector<std::byte> read_file(const std::string& path);
/// A file holding given bytes in a fresh temporary directory; both are removed on destruction.
class TempFile {
public:
    /// Creates the directory and writes the file; throws std::runtime_error on failure.
    TempFile(const std::string& name, std::span<const std::byte> bytes);
    ~TempFile();
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    /// The file's path.
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    std::string directory_;
    std::string path_;
};

/// One packet as tshark decoded it: field name -> value ("" when tshark printed nothing).
using TsharkRow = std::map<std::string, std::string>;
/// The rows of a committed .tsv (tshark -T fields -E header=y); throws when it cannot be read.
std::vector<TsharkRow> read_tsv(const std::string& path);

/// One record of a classic pcap file, read by the test's own minimal reader.
struct RawRecord {
    std::size_t offset = 0;       ///< where its 16-byte header starts in the file
    std::uint32_t seconds = 0;    ///< as stored
    std::uint32_t fraction = 0;   ///< µs or ns, as stored
    std::uint32_t captured = 0;   ///< captured length
    std::uint32_t original = 0;   ///< original length
    std::vector<std::byte> data;  ///< the captured bytes
};
/// The records of a little-endian classic pcap file (the committed captures), read without the lab.
std::vector<RawRecord> raw_records(std::span<const std::byte> file);
/// The same file rewritten in big-endian byte order (magic, header fields, record headers).
std::vector<std::byte> to_big_endian(std::span<const std::byte> file);

}  // namespace netlab::testing::layers_test
