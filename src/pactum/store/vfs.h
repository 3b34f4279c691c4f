// The store's SQLite VFS: the default one, with the write pattern of a busy WAL database shaped
// for the disk. Two things change, nothing else:
//
// - Consecutive writes are gathered and written, in 64 KiB pieces, when the file is next synced,
//   read, sized or truncated (or past 1 MiB), rather than as SQLite issues them: for the
//   write-ahead log two per frame (its 24-byte header, then its page), for the database file one
//   per page that a checkpoint copies from the WAL (in page order, so mostly in runs). On this
//   machine each write is a costly system call.
// - Writes to the database file start the kernel's writeback every 256 KiB, so that the
//   checkpoint's closing fsync finds little left to write and a commit's WAL fsync does not
//   queue behind megabytes of it on the disk.
//
// Durability is unchanged: SQLite makes a commit visible only after syncing the WAL, and a
// checkpoint counts its pages copied only after syncing the database file; each sync writes
// what was gathered first. A crash before it loses only what was not durable anyway: WAL frames
// that SQLite's recovery discards by their checksums, or database pages that the WAL still holds
// and copies again. Starting writeback is advice to the kernel; the fsyncs SQLite asks for are
// made as before.
//
// It needs `PRAGMA synchronous=FULL` (or EXTRA), as store::Connection sets: with NORMAL or OFF a
// commit does not sync the WAL, and other connections could look for frames still gathered.
#pragma once

namespace pactum::store {

// The VFS's name, registered (not as the default) on first call; pass to sqlite3_open_v2.
const char* ShapedVfs();

}  // namespace pactum::store
