// The check every extension literal test makes of a rejected literal: an InvalidArgument whose
// message says what is wrong and quotes the literal.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "pactum/base/json.h"
#include "pactum/base/status.h"

namespace pactum::cedar::ext::testing {

template <typename T>
void ExpectRejected(const std::string& text, const std::string& message_part) {
  Result<T> parsed = T::Parse(text);
  ASSERT_FALSE(parsed.ok()) << text << " parsed as " << parsed->ToString();
  EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find(message_part), std::string::npos)
      << parsed.status().message();
  EXPECT_NE(parsed.status().message().find(Json(text).dump()), std::string::npos)
      << "the message names the literal: " << parsed.status().message();
}

}  // namespace pactum::cedar::ext::testing
