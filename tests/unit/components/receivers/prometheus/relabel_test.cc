#include "components/receivers/prometheus/relabel.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

namespace periscope::components::prometheus_receiver {
namespace {

namespace prom = model::prom;

Relabeler compileOrDie(const std::vector<RelabelConfig>& rules) {
  auto r = Relabeler::compile(rules, "relabel_configs");
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return std::move(r).value();
}

prom::Labels base() {
  return {{"__address__", "10.0.0.1:9100"},
          {"__meta_env", "prod"},
          {"__meta_team", "core"},
          {"job", "node"}};
}

TEST(Relabel, ReplaceWithGroupsAndTargetTemplate) {
  RelabelConfig rule;
  rule.source_labels = {"__address__", "job"};
  rule.separator = "/";
  rule.regex = "([^:]+):(\\d+)/(.*)";
  rule.target_label = "${3}_host";
  rule.replacement = "$1 port $2 $$";
  auto r = compileOrDie({rule});
  prom::Labels l = base();
  ASSERT_TRUE(r.apply(l));
  EXPECT_EQ(prom::labelValue(l, "node_host"), "10.0.0.1 port 9100 $");
  // Go reads "$1x" as the (absent) group named "1x": empty, so the label is removed.
  rule.target_label = "job";
  rule.replacement = "$1x";
  r = compileOrDie({rule});
  ASSERT_TRUE(r.apply(l));
  EXPECT_EQ(prom::labelValue(l, "job"), "");
}

TEST(Relabel, ReplaceSkipsWhenRegexDoesNotMatchWholeValue) {
  RelabelConfig rule;
  rule.source_labels = {"job"};
  rule.regex = "nod";  // anchored: "node" does not match
  rule.target_label = "x";
  rule.replacement = "y";
  auto r = compileOrDie({rule});
  prom::Labels l = base();
  ASSERT_TRUE(r.apply(l));
  EXPECT_EQ(l, base());
}

TEST(Relabel, KeepAndDrop) {
  RelabelConfig keep;
  keep.source_labels = {"__meta_env"};
  keep.regex = "prod|staging";
  keep.action = "keep";
  prom::Labels l = base();
  EXPECT_TRUE(compileOrDie({keep}).apply(l));
  keep.regex = "staging";
  EXPECT_FALSE(compileOrDie({keep}).apply(l));
  RelabelConfig drop = keep;
  drop.action = "drop";
  drop.regex = "pr.*";
  EXPECT_FALSE(compileOrDie({drop}).apply(l));
  drop.regex = "dev";
  EXPECT_TRUE(compileOrDie({drop}).apply(l));
}

TEST(Relabel, LabelMapDropKeep) {
  RelabelConfig map;
  map.action = "labelmap";
  map.regex = "__meta_(.+)";
  map.replacement = "meta_$1";
  prom::Labels l = base();
  ASSERT_TRUE(compileOrDie({map}).apply(l));
  EXPECT_EQ(l, (prom::Labels{{"__address__", "10.0.0.1:9100"},
                             {"__meta_env", "prod"},
                             {"__meta_team", "core"},
                             {"job", "node"},
                             {"meta_env", "prod"},
                             {"meta_team", "core"}}));
  RelabelConfig drop;
  drop.action = "labeldrop";
  drop.regex = "__meta_.*|meta_team";
  ASSERT_TRUE(compileOrDie({drop}).apply(l));
  EXPECT_EQ(
      l, (prom::Labels{{"__address__", "10.0.0.1:9100"}, {"job", "node"}, {"meta_env", "prod"}}));
  RelabelConfig keep;
  keep.action = "labelkeep";
  keep.regex = "job|__.*";
  ASSERT_TRUE(compileOrDie({keep}).apply(l));
  EXPECT_EQ(l, (prom::Labels{{"__address__", "10.0.0.1:9100"}, {"job", "node"}}));
}

TEST(Relabel, RulesApplyInOrder) {
  RelabelConfig a;
  a.source_labels = {"__meta_team"};
  a.target_label = "team";
  RelabelConfig b;
  b.source_labels = {"team"};
  b.regex = "core";
  b.action = "drop";
  prom::Labels l = base();
  EXPECT_FALSE(compileOrDie({a, b}).apply(l));
}

TEST(Relabel, CompileErrorsNameTheRule) {
  RelabelConfig ok;
  ok.target_label = "x";
  RelabelConfig bad_regex = ok;
  bad_regex.regex = "(a";
  auto r = Relabeler::compile({ok, bad_regex}, "relabel_configs");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "relabel_configs[1].regex: missing ): (a");
  RelabelConfig no_target;
  r = Relabeler::compile({no_target}, "metric_relabel_configs");
  EXPECT_EQ(r.status().message(),
            "metric_relabel_configs[0]: target_label is required for action replace");
  RelabelConfig keep;
  keep.action = "keep";
  r = Relabeler::compile({keep}, "relabel_configs");
  EXPECT_EQ(r.status().message(), "relabel_configs[0]: source_labels are required for action keep");
  RelabelConfig unknown;
  unknown.action = "hashmod";
  r = Relabeler::compile({unknown}, "relabel_configs");
  EXPECT_EQ(r.status().message(),
            "relabel_configs[0].action: unknown relabel action \"hashmod\"; expected one of "
            "replace, keep, drop, labelmap, labeldrop, labelkeep");
}

TEST(Relabel, ExpandTemplateNamedGroups) {
  re2::RE2 re("(?P<host>[^:]+):(?P<port>\\d+)");
  std::vector<std::string_view> groups = {"a:1", "a", "1"};
  EXPECT_EQ(expandTemplate("${host}-$port-$2-${9}-$", re, groups), "a-1-1--$");
}

}  // namespace
}  // namespace periscope::components::prometheus_receiver
