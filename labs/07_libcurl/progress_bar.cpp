#include "07_libcurl/progress_bar.hpp"

#include <cstdio>

#include "common/download_file.hpp"

namespace netlab::curl {
namespace {

std::string mebibytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

}  // namespace

std::string render_progress(std::uint64_t now, std::uint64_t total, std::size_t width) {
    if (total == 0) {
        return "  " + mebibytes(now);
    }
    const std::uint64_t shown = now > total ? total : now;
    const auto filled = static_cast<std::size_t>(static_cast<double>(shown) / static_cast<double>(total) *
                                                 static_cast<double>(width));
    const auto percent = static_cast<unsigned>(shown * 100 / total);
    char tail[64];
    std::snprintf(tail, sizeof tail, "] %3u%%  ", percent);
    return "[" + std::string(filled, '#') + std::string(width - filled, ' ') + tail + mebibytes(shown) +
           " of " + mebibytes(total);
}

void ProgressBar::update(std::uint64_t now, std::uint64_t total) noexcept {
    now_ = now;
    total_ = total;
    const auto clock = std::chrono::steady_clock::now();
    if (drawn_ && clock - last_ < std::chrono::milliseconds(100) && !(total != 0 && now >= total)) {
        return;
    }
    last_ = clock;
    drawn_ = true;
    draw(render_progress(now, total, 30), "");
}

void ProgressBar::draw(const std::string& line, const char* end) noexcept {
    try {
        if (line == shown_) {  // libcurl calls often with nothing new: no redraw
            write_all(fd_, end);
            return;
        }
        // \r goes back to the line's start; spaces wipe what a longer previous line left behind.
        const std::size_t wipe = shown_.size() > line.size() ? shown_.size() - line.size() : 0;
        write_all(fd_, "\r" + line + std::string(wipe, ' ') + end);
        shown_ = line;
    } catch (...) {  // a closed descriptor must not abort the download
    }
}

void ProgressBar::finish() noexcept {
    if (finished_) {
        return;
    }
    finished_ = true;
    draw(render_progress(now_, total_, 30), "\n");
}

}  // namespace netlab::curl
