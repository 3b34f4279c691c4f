// The readable page of a trust packet (docs/PACKETS.md): one self-contained HTML document (inline
// style, no scripts, no external resources) with a section per part of the packet, under stable
// ids: identity, pacts, controls, scores, scorecard, consequences, escalations, freshness, log.
// Every value from the packet is HTML-escaped. The page is a view: the signed JSON is what
// verifies.
#pragma once

#include <string>

#include "pactum/base/status.h"

namespace pactum::service {

// `envelope` is the packet as POST /v1/packets answers it (a DSSE envelope); fails if it does
// not hold a trust packet statement.
Result<std::string> TrustPacketHtml(const Json& envelope);

}  // namespace pactum::service
