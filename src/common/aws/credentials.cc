#include "common/aws/credentials.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/aws/sigv4.h"
#include "common/http/client.h"

namespace periscope::aws {
namespace {

constexpr std::string_view kStsVersion = "2011-06-15";
constexpr std::string_view kDefaultEcsEndpoint = "http://169.254.170.2";
constexpr std::string_view kDefaultImdsEndpoint = "http://169.254.169.254";
constexpr int kMaxSourceProfileDepth = 4;

std::string envValue(const Environment& env, const std::string& name) {
  auto v = env.getenv(name);
  return v ? *v : std::string();
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string lowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// ---- shared config / credentials files (INI) ----

using Settings = std::map<std::string, std::string>;
using Profiles = std::map<std::string, Settings>;

// `config_file`: sections are "[profile name]" (and "[default]"); other kinds of sections
// (sso-session, services) are skipped. Indented lines are sub-properties (s3 = ...): skipped.
Profiles parseIni(std::string_view text, bool config_file) {
  Profiles out;
  Settings* current = nullptr;
  std::istringstream in{std::string(text)};
  std::string raw;
  while (std::getline(in, raw)) {
    if (!raw.empty() && (raw[0] == ' ' || raw[0] == '\t')) continue;
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      current = nullptr;
      if (line.back() != ']') continue;
      std::string name = trim(line.substr(1, line.size() - 2));
      if (config_file && name != "default") {
        if (!name.starts_with("profile ")) continue;
        name = trim(name.substr(8));
      }
      if (!name.empty()) current = &out[name];
      continue;
    }
    auto eq = line.find('=');
    if (current == nullptr || eq == std::string::npos) continue;
    std::string key = lowerAscii(trim(line.substr(0, eq)));
    std::string value = trim(line.substr(eq + 1));
    if (!key.empty()) (*current)[key] = value;
  }
  return out;
}

std::string expandHome(const Environment& env, std::string path) {
  if (path.starts_with("~/")) path = envValue(env, "HOME") + path.substr(1);
  return path;
}

std::string profileName(const Environment& env, const ProviderOptions& options) {
  if (!options.profile.empty()) return options.profile;
  std::string p = envValue(env, "AWS_PROFILE");
  return p.empty() ? "default" : p;
}

// Both files merged per profile; the credentials file wins on conflicts, as in the SDKs.
Profiles loadProfiles(const Environment& env) {
  std::string config_path = envValue(env, "AWS_CONFIG_FILE");
  std::string creds_path = envValue(env, "AWS_SHARED_CREDENTIALS_FILE");
  if (config_path.empty()) config_path = "~/.aws/config";
  if (creds_path.empty()) creds_path = "~/.aws/credentials";
  Profiles merged;
  if (auto text = env.read_file(expandHome(env, config_path)); text.isOk())
    merged = parseIni(*text, /*config_file=*/true);
  if (auto text = env.read_file(expandHome(env, creds_path)); text.isOk())
    for (auto& [name, settings] : parseIni(*text, /*config_file=*/false))
      for (auto& [key, value] : settings) merged[name][key] = value;
  return merged;
}

std::string setting(const Settings& s, const std::string& key) {
  auto it = s.find(key);
  return it == s.end() ? std::string() : it->second;
}

// ---- HTTP and response parsing ----

Result<Credentials> parseCredentialsJson(std::string_view body, std::string_view source) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object())
    return unavailable(std::string(source) + ": credentials answer is not a JSON object");
  auto str = [&](const char* key) {
    auto it = json.find(key);
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (std::string code = str("Code"); !code.empty() && code != "Success")
    return unavailable(std::string(source) + ": credentials answer Code " + code + ": " +
                       str("Message"));
  Credentials c;
  c.access_key_id = str("AccessKeyId");
  c.secret_access_key = str("SecretAccessKey");
  c.session_token = str("Token");
  if (c.access_key_id.empty() || c.secret_access_key.empty())
    return unavailable(std::string(source) +
                       ": credentials answer lacks AccessKeyId/SecretAccessKey");
  if (std::string exp = str("Expiration"); !exp.empty()) {
    auto t = parseIso8601(exp);
    if (!t.isOk()) return unavailable(std::string(source) + ": bad Expiration: " + exp);
    c.expiration = *t;
  }
  c.provider = std::string(source);
  return c;
}

std::string formBody(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += uriEncode(k, false) + "=" + uriEncode(v, false);
  }
  return out;
}

