#include "components/receivers/prometheus/relabel.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace periscope::components::prometheus_receiver {

namespace prom = model::prom;

enum class Action { kReplace, kKeep, kDrop, kLabelMap, kLabelDrop, kLabelKeep };

struct Relabeler::Rule {
  RelabelConfig config;
  Action action = Action::kReplace;
  std::unique_ptr<re2::RE2> re;
};

namespace {

bool isValidLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

Result<Action> parseAction(const std::string& a) {
  if (a == "replace") return Action::kReplace;
  if (a == "keep") return Action::kKeep;
  if (a == "drop") return Action::kDrop;
  if (a == "labelmap") return Action::kLabelMap;
  if (a == "labeldrop") return Action::kLabelDrop;
  if (a == "labelkeep") return Action::kLabelKeep;
  return invalidArgument("unknown relabel action \"" + a +
                         "\"; expected one of replace, keep, drop, labelmap, labeldrop, labelkeep");
}

// Runs an anchored match; fills `groups` (whole match first). False if it does not match.
bool match(const re2::RE2& re, std::string_view text, std::vector<std::string_view>& groups) {
  thread_local std::vector<re2::StringPiece> pieces;
  pieces.assign(static_cast<size_t>(re.NumberOfCapturingGroups()) + 1, {});
  if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), re2::RE2::ANCHOR_BOTH,
                pieces.data(), static_cast<int>(pieces.size())))
    return false;
  groups.clear();
  for (const re2::StringPiece& p : pieces) groups.emplace_back(p.data(), p.size());
  return true;
}

std::string joinSources(const prom::Labels& labels, const RelabelConfig& c) {
  std::string out;
  for (size_t i = 0; i < c.source_labels.size(); ++i) {
    if (i > 0) out += c.separator;
    out += prom::labelValue(labels, c.source_labels[i]);
  }
  return out;
}

}  // namespace

std::string expandTemplate(std::string_view tmpl, const re2::RE2& re,
                           const std::vector<std::string_view>& groups) {
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$' || i + 1 >= tmpl.size()) {
      out += tmpl[i];
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::string_view name;
    size_t end;
    if (tmpl[i + 1] == '{') {
      size_t close = tmpl.find('}', i + 2);
      if (close == std::string_view::npos) {  // Go leaves a malformed reference as written
        out += tmpl[i];
        continue;
      }
      name = tmpl.substr(i + 2, close - i - 2);
      end = close;
    } else {
      size_t j = i + 1;
      while (j < tmpl.size() &&
             (std::isalnum(static_cast<unsigned char>(tmpl[j])) != 0 || tmpl[j] == '_'))
        ++j;
      name = tmpl.substr(i + 1, j - i - 1);
      end = j - 1;
    }
    if (name.empty()) {
      out += tmpl[i];
      continue;
    }
    int index = -1;
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      index = name.size() > 9 ? -1 : std::stoi(std::string(name));
    } else {
      const auto& named = re.NamedCapturingGroups();
      auto it = named.find(std::string(name));
      if (it != named.end()) index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size()) out += groups[index];
    i = end;
  }
  return out;
}

void setLabel(prom::Labels& labels, std::string_view name, std::string_view value) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const prom::Label& l, std::string_view n) { return l.name < n; });
  bool found = it != labels.end() && it->name == name;
  if (value.empty()) {
    if (found) labels.erase(it);
  } else if (found) {
    it->value = std::string(value);
  } else {
    labels.insert(it, prom::Label{std::string(name), std::string(value)});
  }
}

Result<Relabeler> Relabeler::compile(const std::vector<RelabelConfig>& rules,
                                     std::string_view what) {
  Relabeler r;
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string where = std::string(what) + "[" + std::to_string(i) + "]";
    Rule rule;
    rule.config = rules[i];
    auto action = parseAction(rules[i].action);
    if (!action.isOk())
      return invalidArgument(where + ".action: " + std::string(action.status().message()));
    rule.action = *action;
    re2::RE2::Options opts;
    opts.set_log_errors(false);
    rule.re = std::make_unique<re2::RE2>(rules[i].regex, opts);
    if (!rule.re->ok()) return invalidArgument(where + ".regex: " + rule.re->error());
    if (rule.action == Action::kReplace && rules[i].target_label.empty())
      return invalidArgument(where + ": target_label is required for action replace");
    if ((rule.action == Action::kKeep || rule.action == Action::kDrop) &&
        rules[i].source_labels.empty())
      return invalidArgument(where + ": source_labels are required for action " + rules[i].action);
    r.rules_.push_back(std::move(rule));
  }
  return r;
}

Relabeler::Relabeler() = default;
Relabeler::~Relabeler() = default;
Relabeler::Relabeler(Relabeler&&) noexcept = default;
Relabeler& Relabeler::operator=(Relabeler&&) noexcept = default;

bool Relabeler::apply(prom::Labels& labels) const {
  std::vector<std::string_view> groups;
  for (const Rule& rule : rules_) {
    const RelabelConfig& c = rule.config;
    switch (rule.action) {
      case Action::kKeep:
        if (!match(*rule.re, joinSources(labels, c), groups)) return false;
        break;
      case Action::kDrop:
        if (match(*rule.re, joinSources(labels, c), groups)) return false;
        break;
      case Action::kReplace: {
        std::string value = joinSources(labels, c);
        if (!match(*rule.re, value, groups)) break;
        std::string target = expandTemplate(c.target_label, *rule.re, groups);
        if (!isValidLabelName(target)) break;
        setLabel(labels, target, expandTemplate(c.replacement, *rule.re, groups));
        break;
      }
      case Action::kLabelMap: {
        prom::Labels before = labels;
        for (const prom::Label& l : before) {
          if (match(*rule.re, l.name, groups))
            setLabel(labels, expandTemplate(c.replacement, *rule.re, groups), l.value);
        }
        break;
      }
      case Action::kLabelDrop:
      case Action::kLabelKeep: {
        bool drop_matching = rule.action == Action::kLabelDrop;
        std::erase_if(labels, [&](const prom::Label& l) {
          return match(*rule.re, l.name, groups) == drop_matching;
        });
        break;
      }
    }
  }
  return true;
}

}  // namespace periscope::components::prometheus_receiver
