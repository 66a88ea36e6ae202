#include "storage/io/durable_file.h"

#include "common/kill_point.h"

namespace periscope::storage {

Status writeFileDurably(FileSystem& fs, const std::string& dir, const std::string& path,
                        std::string_view bytes, std::string_view kill_prefix) {
  std::string tmp = path + ".tmp";
  (void)fs.remove(tmp);  // a leftover of an earlier failed attempt
  auto f = fs.openAppend(tmp);
  if (!f.isOk()) return f.status();
  Status st = (*f)->append(bytes);
  if (st.isOk()) st = (*f)->sync();
  Status closed = (*f)->close();
  if (st.isOk()) st = closed;
  if (!st.isOk()) {
    (void)fs.remove(tmp);
    return st;
  }
  std::string point(kill_prefix);
  killPoint((point + ".before_rename").c_str());
  PERISCOPE_RETURN_IF_ERROR(fs.rename(tmp, path));
  killPoint((point + ".after_rename").c_str());
  return fs.syncDir(dir);
}

}  // namespace periscope::storage
