// The differential oracle shared by the OTLP fuzz targets: libprotobuf's generated messages are
// the reference our decoders are compared against.
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace periscope::fuzz {

// Aborts with libprotobuf's description of the difference unless `want` equals `got`. NaN equals
// NaN: a NaN payload is carried bit for bit, but the comparator would call it unequal to itself.
inline void requireEqual(const google::protobuf::Message& want,
                         const google::protobuf::Message& got) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  std::string report;
  differencer.ReportDifferencesToString(&report);
  if (differencer.Compare(want, got)) return;
  std::fprintf(stderr, "differs from libprotobuf (want → got):\n%s", report.c_str());
  std::abort();
}

// Our protobuf encoding must parse (libprotobuf) to exactly `want`.
template <typename Pb>
void requireEncodes(const Pb& want, const std::string& our_bytes) {
  Pb ours;
  if (!ours.ParseFromString(our_bytes)) {
    std::fprintf(stderr, "libprotobuf rejects our protobuf encoding\n");
    std::abort();
  }
  requireEqual(want, ours);
}

}  // namespace periscope::fuzz
