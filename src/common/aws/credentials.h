// AWS credentials and the default provider chain (environment, web identity, shared
// config/credentials files with assume-role, ECS container endpoint, EC2 IMDSv2), cached and
// refreshed before expiry. The environment, file system, clock and every endpoint are
// injectable so tests never touch the real ~/.aws or the network. See docs/aws.md.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace periscope::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;                                        // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;  // nullopt = never expires
  std::string provider;  // which provider produced them ("environment", "imds"...), for logs
};

// What the providers read from the outside world; systemEnvironment() is the real one.
struct Environment {
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  std::function<Result<std::string>(const std::string& path)> read_file;
  std::function<std::chrono::system_clock::time_point()> now;
};
Environment systemEnvironment();

// Endpoint overrides (constructor options); empty = the environment variable or the default.
struct ProviderOptions {
  std::string profile;            // else AWS_PROFILE, else "default"
  std::string region;             // for STS; else AWS_REGION, AWS_DEFAULT_REGION, profile region
  std::string sts_endpoint;       // else AWS_ENDPOINT_URL_STS, profile sts_endpoint, regional STS
  std::string imds_endpoint;      // else AWS_EC2_METADATA_SERVICE_ENDPOINT, http://169.254.169.254
  std::string ecs_endpoint;       // base for the relative URI; default http://169.254.170.2
  std::string role_session_name;  // else AWS_ROLE_SESSION_NAME / profile, else "periscope-<ms>"
  std::chrono::milliseconds http_timeout{5000};
  std::chrono::milliseconds imds_timeout{1000};
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // NOT_FOUND when this provider is not configured (the chain tries the next one); any other
  // error means it is configured but failed (the chain stops: misconfiguration is surfaced).
  virtual Result<Credentials> fetch() = 0;
  virtual std::string_view name() const = 0;
};

std::unique_ptr<CredentialsProvider> environmentProvider(Environment env);
std::unique_ptr<CredentialsProvider> profileProvider(Environment env, ProviderOptions options);
std::unique_ptr<CredentialsProvider> webIdentityProvider(Environment env, ProviderOptions options);
std::unique_ptr<CredentialsProvider> ecsProvider(Environment env, ProviderOptions options);
std::unique_ptr<CredentialsProvider> imdsProvider(Environment env, ProviderOptions options);
// STS AssumeRole signed with the source provider's credentials.
std::unique_ptr<CredentialsProvider> assumeRoleProvider(Environment env, ProviderOptions options,
                                                        std::shared_ptr<CredentialsProvider> source,
                                                        std::string role_arn,
                                                        std::string external_id = "");

// The STS Credentials of an AssumeRole / AssumeRoleWithWebIdentity XML answer; an
// ErrorResponse becomes an error with its Code and Message.
Result<Credentials> parseStsResponse(std::string_view xml);

// The SDKs' default order: environment, web identity, shared files (with role_arn), ECS
// container, EC2 instance metadata. Answers from a cache until `refresh_before` the expiry;
// then fetches again (if that fails while the old credentials are still valid, they are kept).
// Thread-safe; one fetch at a time.
class CredentialsChain {
 public:
  static constexpr std::chrono::minutes kRefreshBefore{5};
  CredentialsChain(Environment env, const ProviderOptions& options);
  CredentialsChain(Environment env, std::vector<std::shared_ptr<CredentialsProvider>> providers);
  Result<Credentials> get();
  // Drops the cache (e.g. after the service answered ExpiredToken).
  void invalidate();

 private:
  Result<Credentials> fetchChain();
  Environment env_;
  std::vector<std::shared_ptr<CredentialsProvider>> providers_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
};

// What an AWS exporter uses: the default chain, or — with `role_arn` — STS AssumeRole into that
// role, signed with credentials from the default chain (cross-account set-ups).
std::shared_ptr<CredentialsChain> exporterCredentials(Environment env,
                                                      const ProviderOptions& options,
                                                      const std::string& role_arn,
                                                      const std::string& external_id = "");

// STS endpoint: options.sts_endpoint, AWS_ENDPOINT_URL_STS, the profile's sts_endpoint, then
// regional https://sts.<region>.amazonaws.com unless AWS_STS_REGIONAL_ENDPOINTS (or the
// profile's sts_regional_endpoints) is "legacy" or no region is known: https://sts.amazonaws.com.
std::string resolveStsEndpoint(const Environment& env, const ProviderOptions& options);

// Region as the SDKs resolve it: AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`.
std::string resolveRegion(const Environment& env, const ProviderOptions& options);

}  // namespace periscope::aws
