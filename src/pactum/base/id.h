// Sortable unique identifiers: UUIDv7 (RFC 9562 §5.7).
//
// The first 48 bits are the Unix time in milliseconds, so ids sort by creation time; within one
// millisecond a process-wide counter in rand_a keeps them strictly increasing, and the last 62
// bits are random.
#pragma once

#include <string>

#include "pactum/base/clock.h"

namespace pactum {

// "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" (lowercase, 36 characters). Thread-safe.
std::string NewUuidV7(const Clock& clock = SystemClock());

// True if `text` is a UUID in the canonical lowercase 8-4-4-4-12 form.
bool IsUuid(std::string_view text);

}  // namespace pactum
