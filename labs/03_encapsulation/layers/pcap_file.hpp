#pragma once
// This file shows:
//  - a thin I/O wrapper around the pure pcap parser: read() into a buffer, parse what is
//    there, read more on "need more", and keep the bytes of a record that straddles two reads;
//  - errors that say where: the file, the record number and its byte offset.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "03_encapsulation/layers/pcap_reader.hpp"
#include "common/unique_fd.hpp"

namespace netlab::layers {

/// A classic pcap file, read one record at a time. Not thread-safe.
class PcapFile {
public:
    /// Opens path and reads the file header. Throws std::system_error ("open PATH", "read PATH") or
    /// std::runtime_error naming the file when it is not a pcap file.
    explicit PcapFile(const std::string& path);

    /// The file header: byte order, time resolution, snaplen, link type.
    [[nodiscard]] const PcapFileHeader& header() const noexcept { return header_; }

    /// The next record, or nullopt at the end of the file. Throws std::runtime_error naming the
    /// record and its byte offset when the record is corrupt or the file ends inside it.
    std::optional<PcapRecord> next();

private:
    /// Appends up to one read() worth of bytes to buffer_; false at end of file.
    bool fill();

    std::string path_;
    UniqueFd fd_;
    PcapFileHeader header_;
    std::vector<std::byte> buffer_;  // bytes read but not parsed yet start at buffer_[start_]
    std::size_t start_ = 0;
    std::uint64_t offset_ = 0;   // the file offset of buffer_[start_]
    std::uint64_t records_ = 0;  // records returned so far
};

}  // namespace netlab::layers