std::string defaultSessionName(const Environment& env) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(env.now().time_since_epoch());
  return "periscope-" + std::to_string(ms.count());
}

std::string stsEndpoint(const Environment& env, const ProviderOptions& options,
                        const Settings& profile, const std::string& region) {
  if (!options.sts_endpoint.empty()) return options.sts_endpoint;
  if (auto e = envValue(env, "AWS_ENDPOINT_URL_STS"); !e.empty()) return e;
  if (auto e = setting(profile, "sts_endpoint"); !e.empty()) return e;
  std::string mode = envValue(env, "AWS_STS_REGIONAL_ENDPOINTS");
  if (mode.empty()) mode = setting(profile, "sts_regional_endpoints");
  if (mode == "legacy" || region.empty()) return "https://sts.amazonaws.com";
  std::string suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://sts." + region + suffix;
}

// One STS Query-API call (form POST, XML answer); signed when `signer` is given.
Result<Credentials> callSts(http::Client& client, const Environment& env,
                            const std::string& endpoint, const std::string& region,
                            const std::string& body, const Credentials* signer,
                            std::chrono::milliseconds timeout, std::string_view source) {
  std::string url = endpoint;
  if (url.find("://") == std::string::npos) url = "https://" + url;
  if (url.find('/', url.find("://") + 3) == std::string::npos) url += '/';
  std::vector<std::string> headers = {
      "Content-Type: application/x-www-form-urlencoded; charset=utf-8"};
  if (signer != nullptr) {
    SigningRequest request{"POST", url, {{"Content-Type", headers[0].substr(14)}}, body};
    SigningParams params{region.empty() ? "us-east-1" : region, "sts", env.now()};
    auto signed_request = signRequest(request, *signer, params);
    if (!signed_request.isOk()) return signed_request.status();
    for (const auto& [name, value] : signed_request->headers_to_add)
      headers.push_back(std::string(name).append(": ").append(value));
  }
  auto response = client.post(url, body, headers, timeout);
  if (!response.isOk())
    return unavailable(std::string(source) + ": STS " + url + ": " +
                       std::string(response.status().message()));
  auto creds = parseStsResponse(response->body);
  if (!creds.isOk())
    return Status(
        response->status >= 500 ? StatusCode::kUnavailable : StatusCode::kPermissionDenied,
        std::string(source) + ": STS " + url + " answered " + std::to_string(response->status) +
            ": " + std::string(creds.status().message()));
  creds->provider = std::string(source);
  return creds;
}

// ---- providers ----

class StaticProvider final : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials c) : c_(std::move(c)) {}
  Result<Credentials> fetch() override { return c_; }
  std::string_view name() const override { return c_.provider; }

 private:
  Credentials c_;
};

class EnvironmentProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(Environment env) : env_(std::move(env)) {}
  std::string_view name() const override { return "environment"; }
  Result<Credentials> fetch() override {
    Credentials c;
    c.access_key_id = envValue(env_, "AWS_ACCESS_KEY_ID");
    c.secret_access_key = envValue(env_, "AWS_SECRET_ACCESS_KEY");
    c.session_token = envValue(env_, "AWS_SESSION_TOKEN");
    c.provider = "environment";
    if (c.access_key_id.empty() && c.secret_access_key.empty())
      return notFound("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set");
    if (c.access_key_id.empty() || c.secret_access_key.empty())
      return invalidArgument(
          "only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; set both");
    return c;
  }

 private:
  Environment env_;
};

