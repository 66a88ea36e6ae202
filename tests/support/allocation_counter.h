// Counts heap allocations made by the calling thread, for tests that prove a hot path does not
// allocate. allocation_counter.cc replaces the global operator new/delete (the plain and sized
// forms; aligned allocations are not counted) with a pass-through to malloc/free that counts
// while a thread asks it to. The replacement applies to every test binary linking the support
// library; it only counts inside an AllocationCounter's life. Under AddressSanitizer nothing is
// replaced (ASan owns operator new and checks it pairs with operator delete), so available() is
// false and counting tests skip there; the Release leg runs them.
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
