// Arena: a bump allocator that owns the memory of one decoded request or batch.
// Decoded telemetry (model/) holds views and spans into an arena, so objects placed here must be
// trivially destructible. Not thread-safe: one writer; readers only after the writer is done.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace periscope {

class Arena {
 public:
  explicit Arena(size_t first_block = 4096) : next_block_(first_block) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(size_t bytes, size_t align) {
    uintptr_t p = (reinterpret_cast<uintptr_t>(cur_) + align - 1) & ~(align - 1);
    if (cur_ == nullptr || p + bytes > reinterpret_cast<uintptr_t>(end_)) {
      newBlock(bytes + align);
      p = (reinterpret_cast<uintptr_t>(cur_) + align - 1) & ~(align - 1);
    }
    cur_ = reinterpret_cast<std::byte*>(p + bytes);
    return reinterpret_cast<void*>(p);
  }

  // An array of n value-initialised T. T must be trivially destructible (never destroyed).
  template <typename T>
  std::span<T> allocArray(size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    if (n == 0) return {};
    T* p = static_cast<T*>(allocate(sizeof(T) * n, alignof(T)));
    for (size_t i = 0; i < n; ++i) new (p + i) T();
    return {p, n};
  }

  // A copy of `src` (trivially copyable T): one memcpy, no initialisation pass.
  template <typename T>
  std::span<T> copyArray(std::span<const T> src) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    if (src.empty()) return {};
    T* p = static_cast<T*>(allocate(sizeof(T) * src.size(), alignof(T)));
    std::memcpy(static_cast<void*>(p), src.data(), sizeof(T) * src.size());
    return {p, src.size()};
  }

  template <typename T>
  T* make() {
    return allocArray<T>(1).data();
  }

  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // Takes ownership of a whole buffer (e.g. a request body) so views into it stay valid.
  std::string_view adopt(std::string&& buffer) {
    owned_.push_back(std::make_unique<std::string>(std::move(buffer)));
    return *owned_.back();
  }

  size_t bytesReserved() const { return reserved_; }

 private:
  void newBlock(size_t at_least) {
    size_t size = next_block_ > at_least ? next_block_ : at_least;
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size));  // no memset
    cur_ = blocks_.back().get();
    end_ = cur_ + size;
    reserved_ += size;
    if (next_block_ < (size_t{1} << 20)) next_block_ *= 2;
  }

  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::vector<std::unique_ptr<std::string>> owned_;
  std::byte* cur_ = nullptr;
  std::byte* end_ = nullptr;
  size_t next_block_;
  size_t reserved_ = 0;
};

}  // namespace periscope
