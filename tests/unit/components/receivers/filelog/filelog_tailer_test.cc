// The filelog engine stepped one poll cycle at a time: globs, start_at, multiline, batching,
// truncation, rotation by rename + create, checkpoints across restarts, and offsets that move
// only when the pipeline accepted the entries.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "components/extensions/file_storage/kv_file.h"
#include "components/receivers/filelog/tailer.h"
#include "filelog_fixture.h"
#include "support/fake_consumer.h"
#include "support/temp_dir.h"

namespace periscope::components::filelog {
namespace {

using testing::appendFile;
using testing::decode;
using ::testing::ElementsAre;
using testing::FakeClock;
using testing::LinesConsumer;
using ::testing::UnorderedElementsAre;
using testing::writeFile;

class FilelogTailer : public ::testing::Test {
 protected:
  std::unique_ptr<Config> config(const std::string& extra) {
    auto c = decode("include: ['" + dir.path().string() + "/*.log']\n" + extra);
    Status st = c->validate();
    EXPECT_TRUE(st.isOk()) << st.toString();
    return c;
  }
  std::unique_ptr<Tailer> tailer(const Config& c, pipeline::StorageClient* storage = nullptr,
                                 TailerLimits limits = {}) {
    auto t = std::make_unique<Tailer>(c, consumer, storage, clock.fn(), limits);
    EXPECT_TRUE(t->restore().isOk());
    return t;
  }
  std::string path(const std::string& name) { return dir.file(name); }

  periscope::testing::TempDir dir;
  LinesConsumer consumer;
  FakeClock clock;
};

TEST_F(FilelogTailer, StartAtBeginningReadsExistingLines) {
  writeFile(path("a.log"), "one\ntwo\r\nthree\n");
  auto c = config("start_at: beginning");
  auto t = tailer(*c);
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("one", "two", "three"));
  EXPECT_EQ(consumer.records[0].attributes.at("log.file.name"), "a.log");
  EXPECT_EQ(consumer.records[0].attributes.count("log.file.path"), 0u);
}

TEST_F(FilelogTailer, StartAtEndSkipsExistingLinesButNotNewFiles) {
  writeFile(path("a.log"), "old\n");
  auto c = config("include_file_path: true");
  auto t = tailer(*c);
  EXPECT_TRUE(t->pollOnce());
  EXPECT_TRUE(consumer.records.empty());
  appendFile(path("a.log"), "new\n");
  writeFile(path("b.log"), "fresh\n");  // appeared after start: read from its beginning
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("new", "fresh"));
  EXPECT_EQ(consumer.records[1].attributes.at("log.file.path"), path("b.log"));
}

TEST_F(FilelogTailer, IncludeAndExcludeGlobs) {
  writeFile(path("app.log"), "app\n");
  writeFile(path("debug.log"), "debug\n");
  writeFile(path("app.txt"), "txt\n");
  std::filesystem::create_directory(path("sub.log"));  // directories never match
  auto c = decode("include: ['" + dir.path().string() + "/*.{log,txt}']\nexclude: ['" +
                  dir.path().string() + "/debug*']\nstart_at: beginning");
  auto t = tailer(*c);
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("app", "txt"));
}

TEST_F(FilelogTailer, AnUnfinishedLineWaitsForForceFlushPeriod) {
  auto c = config("start_at: beginning");
  auto t = tailer(*c);
  writeFile(path("a.log"), "done\npart");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("done"));
  clock.advance(std::chrono::milliseconds(499));
  EXPECT_TRUE(t->pollOnce());
  EXPECT_EQ(consumer.records.size(), 1u);
  appendFile(path("a.log"), "ial");  // growth restarts the wait
  clock.advance(std::chrono::milliseconds(400));
  EXPECT_TRUE(t->pollOnce());
  EXPECT_EQ(consumer.records.size(), 1u);
  clock.advance(std::chrono::milliseconds(500));
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("done", "partial"));
  appendFile(path("a.log"), "\nnext\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("done", "partial", "", "next"));
}

