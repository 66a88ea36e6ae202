// histogram_quantile over classic `le` buckets, as Prometheus 2.42's bucketQuantile: buckets
// sorted by upper bound, equal bounds merged, counts made monotonic, NaN without a +Inf
// bucket or observations, linear interpolation inside the bucket holding the rank.
// Internal to query/promql.
#pragma once

#include <span>

namespace periscope::query::promql {

struct Bucket {
  double upper_bound = 0;
  double count = 0;
};

// Reorders and rewrites `buckets`.
double bucketQuantile(double q, std::span<Bucket> buckets);

}  // namespace periscope::query::promql
