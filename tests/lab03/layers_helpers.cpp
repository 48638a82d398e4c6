#include "layers_helpers.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace netlab::testing::layers_test {

std::vector<std::byte> from_hex(std::string_view hex) {
    std::vector<std::byte> bytes;
    int high = -1;
    for (const char c : hex) {
        int value = 0;
        if (c >= '0' && c <= '9') {
            value = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            value = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            value = c - 'A' + 10;
        } else if (c == ' ' || c == '\n' || c == '\t') {
            continue;
        } else {
            throw std::invalid_argument(std::string("from_hex: not a hex digit: ") + c);
        }
        if (high < 0) {
            high = value;
        } else {
            bytes.push_back(static_cast<std::byte>(high * 16 + value));
            high = -1;
        }
    }
    if (high >= 0) {
        throw std::invalid_argument("from_hex: odd number of hex digits");
    }
    return bytes;
}

std::string to_hex(std::span<const std::byte> bytes) {
    std::string text;
    for (const std::byte b : bytes) {
        char cell[3];
        std::snprintf(cell, sizeof cell, "%02x", std::to_integer<unsigned>(b));
        text += cell;
    }
    return text;
}

std::string text_of(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::vector<std::byte> bytes_of(std::string_view text) {
    const auto bytes = std::as_bytes(std::span(text));
    return {bytes.begin(), bytes.end()};
}

std::string hex_field(unsigned value, int digits) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%0*x", digits, value);
    return text;
}

std::uint16_t reference_checksum(const std::vector<std::span<const std::byte>>& pieces) {
    // One's-complement addition of 16-bit words is addition modulo 0xffff (with 0xffff, not 0,
    // standing for a nonzero multiple of 0xffff).
    std::uint64_t total = 0;
    bool odd = false;
    for (const auto piece : pieces) {
        for (const std::byte b : piece) {
            total += std::to_integer<std::uint64_t>(b) << (odd ? 0 : 8);
            odd = !odd;
        }
    }
    std::uint64_t sum = total % 0xffff;
    if (sum == 0 && total != 0) {
        sum = 0xffff;
    }
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::uint16_t reference_checksum(std::span<const std::byte> bytes) {
    return reference_checksum(std::vector<std::span<const std::byte>>{bytes});
}

std::vector<std::byte> pseudo_header(std::array<std::uint8_t, 4> source,
                                     std::array<std::uint8_t, 4> destination, std::uint8_t protocol,
                                     std::size_t length) {
    std::vector<std::byte> bytes;
    for (const auto b : source) {
        bytes.push_back(std::byte{b});
    }
    for (const auto b : destination) {
        bytes.push_back(std::byte{b});
    }
    bytes.push_back(std::byte{0});
    bytes.push_back(std::byte{protocol});
    bytes.push_back(static_cast<std::byte>((length >> 8) & 0xff));
    bytes.push_back(static_cast<std::byte>(length & 0xff));
    return bytes;
}

std::string data_path(const std::string& name) {
    return std::string(NETLAB_TEST_DATA_DIR) + "/" + name;
}

std::vector<std::byte> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return bytes_of(text);
}

TempFile::TempFile(const std::string& name, std::span<const std::byte> bytes) {
    char directory[] = "/tmp/netlab-lab03-XXXXXX";
    if (::mkdtemp(directory) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    directory_ = directory;
    path_ = directory_ + "/" + name;
    std::ofstream out(path_, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw std::runtime_error("cannot write " + path_);
    }
}

TempFile::~TempFile() {
    ::unlink(path_.c_str());
    ::rmdir(directory_.c_str());
}

std::vector<TsharkRow> read_tsv(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    auto split = [](const std::string& line) {
        std::vector<std::string> cells;
        std::size_t start = 0;
        for (;;) {
            const auto tab = line.find('\t', start);
            cells.push_back(line.substr(start, tab - start));
            if (tab == std::string::npos) {
                return cells;
            }
            start = tab + 1;
        }
    };
    std::string line;
    std::getline(in, line);
    const auto names = split(line);
    std::vector<TsharkRow> rows;
    while (std::getline(in, line)) {
        const auto cells = split(line);
        TsharkRow row;
        for (std::size_t i = 0; i < names.size(); ++i) {
            row[names[i]] = i < cells.size() ? cells[i] : "";
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

namespace {

std::uint32_t le32(std::span<const std::byte> bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        value |= std::to_integer<std::uint32_t>(bytes[at + i]) << (8 * i);
    }
    return value;
}

void reverse(std::vector<std::byte>& bytes, std::size_t at, std::size_t n) {
    std::reverse(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                 bytes.begin() + static_cast<std::ptrdiff_t>(at + n));
}

}  // namespace

std::vector<RawRecord> raw_records(std::span<const std::byte> file) {
    if (file.size() < 24 || (le32(file, 0) != 0xa1b2c3d4 && le32(file, 0) != 0xa1b23c4d)) {
        throw std::runtime_error("raw_records: not a little-endian classic pcap file");
    }
    std::vector<RawRecord> records;
    std::size_t at = 24;
    while (at < file.size()) {
        if (file.size() - at < 16) {
            throw std::runtime_error("raw_records: truncated record header");
        }
        RawRecord record;
        record.offset = at;
        record.seconds = le32(file, at);
        record.fraction = le32(file, at + 4);
        record.captured = le32(file, at + 8);
        record.original = le32(file, at + 12);
        if (file.size() - at - 16 < record.captured) {
            throw std::runtime_error("raw_records: truncated record data");
        }
        const auto data = file.subspan(at + 16, record.captured);
        record.data.assign(data.begin(), data.end());
        at += 16 + record.captured;
        records.push_back(std::move(record));
    }
    return records;
}

std::vector<std::byte> to_big_endian(std::span<const std::byte> file) {
    std::vector<std::byte> swapped(file.begin(), file.end());
    reverse(swapped, 0, 4);                             // magic
    reverse(swapped, 4, 2);                             // version major
    reverse(swapped, 6, 2);                             // version minor
    for (const std::size_t at : {8u, 12u, 16u, 20u}) {  // thiszone, sigfigs, snaplen, link type
        reverse(swapped, at, 4);
    }
    for (const auto& record : raw_records(file)) {
        for (std::size_t field = 0; field < 4; ++field) {
            reverse(swapped, record.offset + 4 * field, 4);
        }
    }
    return swapped;
}

}  // namespace netlab::testing::layers_test
