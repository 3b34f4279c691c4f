#include "pactum/base/canonical_json.h"

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"

namespace pactum {
namespace {

namespace fs = std::filesystem;
const fs::path kJcs = fs::path(PACTUM_SHARED_DATA) / "vectors/jcs/testdata";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every input under vectors/jcs canonicalises to the expected output, byte for byte, and the
// outhex files agree with the outputs.
TEST(CanonicalJson, ReproducesEveryRfc8785Vector) {
  ASSERT_TRUE(fs::is_directory(kJcs / "input")) << "missing test data: " << kJcs / "input";
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kJcs / "input")) {
    const auto name = entry.path().filename();
    SCOPED_TRACE(name.string());
    std::string expected = ReadFile(kJcs / "output" / name);
    auto got = CanonicalizeJsonText(ReadFile(entry.path()));
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, expected);
    // outhex: space/newline separated hex bytes of the same output.
    std::string hex;
    for (char c : ReadFile((kJcs / "outhex" / name).replace_extension(".txt")))
      if (!std::isspace(static_cast<unsigned char>(c))) hex.push_back(c);
    auto bytes = HexDecode(hex);
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(*bytes, expected);
    ++checked;
  }
  EXPECT_GE(checked, 6);
}

// Sample lines from the RFC 8785 ES6 number test file (hex IEEE-754 → expected).
TEST(CanonicalJson, NumbersFollowEcmaScript) {
  struct Case {
    std::uint64_t bits;
    const char* want;
  } cases[] = {
      {0x4340000000000001, "9007199254740994"},
      {0x4340000000000002, "9007199254740996"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x8000000000000000, "0"},
      {0x0, "0"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0x0000000000000001, "5e-324"},
      {0x44b52d02c7e14af6, "1e+23"},

  };
  for (const auto& c : cases)
    EXPECT_EQ(EcmaNumberString(std::bit_cast<double>(c.bits)), c.want) << std::hex << c.bits;
  EXPECT_EQ(EcmaNumberString(123.0), "123");
  EXPECT_EQ(EcmaNumberString(0.5), "0.5");
  EXPECT_EQ(EcmaNumberString(-1.25e-7), "-1.25e-7");
}

TEST(CanonicalJson, SortsByUtf16CodeUnits) {
  // U+10000 (surrogates D800 DC00) sorts before U+E000 in UTF-16, after it in UTF-8.
  Json j = Json::object();
  j["\xee\x80\x80"] = 1;
  j["\xf0\x90\x80\x80"] = 2;
  j["a"] = 3;
  EXPECT_EQ(*CanonicalJson(j), "{\"a\":3,\"\xf0\x90\x80\x80\":2,\"\xee\x80\x80\":1}");
}

TEST(CanonicalJson, RejectsWhatJsonCannotCarry) {
  EXPECT_FALSE(CanonicalJson(Json(std::nan(""))).ok());
  EXPECT_FALSE(CanonicalJson(Json(std::string("\xff"))).ok());
  EXPECT_EQ(CanonicalizeJsonText("[1,").status().code(), Code::kInvalidArgument);
}

TEST(CanonicalJson, EscapesOnlyWhatItMust) {
  Json j = std::string("\x01\"\\/\x7f\t");
  EXPECT_EQ(*CanonicalJson(j), "\"\\u0001\\\"\\\\/\x7f\\t\"");
}

TEST(CanonicalWriter, WritesWhatCanonicalJsonWrites) {
  const Json context = Json::parse(R"({"z": [1, 2.5, "é"], "a": {"y": null, "b": true}})");
  CanonicalWriter w;
  w.BeginObject()
      .Name("a")
      .Int(-9007199254740992)
      .Name("b")
      .BeginArray()
      .String("x\n\"y")
      .Bool(false)
      .BeginObject()
      .EndObject()
      .EndArray()
      .Name("c")
      .Value(context)
      .Name("d")
      .Int(12345678901234567)  // beyond 2^53: printed as the double it denotes
      .EndObject();
  Result<std::string> text = std::move(w).Finish();
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  Json doc = Json::object();
  doc["a"] = -9007199254740992;
  doc["b"] = Json::array({"x\n\"y", false, Json::object()});
  doc["c"] = context;
  doc["d"] = 12345678901234567;
  EXPECT_EQ(*text, *CanonicalJson(doc));
}

// A name is checked against the one before it in its own object, whether that one was written
// as it is or needed escapes, and whatever nested objects came between.
TEST(CanonicalWriter, OrdersNamesWithEscapesAndNesting) {
  CanonicalWriter w;
  w.BeginObject()
      .Name("a\tb")
      .BeginObject()
      .Name("z")
      .Int(1)
      .EndObject()
      .Name("a\"")  // '"' (0x22) after '\t' (0x09)
      .Canonical(R"({"k":[1,"v"]})")
      .Name("ab")
      .BeginObject()
      .Name("b\n")
      .Bool(true)
      .Name("c")
      .Bool(false)
      .EndObject()
      .Name("é")
      .Int(2)
      .EndObject();
  Result<std::string> text = std::move(w).Finish();
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  const Json doc = Json::parse(R"({"a\tb": {"z": 1}, "a\"": {"k": [1, "v"]},
                                   "ab": {"b\n": true, "c": false}, "é": 2})");
  EXPECT_EQ(*text, *CanonicalJson(doc));

  CanonicalWriter after_escaped;  // "a\t" sorts before "a\"", so this order is refused
  after_escaped.BeginObject().Name("a\"").Int(1).Name("a\t").Int(2).EndObject();
  EXPECT_EQ(std::move(after_escaped).Finish().status().code(), Code::kInternal);
  CanonicalWriter after_nested;  // the nested object's "z" does not count as the outer's last
  after_nested.BeginObject().Name("b").BeginObject().Name("z").Int(1).EndObject();
  after_nested.Name("a").Int(2).EndObject();
  EXPECT_EQ(std::move(after_nested).Finish().status().code(), Code::kInternal);
}

TEST(CanonicalWriter, RefusesWhatWouldNotBeCanonical) {
  auto finish = [](CanonicalWriter& w) { return std::move(w).Finish().status(); };
  {
    CanonicalWriter w;  // names out of order
    w.BeginObject().Name("b").Int(1).Name("a").Int(2).EndObject();
    Status s = finish(w);
    EXPECT_EQ(s.code(), Code::kInternal);
    EXPECT_NE(s.message().find("\"a\" out of canonical order"), std::string::npos) << s.message();
  }
  {
    CanonicalWriter w;  // the same name twice
    w.BeginObject().Name("a").Int(1).Name("a").Int(2).EndObject();
    EXPECT_FALSE(finish(w).ok());
  }
  {
    CanonicalWriter w;  // a value where a name is due
    w.BeginObject().Int(1).EndObject();
    EXPECT_FALSE(finish(w).ok());
  }
  {
    CanonicalWriter w;  // not closed
    w.BeginArray().Int(1);
    EXPECT_FALSE(finish(w).ok());
  }
  {
    CanonicalWriter w;  // invalid UTF-8 is the input's fault
    w.String("\xff");
    EXPECT_EQ(finish(w).code(), Code::kInvalidArgument);
  }
  {
    CanonicalWriter w;  // nothing written
    EXPECT_FALSE(finish(w).ok());
  }
}

}  // namespace
}  // namespace pactum
