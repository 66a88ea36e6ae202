#include "model/propagation/tracestate.h"

#include <algorithm>

#include "model/propagation/list_members.h"

namespace periscope::model::propagation {
namespace {

bool isLcAlpha(char c) {
  return c >= 'a' && c <= 'z';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isKeyTail(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
  });
}
bool isNonBlank(char c) {
  return c >= 0x21 && c <= 0x7e && c != ',' && c != '=';
}

}  // namespace

bool isValidTraceStateKey(std::string_view key) {
  if (key.empty() || key.size() > 256) return false;
  size_t at = key.find('@');
  if (at == std::string_view::npos) return isLcAlpha(key[0]) && isKeyTail(key.substr(1));
  std::string_view tenant = key.substr(0, at);
  std::string_view system = key.substr(at + 1);
  if (tenant.empty() || tenant.size() > 241 || system.empty() || system.size() > 14) return false;
  return (isLcAlpha(tenant[0]) || isDigit(tenant[0])) && isKeyTail(tenant.substr(1)) &&
         isLcAlpha(system[0]) && isKeyTail(system.substr(1));
}

bool isValidTraceStateValue(std::string_view value) {
  if (value.empty() || value.size() > 256 || !isNonBlank(value.back())) return false;
  return std::all_of(value.begin(), value.end(), [](char c) { return c == ' ' || isNonBlank(c); });
}

Result<TraceState> TraceState::parse(std::string_view header) {
  TraceState ts;
  Status status = forEachListMember(header, [&](std::string_view member, size_t index) {
    if (member.empty()) return Status::ok();
    auto fail = [&](std::string_view why) {
      return invalidArgument("tracestate member " + std::to_string(index) + " \"" +
                             std::string(member) + "\": " + std::string(why));
    };
    size_t eq = member.find('=');
    if (eq == std::string_view::npos) return fail("no '='");
    std::string_view key = member.substr(0, eq), value = member.substr(eq + 1);
    if (!isValidTraceStateKey(key)) return fail("invalid key");
    if (!isValidTraceStateValue(value)) return fail("invalid value");
    if (ts.get(key)) return fail("duplicate key");
    if (ts.members_.size() == kTraceStateMaxMembers) return fail("more than 32 list-members");
    ts.members_.push_back({std::string(key), std::string(value)});
    return Status::ok();
  });
  if (!status.isOk()) return status;
  return ts;
}

std::optional<std::string_view> TraceState::get(std::string_view key) const {
  for (const TraceStateMember& m : members_) {
    if (m.key == key) return m.value;
  }
  return std::nullopt;
}

Status TraceState::put(std::string_view key, std::string_view value) {
  if (!isValidTraceStateKey(key)) {
    return invalidArgument("tracestate key \"" + std::string(key) + "\" is invalid");
  }
  if (!isValidTraceStateValue(value)) {
    return invalidArgument("tracestate value \"" + std::string(value) + "\" for key \"" +
                           std::string(key) + "\" is invalid");
  }
  erase(key);
  members_.insert(members_.begin(), {std::string(key), std::string(value)});
  if (members_.size() > kTraceStateMaxMembers) members_.resize(kTraceStateMaxMembers);
  return Status::ok();
}

void TraceState::erase(std::string_view key) {
  std::erase_if(members_, [&](const TraceStateMember& m) { return m.key == key; });
}

std::string TraceState::format() const {
  std::string out;
  for (const TraceStateMember& m : members_) {
    if (!out.empty()) out += ',';
    out += m.key;
    out += '=';
    out += m.value;
  }
  return out;
}

}  // namespace periscope::model::propagation
