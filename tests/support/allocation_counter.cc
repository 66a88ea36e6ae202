#include "support/allocation_counter.h"

#include <cstdlib>
#include <new>

// GCC sees free() on memory from the (replaced) operator new after inlining: intended here.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
thread_local bool t_counting = false;
thread_local size_t t_allocations = 0;
}  // namespace

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

}  // namespace periscope::testing
