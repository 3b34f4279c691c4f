#include "pactum/store/vfs.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>
#include <string>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

namespace pactum::store {
namespace {

// What a WAL file holds back at most; a commit larger than this is handed on as it grows.
constexpr std::size_t kMaxGathered = 1 << 20;
// The default VFS writes at most 128 KiB - 1 bytes a call (it masks the length): pieces of
// 64 KiB.
constexpr std::size_t kMaxPiece = 1 << 16;
// How much a database file is written between two starts of writeback.
constexpr std::size_t kWritebackEvery = 256 << 10;

// A WAL or a database file: the default VFS's file, wrapped.
struct ShapedFile {
  sqlite3_file base;     // first, so that SQLite's pointer is this one's
  sqlite3_file* real;    // the default VFS's file, in the same allocation, after this struct
  std::string gathered;  // WAL: bytes written but not yet handed on, from offset `start`
  sqlite3_int64 start = 0;
  // Database file: its path, a descriptor of our own to start writeback through (opened the
  // first time it is needed, as most connections only read; -1 until then, -2 if it cannot be),
  // and the bytes written since writeback was last started.
  std::string path;
  int writeback_fd = -1;
  std::size_t unstarted = 0;
};

// The default VFS's file object follows ours, aligned for anything.
constexpr std::size_t kRealOffset = (sizeof(ShapedFile) + alignof(std::max_align_t) - 1) /
                                    alignof(std::max_align_t) * alignof(std::max_align_t);

ShapedFile* Of(sqlite3_file* file) {
  return reinterpret_cast<ShapedFile*>(file);
}
sqlite3_file* Real(sqlite3_file* file) {
  return Of(file)->real;
}

int Hand(ShapedFile* f) {
  int rc = SQLITE_OK;
  for (std::size_t at = 0; rc == SQLITE_OK && at < f->gathered.size(); at += kMaxPiece) {
    const std::size_t n = std::min(kMaxPiece, f->gathered.size() - at);
    rc = f->real->pMethods->xWrite(f->real, f->gathered.data() + at, static_cast<int>(n),
                                   f->start + static_cast<sqlite3_int64>(at));
  }
  f->gathered.clear();
  return rc;
}

int Close(sqlite3_file* file) {
  ShapedFile* f = Of(file);
  if (f->writeback_fd >= 0) ::close(f->writeback_fd);
  const int handed = Hand(f);
  const int rc = f->real->pMethods->xClose(f->real);
  f->~ShapedFile();
  return handed != SQLITE_OK ? handed : rc;
}

int Read(sqlite3_file* file, void* out, int n, sqlite3_int64 offset) {
  if (const int rc = Hand(Of(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xRead(Real(file), out, n, offset);
}

int Write(sqlite3_file* file, const void* data, int n, sqlite3_int64 offset) {
  ShapedFile* f = Of(file);
  // Only a write that continues the gathered bytes joins them; any other goes after them.
  if (!f->gathered.empty() && offset != f->start + static_cast<sqlite3_int64>(f->gathered.size())) {
    if (const int rc = Hand(f); rc != SQLITE_OK) return rc;
  }
  if (f->gathered.empty()) f->start = offset;
  try {
    f->gathered.append(static_cast<const char*>(data), static_cast<std::size_t>(n));
  } catch (const std::bad_alloc&) {  // no exception may cross SQLite: write it through instead
    if (const int rc = Hand(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xWrite(f->real, data, n, offset);
  }
  return f->gathered.size() >= kMaxGathered ? Hand(f) : SQLITE_OK;
}

int DatabaseWrite(sqlite3_file* file, const void* data, int n, sqlite3_int64 offset) {
  ShapedFile* f = Of(file);
  const int rc = f->real->pMethods->xWrite(f->real, data, n, offset);
  f->unstarted += static_cast<std::size_t>(n);
  if (rc != SQLITE_OK || f->unstarted < kWritebackEvery) return rc;
  f->unstarted = 0;
  if (f->writeback_fd == -1) {
    f->writeback_fd = ::open(f->path.c_str(), O_RDONLY | O_CLOEXEC);
    if (f->writeback_fd < 0) f->writeback_fd = -2;
  }
  // Advice only: whether it is taken changes when the pages reach the disk, not whether.
  if (f->writeback_fd >= 0) (void)::sync_file_range(f->writeback_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  return rc;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = Hand(Of(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xTruncate(Real(file), size);
}

int Sync(sqlite3_file* file, int flags) {
  if (const int rc = Hand(Of(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xSync(Real(file), flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (const int rc = Hand(Of(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFileSize(Real(file), size);
}

int Lock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xLock(Real(file), level);
}
int Unlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}
int SectorSize(sqlite3_file* file) {
  return Real(file)->pMethods->xSectorSize(Real(file));
}
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
int ShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), region, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) {
  Real(file)->pMethods->xShmBarrier(Real(file));
}
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}
int Fetch(sqlite3_file* file, sqlite3_int64 offset, int n, void** out) {
  if (const int rc = Hand(Of(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFetch(Real(file), offset, n, out);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
  return Real(file)->pMethods->xUnfetch(Real(file), offset, p);
}

constexpr sqlite3_io_methods kWalMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

// The same but for writes: Read and the rest find nothing gathered and pass through.
constexpr sqlite3_io_methods DatabaseMethods() {
  sqlite3_io_methods methods = kWalMethods;
  methods.xWrite = DatabaseWrite;
  return methods;
}
constexpr sqlite3_io_methods kDatabaseMethods = DatabaseMethods();

sqlite3_vfs* Default(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* real_vfs = Default(vfs);
  const bool wal = (flags & SQLITE_OPEN_WAL) != 0;
  const bool database = (flags & SQLITE_OPEN_MAIN_DB) != 0 && name != nullptr;
  // Anything else (temporary files, journals): the default VFS's file, as it is (our szOsFile
  // leaves it room).
  if (!wal && !database) return real_vfs->xOpen(real_vfs, name, file, flags, out_flags);
  ShapedFile* f = new (file) ShapedFile;
  f->base.pMethods = nullptr;
  try {
    if (database) f->path = name;
  } catch (const std::bad_alloc&) {  // no exception may cross SQLite
    f->~ShapedFile();
    return SQLITE_NOMEM;
  }
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
  std::memset(f->real, 0, static_cast<std::size_t>(real_vfs->szOsFile));
  const int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // SQLite does not close a file whose open failed; the default VFS's file closes itself.
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~ShapedFile();
    return rc;
  }
  f->base.pMethods = wal ? &kWalMethods : &kDatabaseMethods;
  return SQLITE_OK;
}

// The rest is the default VFS's, called with its own object.
int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Default(vfs)->xDelete(Default(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Default(vfs)->xAccess(Default(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Default(vfs)->xFullPathname(Default(vfs), name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return Default(vfs)->xDlOpen(Default(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int n, char* out) {
  Default(vfs)->xDlError(Default(vfs), n, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Default(vfs)->xDlSym(Default(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) {
  Default(vfs)->xDlClose(Default(vfs), handle);
}
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Default(vfs)->xRandomness(Default(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) {
  return Default(vfs)->xSleep(Default(vfs), micros);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  return Default(vfs)->xCurrentTime(Default(vfs), out);
}
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Default(vfs)->xGetLastError(Default(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Default(vfs)->xCurrentTimeInt64(Default(vfs), out);
}

}  // namespace

const char* ShapedVfs() {
  static const char* const name = [] {
    static sqlite3_vfs vfs;
    sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(kRealOffset) + real->szOsFile;
    vfs.mxPathname = real->mxPathname;
    vfs.zName = "pactum";
    vfs.pAppData = real;
    vfs.xOpen = Open;
    vfs.xDelete = Delete;
    vfs.xAccess = Access;
    vfs.xFullPathname = FullPathname;
    vfs.xDlOpen = DlOpen;
    vfs.xDlError = DlError;
    vfs.xDlSym = DlSym;
    vfs.xDlClose = DlClose;
    vfs.xRandomness = Randomness;
    vfs.xSleep = Sleep;
    vfs.xCurrentTime = CurrentTime;
    vfs.xGetLastError = GetLastError;
    vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(&vfs, /*makeDflt=*/0);
    return vfs.zName;
  }();
  return name;
}

}  // namespace pactum::store
