// The store's SQLite VFS: the default one, with the write pattern of a busy WAL database shaped
// for the disk. Two things change, nothing else:
//
// - Writes to the write-ahead log are gathered and written when the commit syncs, in 64 KiB
//   pieces, rather than two per frame (its 24-byte header, then its page) as SQLite issues them.
// - Writes to the database file (a checkpoint copying pages from the WAL) start the kernel's
//   writeback every 256 KiB, so that the checkpoint's closing fsync finds little left to write
//   and a commit's WAL fsync does not queue behind megabytes of it on the disk.
//
// Durability is unchanged: SQLite makes a commit visible only after syncing the WAL, and the
// sync writes what was gathered first; a crash before the sync loses only frames that were not
// durable anyway, which SQLite's recovery discards by their checksums. A read, a size or a
// truncation of the WAL writes what was gathered before it. Starting writeback is advice to the
// kernel; the fsyncs SQLite asks for are made as before.
//
// It needs `PRAGMA synchronous=FULL` (or EXTRA), as store::Connection sets: with NORMAL or OFF a
// commit does not sync the WAL, and other connections could look for frames still gathered.
#pragma once

namespace pactum::store {

// The VFS's name, registered (not as the default) on first call; pass to sqlite3_open_v2.
const char* ShapedVfs();

}  // namespace pactum::store
