// Runs a libFuzzer target without libFuzzer, so `make test` exercises every fuzz target with
// the normal compiler: each seed in the corpus directory as is, then a fixed number of
// deterministic mutants of it (bit flips, truncations, byte runs, splices). A crash or abort
// fails the test; `make fuzz` is the open-ended, coverage-guided counterpart.
//   <target>_replay CORPUS_DIR [MUTANTS_PER_SEED]
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

std::string mutate(const std::string& seed, const std::vector<std::string>& all,
                   std::mt19937_64& rng) {
  std::string s = seed;
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    switch (rng() % 5) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng() % s.size()] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1:  // truncate
        if (!s.empty()) s.resize(rng() % s.size());
        break;
      case 2: {  // overwrite a run with one byte value (zeros, 0xff, ...)
        if (s.empty()) break;
        size_t at = rng() % s.size(), n = 1 + rng() % 16;
        char v = static_cast<char>(rng() % 2 ? 0 : rng());
        for (size_t i = at; i < s.size() && i < at + n; ++i) s[i] = v;
        break;
      }
      case 3:  // insert random bytes
        s.insert(s.begin() + static_cast<long>(s.empty() ? 0 : rng() % s.size()),
                 static_cast<char>(rng()));
        break;
      default: {  // splice with another seed
        const std::string& other = all[rng() % all.size()];
        if (other.empty() || s.empty()) break;
        s = s.substr(0, rng() % s.size()) + other.substr(rng() % other.size());
        break;
      }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MUTANTS_PER_SEED]\n", argv[0]);
    return 2;
  }
  int mutants = argc > 2 ? std::atoi(argv[2]) : 2000;
  std::vector<std::string> seeds;
  for (const auto& e : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    seeds.push_back(buf.str());
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "no seeds in %s\n", argv[1]);
    return 2;
  }
  std::mt19937_64 rng(20261124);
  size_t runs = 0;
  for (const std::string& seed : seeds) {
    run(seed);
    ++runs;
    for (int m = 0; m < mutants; ++m, ++runs) run(mutate(seed, seeds, rng));
  }
  std::printf("%zu inputs (%zu seeds) ran without a crash\n", runs, seeds.size());
  return 0;
}
