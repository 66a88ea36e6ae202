#include "components/exporters/file/file_exporter.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>

#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"
#include "pipeline/helpers/sync_exporter.h"

namespace periscope::components::file_exporter {

namespace fs = std::filesystem;

const config::Schema<Rotation>& Rotation::schema() {
  static const auto s =
      config::Schema<Rotation>()
          .field("max_megabytes", &Rotation::max_megabytes, "Size at which the file is rotated.")
          .field("max_days", &Rotation::max_days,
                 "Backups older than this are deleted (0 = never).")
          .field("max_backups", &Rotation::max_backups, "Backups kept (0 = all).")
          .field("localtime", &Rotation::localtime, "Backup names use local time instead of UTC.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("path", &Config::path, "File to write (required).")
          .choice("format", &Config::format, {"json", "proto"},
                  "json: one OTLP/JSON request per line; proto: 4-byte big-endian length + "
                  "protobuf request.")
          .field("append", &Config::append,
                 "Append to an existing file instead of truncating it at start.")
          .field("rotation", &Config::rotation, "Rotate the file by size (present = enabled).")
          .field("flush_interval", &Config::flush_interval,
                 "Accepted for compatibility; every batch is flushed to the OS when written.");
  return s;
}

Status Config::validate() const {
  if (path.empty()) return invalidArgument("path must be non-empty");
  if (rotation && rotation->max_megabytes <= 0)
    return invalidArgument("rotation.max_megabytes must be positive");
  return Status::ok();
}

namespace {

// Our backups are <stem>-YYYY-MM-DDTHH-MM-SS.mmm[-N]<ext>; other files in the folder stay.
bool isBackupName(const std::string& name, const std::string& prefix, const std::string& ext) {
  if (name.size() < prefix.size() + 23 + ext.size() || name.rfind(prefix, 0) != 0) return false;
  if (name.compare(name.size() - ext.size(), ext.size(), ext) != 0) return false;
  std::string stamp = name.substr(prefix.size(), 23);  // 2026-11-23T23-59-59.123
  const std::string shape = "dddd-dd-ddTdd-dd-dd.ddd";
  for (size_t i = 0; i < shape.size(); ++i) {
    bool ok = shape[i] == 'd' ? std::isdigit(static_cast<unsigned char>(stamp[i])) != 0
                              : stamp[i] == shape[i];
    if (!ok) return false;
  }
  return true;
}

class Exporter final : public pipeline::SyncExporter {
 public:
  Exporter(const component::Settings& s, const Config& c,
           const std::vector<pipeline::Signal>& signals)
      : SyncExporter(s, signals), config_(c) {}
  ~Exporter() override { closeFile(); }

  Status start(component::Host&) override {
    std::lock_guard lock(mu_);
    return open(config_.append);
  }
  Status shutdown(component::Deadline) override {
    std::lock_guard lock(mu_);
    stopped_ = true;
    closeFile();
    return Status::ok();
  }

 protected:
  Status push(const model::Traces& d) override { return write(d); }
  Status push(const model::Metrics& d) override { return write(d); }
  Status push(const model::Logs& d) override { return write(d); }

 private:
  template <typename T>
  Status write(const T& data) {
    std::string record;
    if (config_.format == "json") {
      model::otlp::encodeJson(data, record);
      record += '\n';
    } else {
      std::string body;
      model::otlp::encode(data, body);
      uint32_t n = static_cast<uint32_t>(body.size());
      char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                     static_cast<char>(n >> 8), static_cast<char>(n)};
      record.append(len, 4);
      record += body;
    }
    std::lock_guard lock(mu_);
    if (stopped_) return unavailable("file exporter " + config_.path + " is shut down");
    if (file_ == nullptr) PERISCOPE_RETURN_IF_ERROR(open(true));
    if (config_.rotation && written_ > 0 &&
        written_ + record.size() > static_cast<uint64_t>(config_.rotation->max_megabytes) << 20) {
      PERISCOPE_RETURN_IF_ERROR(rotate());
    }
    if (std::fwrite(record.data(), 1, record.size(), file_) != record.size() ||
        std::fflush(file_) != 0) {
      // Cut a partly written record off, or every later record would be misaligned.
      std::string why = std::strerror(errno);
      if (ftruncate(fileno(file_), static_cast<off_t>(written_)) == 0)
        std::fseek(file_, 0, SEEK_END);
      return unavailable("write " + config_.path + ": " + why);
    }
    written_ += record.size();
    return Status::ok();
  }

  Status open(bool append) {
    if (file_ != nullptr) return Status::ok();
    fs::path p(config_.path);
    std::error_code ec;
    if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
    file_ = std::fopen(config_.path.c_str(), append ? "ab" : "wb");
    if (file_ == nullptr) return unavailable("open " + config_.path + ": " + std::strerror(errno));
    uintmax_t size = append ? fs::file_size(p, ec) : 0;
    written_ = ec ? 0 : static_cast<uint64_t>(size);
    return Status::ok();
  }

  void closeFile() {
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
  }

  // Renames the current file to name-<timestamp>.ext (as lumberjack does) and starts a new one.
  Status rotate() {
    closeFile();
    fs::path p(config_.path);
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    if (config_.rotation->localtime)
      localtime_r(&now, &tm);
    else
      gmtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count() %
              1000;
    char full[48];
    std::snprintf(full, sizeof full, "%s.%03d", stamp, static_cast<int>(ms));
    fs::path backup = p.parent_path() / (p.stem().string() + "-" + full + p.extension().string());
    std::error_code exists_ec;
    for (int i = 1; fs::exists(backup, exists_ec); ++i) {
      backup = p.parent_path() /
               (p.stem().string() + "-" + full + "-" + std::to_string(i) + p.extension().string());
    }
    std::error_code ec;
    fs::rename(p, backup, ec);
    if (ec) return unavailable("rotate " + config_.path + ": " + ec.message());
    pruneBackups();
    return open(false);
  }

  void pruneBackups() {
    fs::path p(config_.path);
    std::string prefix = p.stem().string() + "-";
    std::vector<fs::directory_entry> backups;
    std::error_code ec;
    fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    // Non-throwing iteration: this runs on the data path.
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::directory_entry& e = *it;
      std::string name = e.path().filename().string();
      if (isBackupName(name, prefix, p.extension().string()) && e.path() != p) backups.push_back(e);
    }
    std::sort(backups.begin(), backups.end(), [](const auto& a, const auto& b) {
      return a.path().filename() > b.path().filename();
    });
    auto now = fs::file_time_type::clock::now();
    for (size_t i = 0; i < backups.size(); ++i) {
      bool too_many = config_.rotation->max_backups > 0 &&
                      i >= static_cast<size_t>(config_.rotation->max_backups);
      bool too_old =
          config_.rotation->max_days > 0 && now - backups[i].last_write_time(ec) >
                                                std::chrono::hours(24 * config_.rotation->max_days);
      if (too_many || too_old) fs::remove(backups[i].path(), ec);
    }
  }

  Config config_;
  std::mutex mu_;
  std::FILE* file_ = nullptr;
  uint64_t written_ = 0;
  bool stopped_ = false;
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<pipeline::AllSignalsExporterFactory<Config, Exporter>>(
      "file", "Writes telemetry to a file as OTLP/JSON lines or length-prefixed protobuf.");
}

}  // namespace periscope::components::file_exporter
