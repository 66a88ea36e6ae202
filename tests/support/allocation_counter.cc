#include "support/allocation_counter.h"

#include <cstdlib>
#include <new>

// GCC sees free() on memory from the (replaced) operator new after inlining: intended here.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PERISCOPE_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(PERISCOPE_UNDER_ASAN)
#define PERISCOPE_COUNT_ALLOCATIONS 0
#else
#define PERISCOPE_COUNT_ALLOCATIONS 1
#endif

namespace {
thread_local bool t_counting = false;
thread_local size_t t_allocations = 0;
}  // namespace

#if PERISCOPE_COUNT_ALLOCATIONS
void* operator new(size_t size) {
  if (t_counting) ++t_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
#endif

namespace periscope::testing {

AllocationCounter::AllocationCounter() {
  t_allocations = 0;
  t_counting = true;
}
AllocationCounter::~AllocationCounter() {
  t_counting = false;
}
size_t AllocationCounter::count() const {
  return t_allocations;
}
bool AllocationCounter::available() {
  return PERISCOPE_COUNT_ALLOCATIONS != 0;
}

}  // namespace periscope::testing