class WebIdentityProvider final : public CredentialsProvider {
 public:
  WebIdentityProvider(Environment env, ProviderOptions options, std::string token_file,
                      std::string role_arn, std::string session_name, Settings profile)
      : env_(std::move(env)),
        options_(std::move(options)),
        token_file_(std::move(token_file)),
        role_arn_(std::move(role_arn)),
        session_name_(std::move(session_name)),
        profile_(std::move(profile)) {}
  std::string_view name() const override { return "web_identity"; }
  Result<Credentials> fetch() override {
    if (token_file_.empty() || role_arn_.empty())
      return notFound("AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN not set");
    // Read on every fetch: the token is rotated by the platform (EKS IRSA).
    auto token = env_.read_file(token_file_);
    if (!token.isOk())
      return Status(
          StatusCode::kFailedPrecondition,
          "web identity token file " + token_file_ + ": " + std::string(token.status().message()));
    std::string region = resolveRegion(env_, options_);
    std::string body = formBody(
        {{"Action", "AssumeRoleWithWebIdentity"},
         {"RoleArn", role_arn_},
         {"RoleSessionName", session_name_.empty() ? defaultSessionName(env_) : session_name_},
         {"Version", std::string(kStsVersion)},
         {"WebIdentityToken", trim(*token)}});
    return callSts(client_, env_, stsEndpoint(env_, options_, profile_, region), region, body,
                   nullptr, options_.http_timeout, "web_identity");
  }

 private:
  Environment env_;
  ProviderOptions options_;
  std::string token_file_, role_arn_, session_name_;
  Settings profile_;
  http::Client client_;
};

class AssumeRoleProvider final : public CredentialsProvider {
 public:
  AssumeRoleProvider(Environment env, ProviderOptions options,
                     std::shared_ptr<CredentialsProvider> source, std::string role_arn,
                     std::string external_id, std::string session_name, Settings profile)
      : env_(std::move(env)),
        options_(std::move(options)),
        source_(std::move(source)),
        role_arn_(std::move(role_arn)),
        external_id_(std::move(external_id)),
        session_name_(std::move(session_name)),
        profile_(std::move(profile)) {}
  std::string_view name() const override { return "assume_role"; }
  Result<Credentials> fetch() override {
    auto source = source_->fetch();
    if (!source.isOk())
      return Status(
          source.status().code() == StatusCode::kNotFound ? StatusCode::kFailedPrecondition
                                                          : source.status().code(),
          "assume role " + role_arn_ + ": source credentials (" + std::string(source_->name()) +
              "): " + std::string(source.status().message()));
    std::vector<std::pair<std::string, std::string>> fields = {
        {"Action", "AssumeRole"},
        {"RoleArn", role_arn_},
        {"RoleSessionName", session_name_.empty() ? defaultSessionName(env_) : session_name_},
        {"Version", std::string(kStsVersion)}};
    if (!external_id_.empty()) fields.emplace_back("ExternalId", external_id_);
    std::string region = resolveRegion(env_, options_);
    return callSts(client_, env_, stsEndpoint(env_, options_, profile_, region), region,
                   formBody(fields), &*source, options_.http_timeout, "assume_role");
  }

 private:
  Environment env_;
  ProviderOptions options_;
  std::shared_ptr<CredentialsProvider> source_;
  std::string role_arn_, external_id_, session_name_;
  Settings profile_;
  http::Client client_;
};

class ProfileProvider final : public CredentialsProvider {
 public:
  ProfileProvider(Environment env, ProviderOptions options)
      : env_(std::move(env)), options_(std::move(options)) {}
  std::string_view name() const override { return "profile"; }
  Result<Credentials> fetch() override {
    Profiles profiles = loadProfiles(env_);
    std::string name = profileName(env_, options_);
    bool named = !options_.profile.empty() || !envValue(env_, "AWS_PROFILE").empty();
    if (!profiles.contains(name)) {
      if (named)
        return Status(StatusCode::kFailedPrecondition,
                      "profile \"" + name + "\" not found in the shared config/credentials files");
      return notFound("no profile \"" + name + "\" in the shared config/credentials files");
    }
    return resolve(profiles, name, 0);
  }

