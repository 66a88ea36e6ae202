// MetricsStore: the embedded Prometheus-style metrics store. Samples go to the WAL and the
// in-memory head (per-series Gorilla chunks); the head is cut into immutable, compressed block
// files by a background thread, which also applies retention. Reads merge blocks and head.
//
// Durability: write()/appendSamples() answer once the WAL record is as durable as `fsync` says.
// Recovery = blocks named by the checkpoint + replay of the WAL from the checkpoint's segment
// (samples already in blocks are skipped). A flush writes its block, then the checkpoint
// (all series with their ids, metadata, the WAL segment to replay from), then truncates the WAL;
// a block newer than the checkpoint is deleted at open since the WAL still holds its samples.
//
// Ingest rules (as Prometheus): per series, a sample older than the newest one is rejected
// (out of order; there is no out-of-order window); the same timestamp with the same value is
// ignored, with another value rejected; both are counted in Stats. New series beyond
// max_series_per_metric for their metric name are rejected and counted.
// Thread-safe: one writer at a time (batches are serialised), readers share a lock.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "model/prometheus/translate.h"
#include "storage/io/file_system.h"
#include "storage/signals/metrics/metrics_reader.h"
#include "storage/signals/metrics/metrics_store_options.h"
#include "storage/signals/metrics/metrics_writer.h"
#include "storage/signals/metrics/series_index.h"
#include "storage/wal/wal.h"

namespace periscope::storage::metrics {

struct SeriesState;
enum class AppendOutcome : uint8_t;

struct MetricsStoreStats {
  std::atomic<uint64_t> samples_appended{0};
  std::atomic<uint64_t> series_created{0};
  std::atomic<uint64_t> rejected_out_of_order{0};
  std::atomic<uint64_t> rejected_duplicate{0};    // same timestamp, different value
  std::atomic<uint64_t> duplicates_ignored{0};    // same timestamp, same value
  std::atomic<uint64_t> rejected_cardinality{0};  // samples of series refused by the limit
  std::atomic<uint64_t> translate_skipped{0};     // OTLP points the Translator could not map
  std::atomic<uint64_t> write_failures{0};
  std::atomic<uint64_t> wal_records_replayed{0};
  std::atomic<uint64_t> wal_samples_replayed{0};
  std::atomic<uint64_t> wal_truncated_bytes{0};
  std::atomic<uint64_t> wal_corrupt_segments{0};
  std::atomic<uint64_t> head_flushes{0};
  std::atomic<uint64_t> flush_failures{0};
  std::atomic<uint64_t> head_series{0};
  std::atomic<uint64_t> head_samples{0};
  std::atomic<uint64_t> blocks{0};
  std::atomic<uint64_t> block_bytes{0};
  std::atomic<uint64_t> block_samples{0};
  std::atomic<uint64_t> retention_deleted_blocks{0};
  std::atomic<uint64_t> blocks_quarantined{0};
};

// One sample for the direct append API: labels sorted by name, unique, `__name__` included.
struct SampleRef {
  std::span<const LabelRef> labels;
  int64_t t = 0;
  double v = 0;
};

class MetricsStore final : public MetricsReader, public MetricsWriter {
 public:
  using NowFn = std::function<int64_t()>;  // wall clock, ms since the epoch (retention)

  static Result<std::unique_ptr<MetricsStore>> open(FileSystem& fs, MetricsStoreOptions options,
                                                    NowFn now = {});
  ~MetricsStore() override;
  // Stops the background thread, flushes the head to a block and closes the WAL. Idempotent.
  Status close();

  // MetricsWriter: OTLP → samples through the Translator (delta state kept per store).
  void write(const model::Metrics& batch, Done done) override;
  Status writeSync(const model::Metrics& batch);

  // Direct append (remote-write receivers, tests, benchmarks). Rejected samples are counted,
  // not errors; done gets UNAVAILABLE only when the WAL cannot take the batch.
  void appendSamples(std::span<const SampleRef> samples, Done done);
  Status appendSamplesSync(std::span<const SampleRef> samples);
  void putMetadata(const model::prom::MetricMetadata& md);

  // MetricsReader.
  Result<std::vector<Series>> select(std::span<const Matcher> matchers, int64_t mint,
                                     int64_t maxt) const override;
  Result<std::vector<Labels>> series(std::span<const Matcher> matchers, int64_t mint,
                                     int64_t maxt) const override;
  Result<std::vector<std::string>> labelNames(std::span<const Matcher> matchers, int64_t mint,
                                              int64_t maxt) const override;
  Result<std::vector<std::string>> labelValues(std::string_view name,
                                               std::span<const Matcher> matchers, int64_t mint,
                                               int64_t maxt) const override;
  std::vector<model::prom::MetricMetadata> metadata(std::string_view metric,
                                                    size_t limit) const override;

  // Maintenance, normally run by the background thread; public for tests and tools.
  Status flushHead();       // cut the whole head into one block, checkpoint, truncate the WAL
  Status applyRetention();  // by age and by total block size

  const MetricsStoreStats& stats() const { return stats_; }
  const MetricsStoreOptions& options() const { return options_; }

 private:
  struct Head;
  struct Block;
  class Ingest;
  MetricsStore(FileSystem& fs, MetricsStoreOptions options, NowFn now);

  Status recover();
  Status loadBlocks(uint64_t checkpoint_block_seq);
  Status readCheckpoint(uint64_t& wal_seq, uint64_t& block_seq);
  Status writeCheckpoint(uint64_t wal_seq);
  Status replayRecord(std::string_view record);
  AppendOutcome appendToHead(SeriesId id, SeriesState& s, int64_t t, double v);
  void commit(Ingest& ingest, Done done);
  void backgroundLoop();
  void refreshSeriesBounds();  // under mu_ (exclusive)
  Status readSeries(SeriesId id, int64_t mint, int64_t maxt, std::vector<Sample>& out,
                    struct PageCache& cache) const;
  Result<std::vector<SeriesId>> matching(std::span<const Matcher> matchers, int64_t mint,
                                         int64_t maxt) const;

  FileSystem& fs_;
  const MetricsStoreOptions options_;
  NowFn now_;
  MetricsStoreStats stats_;

  mutable std::shared_mutex mu_;  // index_, head_, blocks_, metadata_, translator_
  SeriesIndex index_;
  std::unique_ptr<Head> head_;
  std::vector<std::unique_ptr<Block>> blocks_;  // ascending by sequence (= by time)
  std::map<std::string, model::prom::MetricMetadata, std::less<>> metadata_;
  model::prom::Translator translator_;
  std::unique_ptr<Wal> wal_;
  uint64_t next_block_seq_ = 1;

  std::mutex flush_mu_;  // one flush/retention at a time
  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool stop_ = false;
  bool closed_ = false;
  std::thread background_;
};

}  // namespace periscope::storage::metrics
