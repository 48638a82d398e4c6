#pragma once
// This file shows:
//  - one GET with QNetworkAccessManager: the manager is asynchronous, the QNetworkReply is the
//    handle of one transfer, and it is OURS to delete (deleteLater, once finished);
//  - streaming: a reply buffers everything it receives unless it is read; setReadBufferSize caps
//    that buffer (Qt then stops reading the socket: backpressure) and every readyRead moves the
//    bytes to the output, so a 50 MiB body never sits in memory;
//  - errors through errorOccurred (Qt 6 name), a transfer timeout (setTransferTimeout), and
//    downloadProgress thinned out into our own progress signal;
//  - a library that reports and never prints: the outcome, the reason and the progress are
//    signals and values, and the program's main decides what reaches stderr;
//  - the output as a plain QIODevice: DownloadFileDevice puts common/download_file behind it, so
//    a regular file is replaced only by a complete body and a FIFO or a device is written in place.

#include <QIODevice>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QUrl>

#include <array>
#include <chrono>
#include <cstdint>

#include "common/download_file.hpp"

namespace netlab::qt {

/// A write-only QIODevice over a DownloadFile, which must outlive it. A failed write returns -1 and
/// sets errorString(); commit() stays the DownloadFile's, for the caller to run on success.
class DownloadFileDevice : public QIODevice {
public:
    /// Opens the device (WriteOnly | Unbuffered: each write() reaches the file at once).
    explicit DownloadFileDevice(DownloadFile& file);

protected:
    qint64 readData(char* data, qint64 max_size) override;
    qint64 writeData(const char* data, qint64 size) override;

private:
    DownloadFile& file_;
};

/// How a download ended; the values are the exit codes qt_http_get uses (curl's, with --fail).
enum class DownloadResult : int {
    ok = 0,           ///< a 2xx reply, every byte written
    failed = 1,       ///< connection refused, reset, bad reply, output write failed...
    http_error = 22,  ///< the server answered with status 400 or above
    timed_out = 28,   ///< no progress for the transfer timeout
};

/// What a Download needs besides the URL.
struct DownloadOptions {
    std::chrono::milliseconds timeout{30000};  ///< abort when no byte moved for this long
    std::int64_t max_buffer = 256 * 1024;      ///< the reply's read buffer: the most it holds
};

/// Fetches one URL into an open output device. Runs in the manager's thread; one use.
class Download : public QObject {
    Q_OBJECT

public:
    /// Prepares; nothing is sent before start(). manager and output must outlive the download.
    Download(QNetworkAccessManager& manager, QUrl url, QIODevice& output, DownloadOptions options,
             QObject* parent = nullptr);

    /// Sends the request. Call once; finished() follows, always.
    void start();
    /// Bytes written to the output so far.
    [[nodiscard]] std::int64_t written() const noexcept { return written_; }
    /// Why the download failed ("HTTP 404 Not Found", "no progress for 300 ms (timeout)", Qt's
    /// errorString()...), once finished() said so; empty after ok. The reason phrase is the server's.
    [[nodiscard]] const QString& error_text() const noexcept { return error_text_; }

signals:
    /// The end of the transfer, emitted once; the reply is already scheduled for deletion.
    void finished(netlab::qt::DownloadResult result);
    /// received of total bytes (total -1 when unknown); emitted at most once per tenth of total
    /// (once per MiB when total is unknown), on the manager's thread.
    void progress(qint64 received, qint64 total);

private:
    /// Moves what the reply holds to the output (the readyRead slot).
    void on_ready_read();
    /// The last readyRead is done: classify the outcome, report it (the finished slot).
    void on_finished();
    /// Passes downloadProgress on as progress(), thinned out (the downloadProgress slot).
    void on_progress(qint64 received, qint64 total);

    QNetworkAccessManager& manager_;
    QUrl url_;
    QIODevice& output_;
    DownloadOptions options_;
    QNetworkReply* reply_ = nullptr;  // owned: deleteLater once finished
    QNetworkReply::NetworkError error_ = QNetworkReply::NoError;
    QString error_text_;
    std::int64_t written_ = 0;
    std::int64_t next_report_ = 0;
    bool write_failed_ = false;
    std::array<char, 64 * 1024> chunk_{};
};

}  // namespace netlab::qt