 private:
  Result<Credentials> resolve(const Profiles& profiles, const std::string& name, int depth) {
    auto it = profiles.find(name);
    if (it == profiles.end())
      return Status(StatusCode::kFailedPrecondition, "source profile \"" + name + "\" not found");
    const Settings& p = it->second;
    std::string role_arn = setting(p, "role_arn");
    if (role_arn.empty() || (depth > 0 && setting(p, "source_profile") == name)) {
      Credentials c;
      c.access_key_id = setting(p, "aws_access_key_id");
      c.secret_access_key = setting(p, "aws_secret_access_key");
      c.session_token = setting(p, "aws_session_token");
      c.provider = "profile:" + name;
      if (c.access_key_id.empty() || c.secret_access_key.empty()) {
        if (depth == 0) return notFound("profile \"" + name + "\" has no keys and no role_arn");
        return Status(
            StatusCode::kFailedPrecondition,
            "source profile \"" + name + "\" has no aws_access_key_id/aws_secret_access_key");
      }
      return c;
    }
    if (depth >= kMaxSourceProfileDepth)
      return Status(StatusCode::kFailedPrecondition,
                    "profile \"" + name + "\": source_profile chain too long (a cycle?)");
    std::string session = setting(p, "role_session_name");
    if (session.empty()) session = options_.role_session_name;
    if (auto token_file = setting(p, "web_identity_token_file"); !token_file.empty())
      return WebIdentityProvider(env_, options_, token_file, role_arn, session, p).fetch();
    std::shared_ptr<CredentialsProvider> source;
    if (std::string sp = setting(p, "source_profile"); !sp.empty()) {
      // A profile naming itself as source holds the long-term keys used to assume its role.
      auto creds =
          sp == name ? resolve(profiles, name, depth + 1) : resolve(profiles, sp, depth + 1);
      if (!creds.isOk()) return creds.status();
      source = std::make_shared<StaticProvider>(*creds);
    } else if (std::string cs = setting(p, "credential_source"); cs == "Environment") {
      source = environmentProvider(env_);
    } else if (cs == "Ec2InstanceMetadata") {
      source = imdsProvider(env_, options_);
    } else if (cs == "EcsContainer") {
      source = ecsProvider(env_, options_);
    } else {
      return Status(StatusCode::kFailedPrecondition,
                    "profile \"" + name +
                        "\": role_arn needs source_profile or credential_source "
                        "(Environment, Ec2InstanceMetadata, EcsContainer)");
    }
    ProviderOptions options = options_;
    Settings profile = p;
    return AssumeRoleProvider(env_, options, std::move(source), role_arn, setting(p, "external_id"),
                              session, std::move(profile))
        .fetch();
  }

  Environment env_;
  ProviderOptions options_;
};