TEST_F(FilelogTailer, MultilineByStartPattern) {
  auto c = config("start_at: beginning\nmultiline: {line_start_pattern: '^\\d{4}-'}");
  auto t = tailer(*c);
  writeFile(
      path("a.log"),
      "2024-01-01 first\n  at a()\n  at b()\n2024-01-02 second\n2024-01-03 third\n  at c()\n");
  EXPECT_TRUE(t->pollOnce());
  // The last entry may still grow: it waits for the next start line or force_flush_period.
  EXPECT_THAT(consumer.bodies(),
              ElementsAre("2024-01-01 first\n  at a()\n  at b()", "2024-01-02 second"));
  clock.advance(std::chrono::milliseconds(500));
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("2024-01-01 first\n  at a()\n  at b()",
                                             "2024-01-02 second", "2024-01-03 third\n  at c()"));
}

TEST_F(FilelogTailer, MultilineByEndPattern) {
  auto c = config("start_at: beginning\nmultiline: {line_end_pattern: ';$'}");
  auto t = tailer(*c);
  writeFile(path("a.log"), "select *\nfrom t;\nselect 1;\nupdate");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("select *\nfrom t;", "select 1;"));
}

TEST_F(FilelogTailer, LongEntriesAreCutAtMaxLogSize) {
  auto c = config("start_at: beginning\nmax_log_size: 4");
  auto t = tailer(*c);
  writeFile(path("a.log"), "abcdefghij\nxy\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("abcd", "efgh", "ij", "xy"));
}

TEST_F(FilelogTailer, EntriesGoInBatches) {
  auto c = config("start_at: beginning");
  TailerLimits limits;
  limits.max_batch_records = 2;
  auto t = tailer(*c, nullptr, limits);
  writeFile(path("a.log"), "1\n2\n3\n4\n5\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_EQ(consumer.accepted_batches, 3);
  EXPECT_THAT(consumer.bodies(), ElementsAre("1", "2", "3", "4", "5"));
}

TEST_F(FilelogTailer, OneBusyFileDoesNotStarveTheOthers) {
  auto c = config("start_at: beginning");
  TailerLimits limits;
  limits.max_batch_records = 1;
  limits.max_batches_per_file = 2;
  auto t = tailer(*c, nullptr, limits);
  writeFile(path("a.log"), "a1\na2\na3\n");
  writeFile(path("b.log"), "b1\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_TRUE(t->backlog());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a1", "a2", "b1"));
  EXPECT_TRUE(t->pollOnce());
  EXPECT_FALSE(t->backlog());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a1", "a2", "b1", "a3"));
}

TEST_F(FilelogTailer, InvalidUtf8IsReplacedUnlessEncodingIsNop) {
  writeFile(path("a.log"), "ok \xC3\xA9\nbad \xFF\xC3\n");
  auto c = config("start_at: beginning");
  auto t = tailer(*c);
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("ok \xC3\xA9", "bad \xEF\xBF\xBD\xEF\xBF\xBD"));
  // nop: bytes bodies, unchanged (shown base64 by the consumer's JSON rendering).
  consumer.records.clear();
  auto nop = config("start_at: beginning\nencoding: nop");
  auto t2 = tailer(*nop);
  EXPECT_TRUE(t2->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("\"b2sgw6k=\"", "\"YmFkIP/D\""));
}

TEST_F(FilelogTailer, OffsetsDoNotAdvanceWhenThePipelineRefuses) {
  auto c = config("start_at: beginning");
  auto t = tailer(*c);
  writeFile(path("a.log"), "a\nb\n");
  consumer.answer = unavailable("exporter down");
  EXPECT_FALSE(t->pollOnce());
  clock.advance(std::chrono::seconds(1));  // the retry backoff
  EXPECT_FALSE(t->pollOnce());
  EXPECT_EQ(t->stats().batches_refused, 2u);
  EXPECT_EQ(t->stats().records_refused, 4u);
  EXPECT_EQ(t->offsets()[0].second, 0u);
  consumer.answer = Status::ok();
  clock.advance(std::chrono::seconds(2));
  appendFile(path("a.log"), "c\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b", "c"));
  EXPECT_EQ(t->offsets()[0].second, 6u);
}

