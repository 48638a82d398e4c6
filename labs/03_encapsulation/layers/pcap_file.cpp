// This file shows:
//  - the loop every incremental parser is driven by: parse; on "need more", read and parse
//    again; on EOF with bytes left over, the file was cut short;
//  - reading in chunks (64 KiB) instead of slurping the file: memory stays bounded by the
//    largest record (kPcapMaxSnaplen), however long the capture.

#include "03_encapsulation/layers/pcap_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <span>
#include <stdexcept>
#include <system_error>

namespace netlab::layers {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

}  // namespace

PcapFile::PcapFile(const std::string& path) : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (!fd_) {
        throw std::system_error(errno, std::system_category(), "open " + path);
    }
    for (;;) {
        const PcapHeaderResult parsed = parse_pcap_header(std::span(buffer_));
        if (parsed.status == ParseStatus::complete) {
            header_ = parsed.header;
            start_ = parsed.consumed;
            offset_ = parsed.consumed;
            return;
        }
        if (parsed.status == ParseStatus::error) {
            throw std::runtime_error(path_ + ": " + parsed.error);
        }
        if (!fill()) {
            throw std::runtime_error(path_ + ": not a pcap file (" + std::to_string(buffer_.size()) +
                                     " bytes, shorter than the 24-byte file header)");
        }
    }
}

std::optional<PcapRecord> PcapFile::next() {
    for (;;) {
        const auto unparsed = std::span(buffer_).subspan(start_);
        PcapRecordResult parsed = parse_pcap_record(header_, unparsed);
        const std::string where =
            path_ + ": record " + std::to_string(records_ + 1) + " at byte offset " + std::to_string(offset_);
        if (parsed.status == ParseStatus::complete) {
            start_ += parsed.consumed;
            offset_ += parsed.consumed;
            ++records_;
            return std::move(parsed.record);
        }
        if (parsed.status == ParseStatus::error) {
            throw std::runtime_error(where + ": " + parsed.error);
        }
        // Need more: drop the bytes already parsed, then read.
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
        start_ = 0;
        if (!fill()) {
            if (buffer_.empty()) {
                return std::nullopt;
            }
            throw std::runtime_error(where + ": the file ends after " + std::to_string(buffer_.size()) +
                                     " byte(s) of it (cut short, e.g. tcpdump killed while writing)");
        }
    }
}

bool PcapFile::fill() {
    const std::size_t old_size = buffer_.size();
    buffer_.resize(old_size + kReadChunk);
    for (;;) {
        const ssize_t n = ::read(fd_.get(), buffer_.data() + old_size, kReadChunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const int error = errno;
            buffer_.resize(old_size);
            throw std::system_error(error, std::system_category(), "read " + path_);
        }
        buffer_.resize(old_size + static_cast<std::size_t>(n));
        return n > 0;
    }
}

}  // namespace netlab::layers