// Plain http is accepted only towards the container agents and loopback, as the SDKs do.
bool allowedContainerUrl(std::string_view url) {
  if (url.starts_with("https://")) return true;
  if (!url.starts_with("http://")) return false;
  std::string_view rest = url.substr(7);
  std::string_view host = rest.substr(0, rest.find_first_of("/?"));
  if (host.starts_with('['))
    host = host.substr(0, host.find(']') + 1);
  else
    host = host.substr(0, host.find(':'));
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

class EcsProvider final : public CredentialsProvider {
 public:
  EcsProvider(Environment env, ProviderOptions options)
      : env_(std::move(env)), options_(std::move(options)) {}
  std::string_view name() const override { return "ecs"; }
  Result<Credentials> fetch() override {
    std::string relative = envValue(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    std::string url;
    if (!relative.empty()) {
      url =
          options_.ecs_endpoint.empty() ? std::string(kDefaultEcsEndpoint) : options_.ecs_endpoint;
      if (url.ends_with('/')) url.pop_back();
      url += relative.starts_with('/') ? relative : "/" + relative;
    } else {
      url = envValue(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
      if (url.empty()) return notFound("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/_FULL_URI not set");
      if (!allowedContainerUrl(url))
        return invalidArgument("AWS_CONTAINER_CREDENTIALS_FULL_URI " + url +
                               ": plain http only to loopback or the ECS/EKS agent addresses");
    }
    std::vector<std::string> headers;
    std::string token;
    if (std::string file = envValue(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        !file.empty()) {
      auto text = env_.read_file(file);
      if (!text.isOk())
        return Status(StatusCode::kFailedPrecondition, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " +
                                                           file + ": " +
                                                           std::string(text.status().message()));
      token = trim(*text);
    } else {
      token = envValue(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    if (token.find_first_of("\r\n") != std::string::npos)
      return invalidArgument("container authorization token contains a line break");
    if (!token.empty()) headers.push_back("Authorization: " + token);
    auto response = client_.request("GET", url, "", headers, options_.http_timeout, true);
    if (!response.isOk())
      return unavailable("ecs: " + url + ": " + std::string(response.status().message()));
    if (response->status != 200)
      return unavailable("ecs: " + url + " answered " + std::to_string(response->status) + ": " +
                         response->text());
    return parseCredentialsJson(response->body, "ecs");
  }

 private:
  Environment env_;
  ProviderOptions options_;
  http::Client client_;
};

class ImdsProvider final : public CredentialsProvider {
 public:
  ImdsProvider(Environment env, ProviderOptions options)
      : env_(std::move(env)), options_(std::move(options)) {}
  std::string_view name() const override { return "imds"; }
  Result<Credentials> fetch() override {
    if (lowerAscii(envValue(env_, "AWS_EC2_METADATA_DISABLED")) == "true")
      return notFound("AWS_EC2_METADATA_DISABLED=true");
    std::string base = options_.imds_endpoint;
    if (base.empty()) base = envValue(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (base.empty()) base = kDefaultImdsEndpoint;
    while (base.ends_with('/')) base.pop_back();
    // IMDSv2: a session token first (PUT), then every GET carries it.
    auto token = client_.request("PUT", base + "/latest/api/token", "",
                                 {"X-aws-ec2-metadata-token-ttl-seconds: 21600"},
                                 options_.imds_timeout, true);
    if (!token.isOk())
      return notFound("no instance metadata service at " + base + ": " +
                      std::string(token.status().message()));
    if (token->status != 200)
      return unavailable("imds: token request answered " + std::to_string(token->status));
    std::vector<std::string> headers = {"X-aws-ec2-metadata-token: " + trim(token->body)};
    const std::string creds_path = base + "/latest/meta-data/iam/security-credentials/";
    auto roles = client_.request("GET", creds_path, "", headers, options_.imds_timeout, true);
    if (!roles.isOk()) return unavailable("imds: " + std::string(roles.status().message()));
    if (roles->status == 404) return notFound("imds: no IAM role attached to the instance");
    if (roles->status != 200)
      return unavailable("imds: role list answered " + std::to_string(roles->status));
    std::string role = trim(roles->body.substr(0, roles->body.find('\n')));
    if (role.empty()) return notFound("imds: no IAM role attached to the instance");
    auto creds =
        client_.request("GET", creds_path + role, "", headers, options_.imds_timeout, true);
    if (!creds.isOk()) return unavailable("imds: " + std::string(creds.status().message()));
    if (creds->status != 200)
      return unavailable("imds: role " + role + " answered " + std::to_string(creds->status));
    return parseCredentialsJson(creds->body, "imds");
  }

 private:
  Environment env_;
  ProviderOptions options_;
  http::Client client_;
};

// ---- XML ----

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

const xmlNode* findElement(const xmlNode* node, std::string_view name) {
  for (; node != nullptr; node = node->next) {
    if (node->type == XML_ELEMENT_NODE &&
        std::string_view(reinterpret_cast<const char*>(node->name)) == name)
      return node;
    if (const xmlNode* found = findElement(node->children, name)) return found;
  }
  return nullptr;
}

std::string childText(const xmlNode* parent, std::string_view name) {
  if (parent == nullptr) return {};
  const xmlNode* node = findElement(parent->children, name);
  if (node == nullptr) return {};
  xmlChar* content = xmlNodeGetContent(node);
  std::string out = content ? trim(reinterpret_cast<const char*>(content)) : std::string();
  xmlFree(content);
  return out;
}

}  // namespace

Result<Credentials> parseStsResponse(std::string_view xml) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  // No XML_PARSE_NOENT (entities are not expanded), no DTD loading, no network.
  std::unique_ptr<xmlDoc, XmlDocDeleter> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "sts.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) return invalidArgument("STS answer is not XML");
  // STS never sends a DTD; refusing one rules out entity tricks (expansion bombs, external files).
  if (doc->intSubset != nullptr || doc->extSubset != nullptr)
    return invalidArgument("STS answer has a DTD; refused");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (const xmlNode* error = findElement(root, "Error")) {
    return invalidArgument(childText(error, "Code") + ": " + childText(error, "Message"));
  }
  const xmlNode* creds = findElement(root, "Credentials");
  if (creds == nullptr) return invalidArgument("STS answer has no Credentials element");
  Credentials c;
  c.access_key_id = childText(creds, "AccessKeyId");
  c.secret_access_key = childText(creds, "SecretAccessKey");
  c.session_token = childText(creds, "SessionToken");
  if (c.access_key_id.empty() || c.secret_access_key.empty())
    return invalidArgument("STS Credentials lack AccessKeyId/SecretAccessKey");
  if (std::string exp = childText(creds, "Expiration"); !exp.empty()) {
    auto t = parseIso8601(exp);
    if (!t.isOk()) return t.status();
    c.expiration = *t;
  }
  return c;
}

Environment systemEnvironment() {
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  env.read_file = [](const std::string& path) -> Result<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return notFound("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  env.now = [] { return std::chrono::system_clock::now(); };
  return env;
}

std::string resolveRegion(const Environment& env, const ProviderOptions& options) {
  if (!options.region.empty()) return options.region;
  if (auto r = envValue(env, "AWS_REGION"); !r.empty()) return r;
  if (auto r = envValue(env, "AWS_DEFAULT_REGION"); !r.empty()) return r;
  Profiles profiles = loadProfiles(env);
  auto it = profiles.find(profileName(env, options));
  return it == profiles.end() ? std::string() : setting(it->second, "region");
}

std::string resolveStsEndpoint(const Environment& env, const ProviderOptions& options) {
  Profiles profiles = loadProfiles(env);
  auto it = profiles.find(profileName(env, options));
  return stsEndpoint(env, options, it == profiles.end() ? Settings{} : it->second,
                     resolveRegion(env, options));
}

std::unique_ptr<CredentialsProvider> environmentProvider(Environment env) {
  return std::make_unique<EnvironmentProvider>(std::move(env));
}
std::unique_ptr<CredentialsProvider> profileProvider(Environment env, ProviderOptions options) {
  return std::make_unique<ProfileProvider>(std::move(env), std::move(options));
}
std::unique_ptr<CredentialsProvider> webIdentityProvider(Environment env, ProviderOptions options) {
  std::string token_file = envValue(env, "AWS_WEB_IDENTITY_TOKEN_FILE");
  std::string role_arn = envValue(env, "AWS_ROLE_ARN");
  std::string session = envValue(env, "AWS_ROLE_SESSION_NAME");
  if (session.empty()) session = options.role_session_name;
  return std::make_unique<WebIdentityProvider>(std::move(env), std::move(options),
                                               std::move(token_file), std::move(role_arn),
                                               std::move(session), Settings{});
}
std::unique_ptr<CredentialsProvider> ecsProvider(Environment env, ProviderOptions options) {
  return std::make_unique<EcsProvider>(std::move(env), std::move(options));
}
std::unique_ptr<CredentialsProvider> imdsProvider(Environment env, ProviderOptions options) {
  return std::make_unique<ImdsProvider>(std::move(env), std::move(options));
}
std::unique_ptr<CredentialsProvider> assumeRoleProvider(Environment env, ProviderOptions options,
                                                        std::shared_ptr<CredentialsProvider> source,
                                                        std::string role_arn,
                                                        std::string external_id) {
  std::string session = options.role_session_name;
  return std::make_unique<AssumeRoleProvider>(std::move(env), std::move(options), std::move(source),
                                              std::move(role_arn), std::move(external_id),
                                              std::move(session), Settings{});
}

CredentialsChain::CredentialsChain(Environment env, const ProviderOptions& options)
    : env_(std::move(env)) {
  providers_.push_back(environmentProvider(env_));
  providers_.push_back(webIdentityProvider(env_, options));
  providers_.push_back(profileProvider(env_, options));
  providers_.push_back(ecsProvider(env_, options));
  providers_.push_back(imdsProvider(env_, options));
}

CredentialsChain::CredentialsChain(Environment env,
                                   std::vector<std::shared_ptr<CredentialsProvider>> providers)
    : env_(std::move(env)), providers_(std::move(providers)) {}

namespace {
// The default chain as the source of an AssumeRole provider.
class ChainProvider final : public CredentialsProvider {
 public:
  explicit ChainProvider(std::shared_ptr<CredentialsChain> chain) : chain_(std::move(chain)) {}
  Result<Credentials> fetch() override { return chain_->get(); }
  std::string_view name() const override { return "default chain"; }

 private:
  std::shared_ptr<CredentialsChain> chain_;
};
}  // namespace

std::shared_ptr<CredentialsChain> exporterCredentials(Environment env,
                                                      const ProviderOptions& options,
                                                      const std::string& role_arn,
                                                      const std::string& external_id) {
  auto base = std::make_shared<CredentialsChain>(env, options);
  if (role_arn.empty()) return base;
  std::vector<std::shared_ptr<CredentialsProvider>> providers;
  providers.push_back(assumeRoleProvider(env, options, std::make_shared<ChainProvider>(base),
                                         role_arn, external_id));
  return std::make_shared<CredentialsChain>(std::move(env), std::move(providers));
}

Result<Credentials> CredentialsChain::fetchChain() {
  std::string tried;
  for (const auto& provider : providers_) {
    auto creds = provider->fetch();
    if (creds.isOk()) return creds;
    if (creds.status().code() != StatusCode::kNotFound)
      return Status(creds.status().code(), "AWS credentials (" + std::string(provider->name()) +
                                               "): " + std::string(creds.status().message()));
    tried += (tried.empty() ? "" : "; ") + std::string(provider->name()) + ": " +
             std::string(creds.status().message());
  }
  return notFound("no AWS credentials found (" + tried + ")");
}

Result<Credentials> CredentialsChain::get() {
  std::lock_guard lock(mu_);
  const auto now = env_.now();
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - kRefreshBefore))
    return *cached_;
  auto fresh = fetchChain();
  if (fresh.isOk()) {
    cached_ = *fresh;
    return fresh;
  }
  // A failed refresh keeps credentials that are still valid: the next call retries.
  if (cached_ && cached_->expiration && now < *cached_->expiration) return *cached_;
  return fresh;
}

void CredentialsChain::invalidate() {
  std::lock_guard lock(mu_);
  cached_.reset();
}

}  // namespace periscope::aws