TEST_F(FilelogTailer, ARefusedBatchIsSentAgainAloneAfterLaterOnesWereAccepted) {
  auto c = config("start_at: beginning");
  TailerLimits limits;
  limits.max_batch_records = 1;  // one line per batch; three batches out at once
  auto t = tailer(*c, nullptr, limits);
  writeFile(path("a.log"), "a\nb\nc\n");
  consumer.script = {unavailable("busy"), Status::ok(), Status::ok()};
  EXPECT_FALSE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("b", "c"));
  EXPECT_EQ(t->offsets()[0].second, 0u);  // "a" is not accepted: nothing after it is committed
  clock.advance(std::chrono::seconds(1));
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("b", "c", "a"));  // only "a" again
  EXPECT_EQ(t->offsets()[0].second, 6u);
  EXPECT_EQ(t->stats().records_sent, 3u);
  EXPECT_EQ(t->stats().records_refused, 1u);
}

// Refuses (with `answer`) the batches of one file, by its log.file.name.
class RefusesOneFile : public LinesConsumer {
 public:
  void consume(model::Logs&& logs, pipeline::Done done) override {
    const auto& r = logs.resources().front().scope_logs.front().log_records.front();
    for (const auto& kv : r.attributes) {
      if (kv.key == "log.file.name" && kv.value.str() == file) {
        ++refused_calls;
        done(refusal);
        return;
      }
    }
    LinesConsumer::consume(std::move(logs), std::move(done));
  }
  std::string file;
  Status refusal;
  int refused_calls = 0;
};

TEST_F(FilelogTailer, AFileWhoseBatchesAreRefusedDoesNotStarveTheOthers) {
  auto c = config("start_at: beginning");
  RefusesOneFile refuser;
  refuser.file = "a.log";
  refuser.refusal = unavailable("exporter for a down");
  Tailer t(*c, refuser, nullptr, clock.fn());
  writeFile(path("a.log"), "a1\n");
  writeFile(path("b.log"), "b1\n");
  EXPECT_FALSE(t.pollOnce());
  EXPECT_THAT(refuser.bodies(), ElementsAre("b1"));
  appendFile(path("b.log"), "b2\n");
  t.pollOnce();
  EXPECT_THAT(refuser.bodies(), ElementsAre("b1", "b2"));
  EXPECT_EQ(refuser.refused_calls, 1);  // a.log waits for its backoff (1s) meanwhile
  clock.advance(std::chrono::seconds(1));
  EXPECT_FALSE(t.pollOnce());
  EXPECT_EQ(refuser.refused_calls, 2);
  clock.advance(std::chrono::seconds(1));  // the backoff doubled: 2s now
  t.pollOnce();
  EXPECT_EQ(refuser.refused_calls, 2);
  clock.advance(std::chrono::seconds(1));
  refuser.file.clear();
  EXPECT_TRUE(t.pollOnce());
  EXPECT_THAT(refuser.bodies(), ElementsAre("b1", "b2", "a1"));
  EXPECT_THAT(t.offsets(), ElementsAre(std::pair<std::string, uint64_t>(path("a.log"), 3),
                                       std::pair<std::string, uint64_t>(path("b.log"), 6)));
}

