// Names the calling thread as `top -H`, `ps -L`, perf and gdb show it (Linux keeps the first 15
// bytes): an operator can then tell the log's sequencer from a busy io thread.
#pragma once

namespace pactum {

void NameThisThread(const char* name);

}  // namespace pactum
