// AttrProc: the collector's attribute action engine (internal/coreinternal/attraction), shared by
// the attributes and resource processors. Built once from the config (regexes compiled, values
// typed, every mistake reported with the collector's message); process() then applies the
// actions in order to one attribute list. Immutable after create(): safe to share between
// pipelines and threads.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "common/arena.h"
#include "common/digest.h"
#include "common/status.h"
#include "components/processors/internal/attraction/action_config.h"
#include "components/processors/internal/attraction/convert_value.h"
#include "model/any_value.h"

namespace periscope::components::attraction {

enum class Action : uint8_t { kInsert, kUpdate, kUpsert, kDelete, kHash, kExtract, kConvert };

// SHA-256, as the collector's current code (its coreinternal.attraction.hash.sha256 gate went
// stable; older READMEs still say SHA-1), so pseudonyms match a current collector's.
inline constexpr DigestAlgorithm kHashAlgorithm = DigestAlgorithm::kSha256;

class AttrProc {
 public:
  // Validates and compiles `actions`; errors name the action by its index like the collector
  // ("... at the 2-th actions").
  static Result<std::shared_ptr<const AttrProc>> create(const std::vector<ActionConfig>& actions,
                                                        DigestAlgorithm hash = kHashAlgorithm);

  // Applies every action to `attrs`; additions and new values are copied into `arena`.
  void process(Arena& arena, model::Attributes& attrs) const;

  bool empty() const { return actions_.empty(); }

 private:
  struct Compiled {
    Action action;
    std::string key;
    std::string from_attribute;
    LiteralValue value;                    // set: the value source
    LiteralValue default_value;            // set: fallback when from_attribute finds nothing
    std::unique_ptr<RE2> regex;            // delete/hash key pattern, or extract pattern
    std::vector<std::string> group_names;  // extract: name of capture group i+1
    ConvertTo convert_to = ConvertTo::kNone;
  };

  void set(Arena& arena, model::Attributes& attrs, const Compiled& a) const;
  void hash(Arena& arena, model::AnyValue& value) const;
  static void extract(Arena& arena, model::Attributes& attrs, const Compiled& a);

  std::vector<Compiled> actions_;
  DigestAlgorithm hash_ = kHashAlgorithm;
};

}  // namespace periscope::components::attraction