TEST_F(FilelogTailer, APermanentRefusalDropsTheBatchAndCountsIt) {
  auto c = config("start_at: beginning");
  TailerLimits limits;
  limits.max_batch_records = 1;
  auto t = tailer(*c, nullptr, limits);
  writeFile(path("a.log"), "bad\ngood\n");
  writeFile(path("b.log"), "b\n");
  consumer.script = {invalidArgument("malformed record")};
  EXPECT_TRUE(t->pollOnce());  // nothing waits for a retry
  EXPECT_THAT(consumer.bodies(), ElementsAre("good", "b"));
  EXPECT_EQ(t->stats().batches_rejected, 1u);
  EXPECT_EQ(t->stats().records_rejected, 1u);
  EXPECT_EQ(t->stats().records_sent, 2u);
  EXPECT_EQ(t->offsets()[0].second, 9u);  // past the dropped batch
  appendFile(path("a.log"), "next\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("good", "b", "next"));
  EXPECT_EQ(consumer.calls, 4);  // "bad" was sent once
}

TEST_F(FilelogTailer, SeveralBatchesOfAFileAreInFlightAtOnce) {
  auto c = config("start_at: beginning");
  TailerLimits limits;
  limits.max_batch_records = 1;
  limits.max_batches_in_flight = 3;
  periscope::testing::RecordingConsumer<model::Logs> held;
  held.hold = true;  // answers come when the test says (as from a batch processor)
  Tailer t(*c, held, nullptr, clock.fn(), limits);
  writeFile(path("a.log"), "1\n2\n3\n4\n5\n");
  bool ok = false;
  std::thread poller([&] { ok = t.pollOnce(); });
  ASSERT_TRUE(held.waitForBatches(3));
  // The window is full: a fourth batch needs an answer first.
  EXPECT_EQ(held.counts.size(), 3u);
  held.hold = false;
  held.releaseHeld(Status::ok());
  poller.join();
  EXPECT_TRUE(ok);
  EXPECT_EQ(held.totalItems(), 5u);
  EXPECT_EQ(t.offsets()[0].second, 10u);
}

TEST_F(FilelogTailer, AStopWaitsForAnswersOnlyUntilItsDeadline) {
  auto kv = file_storage::KvFile::open(path("checkpoints.kv"), false);
  ASSERT_TRUE(kv.isOk());
  auto c = config("start_at: beginning");
  TailerLimits limits;
  limits.max_batch_records = 1;
  limits.max_batches_in_flight = 3;
  periscope::testing::RecordingConsumer<model::Logs> held;
  held.hold = true;  // answers come when the test says; two never before the stop
  std::vector<pipeline::Done> late;
  {
    Tailer t(*c, held, kv->get(), clock.fn(), limits);
    writeFile(path("a.log"), "1\n2\n3\n");
    std::thread poller([&] { t.pollOnce(); });
    ASSERT_TRUE(held.waitForBatches(3));
    held.held[0](Status::ok());
    t.requestStop(std::chrono::steady_clock::now());  // already due: no more waiting
    poller.join();
    EXPECT_TRUE(t.deadlinePassed());
    EXPECT_EQ(t.offsets()[0].second, 2u);  // what was accepted, nothing after
    late = {held.held[1], held.held[2]};
  }
  for (auto& done : late) done(Status::ok());  // answers after the Tailer is gone are harmless
  auto doc = (*kv)->get(kCheckpointKey);
  ASSERT_TRUE(doc.isOk() && doc->has_value());
  std::vector<Checkpoint> saved;
  ASSERT_TRUE(decodeCheckpoints(**doc, saved).isOk());
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved[0].offset, 2u);
}

TEST_F(FilelogTailer, TruncationRestartsAtZeroAndIsCounted) {
  auto c = config("start_at: beginning");
  auto t = tailer(*c);
  writeFile(path("a.log"), "first line\nsecond line\n");
  EXPECT_TRUE(t->pollOnce());
  writeFile(path("a.log"), "x\n");  // O_TRUNC: same inode, smaller
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("first line", "second line", "x"));
  EXPECT_EQ(t->stats().truncations, 1u);
  // Truncated and refilled past the old offset before the next poll: the first bytes differ.
  writeFile(path("a.log"), "completely different content\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_EQ(consumer.bodies().back(), "completely different content");
  EXPECT_EQ(t->stats().truncations, 2u);
}

