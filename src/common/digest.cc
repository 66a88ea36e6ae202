#include "common/digest.h"

#include <openssl/evp.h>

#include "common/hex.h"

namespace periscope {

std::optional<DigestAlgorithm> parseDigestAlgorithm(std::string_view name) {
  if (name == "md5") return DigestAlgorithm::kMd5;
  if (name == "sha1") return DigestAlgorithm::kSha1;
  if (name == "sha256") return DigestAlgorithm::kSha256;
  if (name == "sha3" || name == "sha3_256") return DigestAlgorithm::kSha3_256;
  return std::nullopt;
}

std::string hexDigest(DigestAlgorithm algorithm, std::string_view data) {
  const EVP_MD* md = EVP_sha256();
  switch (algorithm) {
    case DigestAlgorithm::kMd5:
      md = EVP_md5();
      break;
    case DigestAlgorithm::kSha1:
      md = EVP_sha1();
      break;
    case DigestAlgorithm::kSha256:
      md = EVP_sha256();
      break;
    case DigestAlgorithm::kSha3_256:
      md = EVP_sha3_256();
      break;
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // EVP_Digest is one-shot and thread-safe; no context to keep. It fails only when OpenSSL
  // refuses the algorithm (e.g. MD5 or SHA-1 under a FIPS provider): fail closed with a mask,
  // never an empty string or the input.
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1)
    return std::string(kDigestFailed);
  return hexEncode(std::string_view(reinterpret_cast<const char*>(out), len));
}

}  // namespace periscope
