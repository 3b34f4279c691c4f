// Verification of inclusion and consistency proofs, step by step as RFC 9162 §2.1.3.2 and
// §2.1.4.2 specify.
//
// Inputs are byte strings as they arrive from an untrusted party: the leaf hash and every
// proof element must be 32 bytes, and a proof must have exactly the length the sizes imply.
// Roots are the verifier's own trusted values and are compared byte for byte. Every failure
// is kInvalidArgument with a message saying which check failed.
//
// Consistency with an empty tree is rejected: RFC 9162 defines proofs for 0 < size1 only,
// and an empty tree commits to nothing. Equal sizes need an empty proof and equal roots.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum::merkle {

Status VerifyInclusion(std::uint64_t index, std::uint64_t size, std::string_view leaf_hash,
                       std::span<const std::string> proof, std::string_view root);

Status VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                         std::span<const std::string> proof, std::string_view root1,
                         std::string_view root2);

}  // namespace pactum::merkle