TEST_F(FilelogTailer, ATruncationKeepsTheLinesOfARefusedBatch) {
  auto c = config("start_at: beginning");
  TailerLimits limits;
  limits.max_batch_records = 1;
  auto t = tailer(*c, nullptr, limits);
  writeFile(path("a.log"), "a\nb\n");
  consumer.script = {unavailable("busy"), Status::ok()};
  EXPECT_FALSE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("b"));
  writeFile(path("a.log"), "x\n");  // "a" is not in the file any more
  clock.advance(std::chrono::seconds(1));
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("b", "a", "x"));
  EXPECT_EQ(t->stats().truncations, 1u);
  EXPECT_EQ(t->offsets()[0].second, 2u);
}

TEST_F(FilelogTailer, RotationByRenameAndCreateLosesAndRepeatsNothing) {
  auto c = config("start_at: beginning");
  auto t = tailer(*c);
  writeFile(path("app.log"), "1\n2\n");
  EXPECT_TRUE(t->pollOnce());
  appendFile(path("app.log"), "3\n4\n");  // written before the rotation, not read yet
  std::filesystem::rename(path("app.log"), path("app.log.1"));  // out of the glob
  writeFile(path("app.log"), "1\n5\n");                         // same first line as the old file
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("1", "2", "3", "4", "1", "5"));
  EXPECT_EQ(t->stats().files_closed, 1u);  // the renamed file was finished and closed
  appendFile(path("app.log"), "6\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_EQ(consumer.bodies().back(), "6");
  EXPECT_EQ(consumer.records.size(), 7u);
}

TEST_F(FilelogTailer, RotationWithinTheGlobKeepsTheOffset) {
  auto c = decode("include: ['" + dir.path().string() + "/app.log*']\nstart_at: beginning");
  auto t = tailer(*c);
  writeFile(path("app.log"), "a\n");
  EXPECT_TRUE(t->pollOnce());
  appendFile(path("app.log"), "b\n");
  std::filesystem::rename(path("app.log"), path("app.log.1"));
  writeFile(path("app.log"), "c\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b", "c"));
  EXPECT_EQ(consumer.records[1].attributes.at("log.file.name"), "app.log.1");
}

// copytruncate: logrotate copies app.log to app.log.1, then truncates app.log. The copy is in
// the glob; whichever the order of the cycles, each line arrives exactly once.
class FilelogCopytruncate : public FilelogTailer {
 protected:
  std::unique_ptr<Config> globConfig() {
    return decode("include: ['" + dir.path().string() + "/app.log*']\nstart_at: beginning");
  }
  void copy() { std::filesystem::copy_file(path("app.log"), path("app.log.1")); }
  void truncateAndWrite(const std::string& text) {
    std::filesystem::resize_file(path("app.log"), 0);
    appendFile(path("app.log"), text);
  }
};

TEST_F(FilelogCopytruncate, ACycleBetweenTheCopyAndTheTruncation) {
  auto c = globConfig();
  auto t = tailer(*c);
  writeFile(path("app.log"), "a\nb\n");
  EXPECT_TRUE(t->pollOnce());
  appendFile(path("app.log"), "c\n");  // not read yet when the copy is made
  copy();
  EXPECT_TRUE(t->pollOnce());  // the original is intact: it reads "c"; the copy waits
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b", "c"));
  truncateAndWrite("d\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b", "c", "d"));
  EXPECT_EQ(t->stats().truncations, 1u);
  appendFile(path("app.log.1"), "late\n");  // the copy is followed like any file from there
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b", "c", "d", "late"));
}

TEST_F(FilelogCopytruncate, ACycleAfterTheCopyAndTheTruncation) {
  auto c = globConfig();
  auto t = tailer(*c);
  writeFile(path("app.log"), "a\nb\n");
  EXPECT_TRUE(t->pollOnce());
  appendFile(path("app.log"), "c\n");  // only in the copy after the truncation
  copy();
  truncateAndWrite("d\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), UnorderedElementsAre("a", "b", "c", "d"));  // two files
}

TEST_F(FilelogCopytruncate, ACopyStillShorterThanTheOriginalWaits) {
  auto c = globConfig();
  auto t = tailer(*c);
  writeFile(path("app.log"), "a\nb\n");
  EXPECT_TRUE(t->pollOnce());
  writeFile(path("app.log.1"), "a\n");  // the copy is being written
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b"));
  appendFile(path("app.log.1"), "b\n");
  truncateAndWrite("c\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b", "c"));
}

