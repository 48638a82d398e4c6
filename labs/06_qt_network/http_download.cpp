#include "06_qt_network/http_download.hpp"

#include <QNetworkRequest>

#include <string_view>
#include <system_error>

namespace netlab::qt {

DownloadFileDevice::DownloadFileDevice(DownloadFile& file) : file_(file) {
    QIODevice::open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

qint64 DownloadFileDevice::readData(char*, qint64) {
    return -1;  // write-only
}

qint64 DownloadFileDevice::writeData(const char* data, qint64 size) {
    try {
        file_.write(std::string_view(data, static_cast<std::size_t>(size)));
        return size;
    } catch (const std::system_error& error) {  // Qt's callers expect -1 and errorString(), not a throw
        setErrorString(QString::fromStdString(error.what()));
        return -1;
    }
}

Download::Download(QNetworkAccessManager& manager, QUrl url, QIODevice& output, DownloadOptions options,
                   QObject* parent)
    : QObject(parent), manager_(manager), url_(std::move(url)), output_(output), options_(options) {}

void Download::start() {
    // BEGIN SOLUTION Download::start
    QNetworkRequest request(url_);
    // Abort when no byte moved for this long (Qt 5.15+). Without it a stalled server hangs us forever.
    request.setTransferTimeout(static_cast<int>(options_.timeout.count()));
    reply_ = manager_.get(request);
    reply_->setReadBufferSize(options_.max_buffer);  // the bound that makes streaming real
    // Every signal is connected before the loop runs again, so none can be missed.
    connect(reply_, &QNetworkReply::readyRead, this, &Download::on_ready_read);
    connect(reply_, &QNetworkReply::errorOccurred, this, [this](QNetworkReply::NetworkError error) {
        error_ = error;  // finished() follows: the outcome is decided there
        error_text_ = reply_->errorString();
    });
    connect(reply_, &QNetworkReply::downloadProgress, this, &Download::on_progress);
    connect(reply_, &QNetworkReply::finished, this, &Download::on_finished);
    // END SOLUTION
}

void Download::on_ready_read() {
    // BEGIN SOLUTION Download::on_ready_read
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (;;) {
        const qint64 got = reply_->read(chunk_.data(), static_cast<qint64>(chunk_.size()));
        if (got <= 0) {
            return;
        }
        if (status >= 400 || write_failed_) {
            continue;  // an error page is not the document asked for (curl --fail): drop it
        }
        if (output_.write(chunk_.data(), got) != got) {
            write_failed_ = true;
            error_text_ = QStringLiteral("write: ") + output_.errorString();
            reply_->abort();  // finished() follows with OperationCanceledError
            return;
        }
        written_ += got;
    }
    // END SOLUTION
}

void Download::on_progress(qint64 received, qint64 total) {
    if (received < next_report_) {
        return;
    }
    emit progress(received, total);
    next_report_ = received + (total > 0 ? std::max<qint64>(total / 10, 1) : 1024 * 1024);
}

void Download::on_finished() {
    // BEGIN SOLUTION Download::on_finished
    if (reply_->isOpen()) {
        on_ready_read();  // whatever is still buffered (an aborted reply is closed: nothing to read)
    }
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    DownloadResult result = DownloadResult::ok;
    if (write_failed_) {
        result = DownloadResult::failed;
    } else if (status >= 400) {
        error_text_ = QStringLiteral("HTTP %1 %2")
                          .arg(status)
                          .arg(reply_->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
        result = DownloadResult::http_error;
    } else if (error_ == QNetworkReply::OperationCanceledError || error_ == QNetworkReply::TimeoutError) {
        // Qt 6.4 reports its own transfer timeout as OperationCanceledError: we cancel nothing else.
        error_text_ = QStringLiteral("no progress for %1 ms (timeout)").arg(options_.timeout.count());
        result = DownloadResult::timed_out;
    } else if (error_ != QNetworkReply::NoError) {
        result = DownloadResult::failed;
    }
    reply_->deleteLater();  // never delete a reply inside its own signal
    reply_ = nullptr;
    emit finished(result);  // error_text() says why, for whoever reports it
    // END SOLUTION
}

}  // namespace netlab::qt
