// Counts heap allocations made by the calling thread, for tests that prove a hot path does not
// allocate. allocation_counter.cc replaces the global operator new/delete with a pass-through to
// malloc/free that counts while a thread asks it to. Being in the support library, the
// replacement is linked only into test binaries that use AllocationCounter.
#pragma once

#include <cstddef>

namespace periscope::testing {

// Counts allocations on this thread from construction until count() / destruction.
class AllocationCounter {
 public:
  AllocationCounter();
  ~AllocationCounter();
  AllocationCounter(const AllocationCounter&) = delete;
  AllocationCounter& operator=(const AllocationCounter&) = delete;
  size_t count() const;
  static bool available();
};

}  // namespace periscope::testing
