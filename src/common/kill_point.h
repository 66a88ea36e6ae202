// Whitebox crash testing (RocksDB-style kill points): with PERISCOPE_KILL_POINT=name:1/N in
// the environment, the process SIGKILLs itself with probability 1/N each time it passes the
// point `name` ("name" alone = 1/1). Several points: comma-separated. Costs one relaxed atomic
// load when the variable is unset, so the points stay compiled into release builds.
#pragma once

namespace periscope {

void killPoint(const char* name);

}  // namespace periscope
