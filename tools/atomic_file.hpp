// Output files written whole or not at all: data goes to a temporary file in the target's own folder (so the final
// rename never crosses a file system), is flushed and fsynced, and only then renamed over the target.  Until
// commit() the old file is untouched; a failed or abandoned write removes the temporary file.  Every error message
// names the file and the OS reason (strerror), e.g. "writing p.json.tmp.Ab12Cd: No space left on device".
// A process ended by SIGINT, SIGTERM or SIGHUP while a temporary file exists removes it too: while any AtomicFile
// holds a temporary, handlers for those signals (not for one the process was started with ignored) unlink every
// registered temporary, then restore the default action and re-raise the signal, so the exit status still says
// which signal ended the process.  The registry is a fixed table of plain char arrays (async-signal-safe).
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

namespace diaggauss::cli {

// "" when `path` can be written by AtomicFile (its folder exists and is writable; the path, if it exists, is a
// regular file); otherwise why not.  Called before long work starts so that a bad --out fails in a millisecond.
std::string check_output_path(const std::string& path);
// "" when the folder of `path` has room for `bytes` more (a sure-to-fail write is refused before it starts);
// otherwise a message ending in the OS reason ("No space left on device").  Unknown free space counts as room.
std::string check_free_space(const std::string& path, std::uint64_t bytes);
// check_output_path, then a real trial: creates the temporary file AtomicFile would create next to `path` (and,
// with keep_backup and an existing target, the hard link commit(true) makes) and removes them again.  Catches
// what only trying shows: a temporary name over NAME_MAX, a read-only file system.  "" or why not.
std::string probe_output_path(const std::string& path, bool keep_backup = false);
// Creates the missing folders of `path` (mode 0755); "" or why not.
std::string make_parent_dirs(const std::string& path);

class AtomicFile {
 public:
  AtomicFile() = default;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();  // abandons (removes the temporary file) unless committed

  // Creates the temporary file next to `path`.  False with error() set on failure.
  bool open(const std::string& path);
  // The stream to write to (valid between open and commit).
  std::FILE* stream() { return f_; }
  bool write(const void* data, std::size_t bytes);
  bool write(const std::string& text) { return write(text.data(), text.size()); }
  // With keep_backup, an existing target is first hard-linked as <path>.bak (replacing an older .bak).
  // Flush, fsync, rename over the target, fsync the folder.  False with error() set; the target is then untouched.
  bool commit(bool keep_backup = false);
  void abandon();
  const std::string& error() const { return error_; }
  // The temporary file's path ("" when none exists).
  const std::string& temp_path() const { return temp_; }

 private:
  bool fail(const std::string& what, int err);
  std::string path_, temp_, error_;
  std::FILE* f_ = nullptr;
  int slot_ = -1;  // this temporary's entry in the signal handlers' registry (-1: none)
};

// Whole-file convenience: writes `text` to `path` atomically; "" or the error.
std::string write_file_atomically(const std::string& path, const std::string& text, bool keep_backup = false);

}  // namespace diaggauss::cli
