#include "components/processors/internal/ottl/ast.h"

#include <charconv>

namespace periscope::ottl {
namespace {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}

std::string printDouble(double d) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest form that reads back the same
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

}  // namespace

const char* toString(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "or";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
  }
  return "?";
}

std::string Node::print() const {
  switch (kind) {
    case Kind::kNil:
      return "nil";
    case Kind::kBool:
      return b ? "true" : "false";
    case Kind::kInt:
      return std::to_string(i);
    case Kind::kFloat:
      return printDouble(d);
    case Kind::kString:
      return quote(text);
    case Kind::kBytes: {
      static const char* hex = "0123456789abcdef";
      std::string out = "0x";
      for (unsigned char c : text) {
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
      }
      return out;
    }
    case Kind::kEnum:
      return text;
    case Kind::kList:
    case Kind::kCall: {
      std::string out = kind == Kind::kList ? "[" : text + "(";
      for (size_t k = 0; k < children.size(); ++k) {
        if (k > 0) out += ", ";
        out += children[k]->print();
      }
      return out + (kind == Kind::kList ? "]" : ")");
    }
    case Kind::kPath: {
      std::string out;
      for (const PathSegment& seg : path) {
        if (seg.key) {
          out += "[" + quote(*seg.key) + "]";
        } else if (seg.index) {
          out += "[" + std::to_string(*seg.index) + "]";
        } else {
          out += (out.empty() ? "" : ".") + seg.name;
        }
      }
      return out;
    }
    case Kind::kNot:
      return "not " + children[0]->print();
    case Kind::kNegate:
      return "-" + children[0]->print();
    case Kind::kBinary:
      return "(" + children[0]->print() + " " + toString(op) + " " + children[1]->print() + ")";
  }
  return "?";
}

std::string ParsedStatement::print() const {
  std::string out = invocation ? invocation->print() : "";
  if (condition) out += (out.empty() ? "" : " where ") + condition->print();
  return out;
}

}  // namespace periscope::ottl