TEST_F(FilelogCopytruncate, ARefusedBatchIsReadFromTheCopyAndTheAcceptedOnesAreNot) {
  auto c = globConfig();
  TailerLimits limits;
  limits.max_batch_records = 1;
  auto t = tailer(*c, nullptr, limits);
  writeFile(path("app.log"), "a\nb\n");
  consumer.script = {unavailable("busy"), Status::ok()};
  EXPECT_FALSE(t->pollOnce());
  copy();
  truncateAndWrite("c\n");
  EXPECT_TRUE(t->pollOnce());  // no backoff to wait for: the copy has "a"
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), UnorderedElementsAre("b", "a", "c"));
}

TEST_F(FilelogCopytruncate, ARestartBetweenTheCopyAndTheTruncation) {
  auto kv = file_storage::KvFile::open(path("checkpoints.kv"), false);
  ASSERT_TRUE(kv.isOk());
  auto c = globConfig();
  writeFile(path("app.log"), "a\nb\n");
  {
    auto t = tailer(*c, kv->get());
    EXPECT_TRUE(t->pollOnce());
    copy();
    EXPECT_TRUE(t->pollOnce());
  }
  auto t = tailer(*c, kv->get());
  EXPECT_TRUE(t->pollOnce());
  truncateAndWrite("c\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b", "c"));
}

TEST_F(FilelogCopytruncate, AFileThatOnlyStartsLikeAnotherIsReadWhenItDiffers) {
  auto c = globConfig();
  auto t = tailer(*c);
  writeFile(path("app.log"), "a\nb\n");
  EXPECT_TRUE(t->pollOnce());
  writeFile(path("app.log.x"), "a\n");  // could be a copy being written
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b"));
  appendFile(path("app.log.x"), "x\n");  // it is not: read from its beginning
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b", "a", "x"));
}

TEST_F(FilelogTailer, CheckpointsResumeAfterRestartWithoutLossOrDuplicates) {
  auto kv = file_storage::KvFile::open(path("checkpoints.kv"), false);
  ASSERT_TRUE(kv.isOk());
  auto c = config("");  // start_at: end must not apply to a file with a checkpoint
  writeFile(path("a.log"), "before start\n");
  {
    auto t = tailer(*c, kv->get());
    EXPECT_TRUE(t->pollOnce());
    appendFile(path("a.log"), "one\ntwo\n");
    EXPECT_TRUE(t->pollOnce());
  }
  EXPECT_THAT(consumer.bodies(), ElementsAre("one", "two"));
  appendFile(path("a.log"), "three\n");  // written while the receiver was down
  writeFile(path("b.log"), "b1\n");      // also new while down, no checkpoint: start_at end
  {
    auto t = tailer(*c, kv->get());
    EXPECT_TRUE(t->pollOnce());
    appendFile(path("b.log"), "b2\n");
    EXPECT_TRUE(t->pollOnce());
  }
  EXPECT_THAT(consumer.bodies(), ElementsAre("one", "two", "three", "b2"));
  auto doc = (*kv)->get(kCheckpointKey);
  ASSERT_TRUE(doc.isOk() && doc->has_value());
  std::vector<Checkpoint> saved;
  ASSERT_TRUE(decodeCheckpoints(**doc, saved).isOk());
  ASSERT_EQ(saved.size(), 2u);
  EXPECT_EQ(saved[0].offset + saved[1].offset, 27u + 6u);
}

TEST_F(FilelogTailer, ARefusedBatchIsReadAgainAfterRestart) {
  auto kv = file_storage::KvFile::open(path("checkpoints.kv"), false);
  auto c = config("start_at: beginning");
  writeFile(path("a.log"), "a\nb\n");
  {
    auto t = tailer(*c, kv->get());
    consumer.answer = unavailable("down");
    EXPECT_FALSE(t->pollOnce());
  }
  consumer.answer = Status::ok();
  auto t = tailer(*c, kv->get());
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("a", "b"));
}

