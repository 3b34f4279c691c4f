// A SQLite VFS that gathers the writes to a write-ahead log and hands them to the file system
// at the commit's sync, in one write, rather than two per frame (its 24-byte header, then its
// page) as SQLite issues them. Everything else is the default VFS's.
//
// Durability is unchanged: SQLite makes a commit visible to readers only after syncing the
// WAL, and the sync writes what was gathered first; a crash before the sync loses only frames
// that were not durable anyway, which SQLite's recovery discards by their checksums. A read,
// a size or a truncation of the WAL by the writer writes what was gathered before it.
//
// It needs `PRAGMA synchronous=FULL` (or EXTRA), as store::Connection sets: with NORMAL or OFF a
// commit does not sync the WAL, and other connections could look for frames still gathered.
#pragma once

namespace pactum::store {

// The VFS's name, registered (not as the default) on first call; pass to sqlite3_open_v2.
const char* GatheringWalVfs();

}  // namespace pactum::store
