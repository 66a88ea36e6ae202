// config::Value: a parsed YAML document as a light tree that remembers where every node came
// from (file, line, column, dotted path), so that every config error can point at its source.
// Built once by config/loader.h; read-only afterwards. yaml-cpp stays out of this header.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace periscope::config {

struct Mark {
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based
};

class Value {
 public:
  enum class Kind { kNull, kScalar, kSequence, kMap };

  Kind kind = Kind::kNull;
  std::string scalar;          // kScalar (after ${env:...} expansion)
  bool quoted = false;         // kScalar written quoted or as a block scalar (| >), not plain
  std::vector<Value> items;    // kSequence
  struct Entry;                // a key and its value, defined below
  std::vector<Entry> entries;  // kMap, in document order
  Mark mark;                   // where the value starts
  Mark key_mark;               // where the key that introduced it starts (map entries only)
  std::string path;            // e.g. "receivers.otlp.protocols.grpc.endpoint" or
                               // "service.pipelines.traces.receivers[0]"
  std::shared_ptr<const std::string> file;  // source file name, shared by all nodes of a document

  bool isNull() const { return kind == Kind::kNull; }
  bool isMap() const { return kind == Kind::kMap; }
  bool isScalar() const { return kind == Kind::kScalar; }
  bool isSequence() const { return kind == Kind::kSequence; }
  const Value* find(std::string_view key) const;
  std::string fileName() const { return file ? *file : std::string("<config>"); }
  std::string kindName() const;
};

// Defined after Value so that Value is complete here (a std::pair member would not be, for
// every standard library and compiler).
struct Value::Entry {
  std::string first;  // the key
  Value second;
};

}  // namespace periscope::config
