#pragma once
// This file shows:
//  - the IoT payload as a pure value: a sensor reading to JSON and back, with no JSON library,
//    and input from the network parsed defensively (any field order, anything malformed -> nullopt);
//  - the topic layout: telemetry on site/SITE/sensor/ID, retained status ("online"/"offline",
//    the latter also as the will) on site/SITE/sensor/ID/status;
//  - the dashboard's state as a table keyed by site and sensor, rendered as text.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace netlab::mqtt {

/// The subscription filters the dashboard uses.
inline constexpr const char* kTelemetryFilter = "site/+/sensor/+";
inline constexpr const char* kStatusFilter = "site/+/sensor/+/status";

/// One sensor reading.
struct Reading {
    std::string sensor;     ///< [A-Za-z0-9_-]+
    std::uint64_t seq = 0;  ///< counts up from 1 per sensor process
    double temperature_c = 0;
    double humidity_pct = 0;
};

/// True for a usable site or sensor name: 1-32 of [A-Za-z0-9_-] (so it is one topic level, no wildcard).
bool valid_name(std::string_view name) noexcept;
/// {"sensor":"ID","seq":N,"temperature_c":T,"humidity_pct":H}
std::string format_telemetry(const Reading& reading);
/// The reading in a telemetry payload, or nullopt when any field is missing or malformed.
std::optional<Reading> parse_telemetry(std::string_view json);

/// What the dashboard knows about one sensor.
struct SensorRow {
    std::string status = "?";  ///< the last retained status, "?" until one arrives
    std::optional<Reading> last;
    std::uint64_t messages = 0;
};

/// The dashboard's table: fed with messages, rendered as text. Pure: no I/O.
class Dashboard {
public:
    /// Applies one message; false when its topic or payload is not ours (it is then ignored).
    bool apply(std::string_view topic, std::string_view payload);
    /// The table: one line per sensor, sorted by site then sensor.
    [[nodiscard]] std::string render() const;
    /// The rows, keyed by (site, sensor).
    [[nodiscard]] const std::map<std::pair<std::string, std::string>, SensorRow>& rows() const {
        return rows_;
    }

private:
    std::map<std::pair<std::string, std::string>, SensorRow> rows_;
};

}  // namespace netlab::mqtt
