// This lab shows:
//  - reading numbers with std::from_chars (no locale, no exceptions, exact end check);
//  - classifying a topic with the same topic_matches the broker logic uses.

#include "08_mqtt/telemetry.hpp"

#include <charconv>
#include <cstdio>
#include <sstream>
#include <vector>

#include "08_mqtt/topic.hpp"

namespace netlab::mqtt {
namespace {

/// The text right after "key": in json (spaces skipped), or an empty view.
std::string_view value_of(std::string_view json, std::string_view key) {
    const std::string quoted = "\"" + std::string(key) + "\"";
    const auto at = json.find(quoted);
    if (at == std::string_view::npos) {
        return {};
    }
    std::string_view rest = json.substr(at + quoted.size());
    while (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
    }
    if (rest.empty() || rest.front() != ':') {
        return {};
    }
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
    }
    return rest;
}

template <typename T>
std::optional<T> number_of(std::string_view json, std::string_view key) {
    const std::string_view text = value_of(json, key);
    T value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} ||
        (end != text.data() + text.size() && *end != ',' && *end != '}' && *end != ' ')) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::string_view> levels(std::string_view topic) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto slash = topic.find('/', start);
        parts.push_back(topic.substr(start, slash - start));
        if (slash == std::string_view::npos) {
            return parts;
        }
        start = slash + 1;
    }
}

}  // namespace

bool valid_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > 32) {
        return false;
    }
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::string format_telemetry(const Reading& reading) {
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, "\"temperature_c\":%.2f,\"humidity_pct\":%.2f",
                  reading.temperature_c, reading.humidity_pct);
    return "{\"sensor\":\"" + reading.sensor + "\",\"seq\":" + std::to_string(reading.seq) + "," + numbers +
           "}";
}

std::optional<Reading> parse_telemetry(std::string_view json) {
    if (json.size() > 1024 || !json.starts_with('{') || !json.ends_with('}')) {
        return std::nullopt;
    }
    Reading reading;
    const std::string_view sensor = value_of(json, "sensor");
    if (!sensor.starts_with('"')) {
        return std::nullopt;
    }
    reading.sensor = std::string(sensor.substr(1, sensor.find('"', 1) - 1));
    const auto seq = number_of<std::uint64_t>(json, "seq");
    const auto temperature = number_of<double>(json, "temperature_c");
    const auto humidity = number_of<double>(json, "humidity_pct");
    if (!valid_name(reading.sensor) || !seq || !temperature || !humidity) {
        return std::nullopt;
    }
    reading.seq = *seq;
    reading.temperature_c = *temperature;
    reading.humidity_pct = *humidity;
    return reading;
}

bool Dashboard::apply(std::string_view topic, std::string_view payload) {
    // BEGIN SOLUTION Dashboard_apply
    const auto parts = levels(topic);
    if (parts.size() < 4) {
        return false;
    }
    const auto key = std::make_pair(std::string(parts[1]), std::string(parts[3]));
    if (topic_matches(kStatusFilter, topic)) {
        if (payload.empty()) {
            rows_.erase(key);  // a cleared retained status: the sensor was retired
        } else {
            rows_[key].status = std::string(payload.substr(0, 16));
        }
        return true;
    }
    if (!topic_matches(kTelemetryFilter, topic)) {
        return false;
    }
    auto reading = parse_telemetry(payload);
    if (!reading) {
        return false;
    }
    SensorRow& row = rows_[key];
    row.last = std::move(reading);
    ++row.messages;
    return true;
    // END SOLUTION
}

std::string Dashboard::render() const {
    std::ostringstream out;
    char line[160];
    std::snprintf(line, sizeof line, "%-12s %-12s %-8s %8s %10s %10s %8s\n", "site", "sensor", "status",
                  "seq", "temp_c", "humid_%", "msgs");
    out << line;
    for (const auto& [key, row] : rows_) {
        if (row.last) {
            std::snprintf(line, sizeof line, "%-12s %-12s %-8s %8llu %10.2f %10.2f %8llu\n",
                          key.first.c_str(), key.second.c_str(), row.status.c_str(),
                          static_cast<unsigned long long>(row.last->seq), row.last->temperature_c,
                          row.last->humidity_pct, static_cast<unsigned long long>(row.messages));
        } else {
            std::snprintf(line, sizeof line, "%-12s %-12s %-8s %8s %10s %10s %8llu\n", key.first.c_str(),
                          key.second.c_str(), row.status.c_str(), "-", "-", "-",
                          static_cast<unsigned long long>(row.messages));
        }
        out << line;
    }
    return out.str();
}

}  // namespace netlab::mqtt
