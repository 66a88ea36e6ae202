#include "query/logs/ast.h"

namespace periscope::query::logs {

std::string_view compareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEqual:
      return "=";
    case CompareOp::kNotEqual:
      return "!=";
    case CompareOp::kRegexMatch:
      return "=~";
    case CompareOp::kRegexNoMatch:
      return "!~";
    case CompareOp::kGreater:
      return ">";
    case CompareOp::kGreaterEqual:
      return ">=";
    case CompareOp::kLess:
      return "<";
    case CompareOp::kLessEqual:
      return "<=";
  }
  return "?";
}

bool isRegexOp(CompareOp op) {
  return op == CompareOp::kRegexMatch || op == CompareOp::kRegexNoMatch;
}

bool isOrderingOp(CompareOp op) {
  return op == CompareOp::kGreater || op == CompareOp::kGreaterEqual || op == CompareOp::kLess ||
         op == CompareOp::kLessEqual;
}

std::string_view lineFilterOpText(LineFilterOp op) {
  switch (op) {
    case LineFilterOp::kContains:
      return "|=";
    case LineFilterOp::kNotContains:
      return "!=";
    case LineFilterOp::kRegexMatch:
      return "|~";
    case LineFilterOp::kRegexNoMatch:
      return "!~";
  }
  return "?";
}

std::string_view rangeFunctionName(RangeFunction f) {
  switch (f) {
    case RangeFunction::kCountOverTime:
      return "count_over_time";
    case RangeFunction::kRate:
      return "rate";
    case RangeFunction::kBytesOverTime:
      return "bytes_over_time";
    case RangeFunction::kBytesRate:
      return "bytes_rate";
  }
  return "?";
}

std::string_view vectorAggregatorName(VectorAggregator a) {
  switch (a) {
    case VectorAggregator::kSum:
      return "sum";
    case VectorAggregator::kAvg:
      return "avg";
    case VectorAggregator::kMin:
      return "min";
    case VectorAggregator::kMax:
      return "max";
    case VectorAggregator::kCount:
      return "count";
    case VectorAggregator::kTopk:
      return "topk";
  }
  return "?";
}

}  // namespace periscope::query::logs