TEST_F(FilelogTailer, BatchesAcceptedBehindARefusedOneAreNotSentAgainAfterRestart) {
  auto kv = file_storage::KvFile::open(path("checkpoints.kv"), false);
  ASSERT_TRUE(kv.isOk());
  auto c = config("start_at: beginning");
  TailerLimits limits;
  limits.max_batch_records = 1;  // F1..F4: one line each, all out at once
  writeFile(path("a.log"), "a\nb\nc\nd\n");
  {
    auto t = tailer(*c, kv->get(), limits);
    consumer.script = {unavailable("busy"), Status::ok(), Status::ok(), Status::ok()};
    EXPECT_FALSE(t->pollOnce());
    EXPECT_THAT(consumer.bodies(), ElementsAre("b", "c", "d"));
  }  // stopped with F1 refused
  auto doc = (*kv)->get(kCheckpointKey);
  ASSERT_TRUE(doc.isOk() && doc->has_value());
  std::vector<Checkpoint> saved;
  ASSERT_TRUE(decodeCheckpoints(**doc, saved).isOk());
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved[0].offset, 0u);
  using Range = std::pair<uint64_t, uint64_t>;
  EXPECT_THAT(saved[0].accepted, ElementsAre(Range(2, 4), Range(4, 6), Range(6, 8)));
  auto t = tailer(*c, kv->get(), limits);
  appendFile(path("a.log"), "e\n");
  EXPECT_TRUE(t->pollOnce());
  EXPECT_THAT(consumer.bodies(), ElementsAre("b", "c", "d", "a", "e"));  // F1 alone, then new
  EXPECT_EQ(t->offsets()[0].second, 10u);
  EXPECT_EQ(t->stats().batches_skipped, 3u);
}

TEST_F(FilelogTailer, CheckpointsWithoutAcceptedRangesStillDecode) {
  std::vector<Checkpoint> files;
  ASSERT_TRUE(
      decodeCheckpoints(R"({"version":1,"files":[{"fingerprint":"6162","offset":3}]})", files)
          .isOk());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].fingerprint, "ab");
  EXPECT_TRUE(files[0].accepted.empty());
  files[0].accepted = {{5, 7}};
  std::vector<Checkpoint> again;
  ASSERT_TRUE(decodeCheckpoints(encodeCheckpoints(files), again).isOk());
  EXPECT_EQ(again[0].accepted, files[0].accepted);
  EXPECT_EQ(
      decodeCheckpoints(R"({"files":[{"fingerprint":"61","offset":3,"accepted":[[2,4]]}]})", again)
          .code(),
      StatusCode::kInvalidArgument);  // a range before the offset
}

TEST_F(FilelogTailer, OperatorsShapeTheRecords) {
  auto c = config(R"(start_at: beginning
resource: {service.name: checkout}
attributes: {env: test}
operators:
  - type: json_parser
    timestamp: {parse_from: attributes.time, layout: '%Y-%m-%dT%H:%M:%S%z'}
    severity: {parse_from: attributes.level}
)");
  auto t = tailer(*c);
  writeFile(
      path("a.log"),
      R"({"time":"2024-05-01T10:34:56+0000","level":"error","msg":"boom","traceId":"5759e988bd862e3fe1be46a994272793","spanId":"53995c3f42cd8ad8"})"
      "\n");
  EXPECT_TRUE(t->pollOnce());
  ASSERT_EQ(consumer.records.size(), 1u);
  const auto& r = consumer.records[0];
  EXPECT_EQ(r.time, 1714559696000000000u);
  EXPECT_EQ(r.severity, 17);
  EXPECT_EQ(r.severity_text, "error");
  EXPECT_EQ(r.trace_id, "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(r.span_id, "53995c3f42cd8ad8");
  EXPECT_EQ(r.attributes.at("msg"), "boom");
  EXPECT_EQ(r.attributes.at("env"), "test");
  EXPECT_EQ(r.resource.at("service.name"), "checkout");
}

}  // namespace
}  // namespace periscope::components::filelog
