// label_replace() and label_join(): per-series label rewrites. The rewritten label set of a
// series is computed once, not per step; arguments are checked even when no series match,
// as Prometheus checks them on every evaluation.
#include <re2/re2.h>

#include <string>
#include <vector>

#include "query/promql/evaluator.h"
#include "query/promql/label_ops.h"

namespace periscope::query::promql {
namespace {

bool isNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; the longest name after '$' is taken
// ("$1x" is the group named "1x"); unknown groups expand to nothing.
std::string expandTemplate(const RE2& re, std::string_view tmpl,
                           const std::vector<re2::StringPiece>& groups) {
  std::string out;
  const auto& names = re.NamedCapturingGroups();
  while (!tmpl.empty()) {
    size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    out.append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      out += '$';
      tmpl.remove_prefix(1);
      continue;
    }
    std::string_view rest = tmpl;
    bool brace = !rest.empty() && rest[0] == '{';
    if (brace) rest.remove_prefix(1);
    size_t i = 0;
    while (i < rest.size() && isNameChar(rest[i])) ++i;
    if (i == 0 || (brace && (i >= rest.size() || rest[i] != '}'))) {
      out += '$';  // malformed: a literal '$'
      continue;
    }
    std::string_view name = rest.substr(0, i);
    tmpl = rest.substr(i + (brace ? 1 : 0));
    int num = 0;
    for (char c : name) {
      if (c < '0' || c > '9' || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (name.size() > 1 && name[0] == '0') num = -1;
    if (num < 0) {
      auto it = names.find(std::string(name));
      if (it != names.end()) num = it->second;
    }
    if (num >= 0 && static_cast<size_t>(num) < groups.size() && groups[num].data() != nullptr)
      out.append(groups[num].data(), groups[num].size());
  }
  out.append(tmpl);
  return out;
}

}  // namespace

Result<Value> Evaluator::evalLabelReplace(const Call& call) {
  std::string dst(stringArg(call.args[1]));
  std::string repl(stringArg(call.args[2]));
  std::string src(stringArg(call.args[3]));
  std::string pattern(stringArg(call.args[4]));
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 re("^(?:" + pattern + ")$", opts);
  if (!re.ok()) return executionError("invalid regular expression in label_replace(): " + pattern);
  if (!isValidLabelName(dst))
    return executionError("invalid destination label name in label_replace(): " + dst);

  auto v = eval(call.args[0]);
  if (!v.isOk()) return v;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(re.NumberOfCapturingGroups()) + 1);
  for (EvalSeries& s : v->matrix) {
    std::string value(model::prom::labelValue(s.labels, src));
    if (!re.Match(value, 0, value.size(), RE2::ANCHOR_BOTH, groups.data(),
                  static_cast<int>(groups.size())))
      continue;
    std::string res = expandTemplate(re, repl, groups);
    setLabel(s.labels, dst, res);
  }
  PERISCOPE_RETURN_IF_ERROR(mergeSameLabels(v->matrix));
  return v;
}

Result<Value> Evaluator::evalLabelJoin(const Call& call) {
  std::string dst(stringArg(call.args[1]));
  std::string sep(stringArg(call.args[2]));
  std::vector<std::string> srcs;
  for (size_t i = 3; i < call.args.size(); ++i) {
    srcs.emplace_back(stringArg(call.args[i]));
    if (!isValidLabelName(srcs.back()))
      return executionError("invalid source label name in label_join(): " + srcs.back());
  }
  if (!isValidLabelName(dst))
    return executionError("invalid destination label name in label_join(): " + dst);

  auto v = eval(call.args[0]);
  if (!v.isOk()) return v;
  for (EvalSeries& s : v->matrix) {
    std::string joined;
    for (size_t i = 0; i < srcs.size(); ++i) {
      if (i) joined += sep;
      joined += model::prom::labelValue(s.labels, srcs[i]);
    }
    setLabel(s.labels, dst, joined);
  }
  PERISCOPE_RETURN_IF_ERROR(mergeSameLabels(v->matrix));
  return v;
}

}  // namespace periscope::query::promql
