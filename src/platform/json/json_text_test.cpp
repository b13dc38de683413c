#include "platform/json/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace zhibu {
namespace {

TEST(JsonTextWriterTest, WritesTheSameTextAsBoostJsonSerialize) {
  const std::string awkward =
      std::string("引号\"、反斜杠\\、换行\n、制表\t、NUL") + '\0' + "\x1f 结束";
  std::string text;
  JsonTextWriter w(text);
  w.BeginObject();
  w.Key("items");
  w.BeginArray();
  for (int i = 0; i < 2; ++i) {
    w.BeginObject();
    w.Key("id");
    w.Int(i == 0 ? -9223372036854775807LL - 1 : 42);
    w.Key("name");
    w.String(i == 0 ? "李玲" : awkward);
    w.Key("confirmed_on");
    if (i == 0) {
      w.Null();
    } else {
      w.String("2026-11-24");
    }
    w.Key("empty");
    w.BeginArray();
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("key with \"quote\"");
  w.String("");
  w.Key("total");
  w.Int(2);
  w.EndObject();

  boost::json::object expected{
      {"items", boost::json::array{boost::json::object{{"id", -9223372036854775807LL - 1},
                                                       {"name", "李玲"},
                                                       {"confirmed_on", nullptr},
                                                       {"empty", boost::json::array{}}},
                                   boost::json::object{
                                       {"id", 42},
                                       {"name", awkward},
                                       {"confirmed_on", "2026-11-24"},
                                       {"empty", boost::json::array{}}}}},
      {"key with \"quote\"", ""},
      {"total", 2}};
  EXPECT_EQ(text, boost::json::serialize(expected));
  EXPECT_EQ(boost::json::parse(text), boost::json::value(expected));
}

TEST(JsonTextWriterTest, EscapesLongStringsAcrossChunks) {
  // Longer than the writer's 512-byte chunk once escaped, so the serializer is read in parts.
  std::string long_text;
  for (int i = 0; i < 400; ++i) long_text += "\"\\\n党";
  std::string text;
  JsonTextWriter w(text);
  w.String(long_text);
  EXPECT_EQ(text, boost::json::serialize(boost::json::value(long_text)));
  EXPECT_EQ(boost::json::parse(text).as_string(), long_text);
}

TEST(JsonTextWriterTest, FindsEveryCharacterThatNeedsEscapingAtEveryPosition) {
  // The fast scan reads eight bytes at a time: put each awkward byte at each offset of two words,
  // among ASCII and multi-byte UTF-8 neighbours, and next to the bytes just outside each class.
  const std::string awkward = std::string("\"\\\x01\x1f\n") + '\0';
  const std::string harmless = " !#[]^_`\x7f~";
  for (std::string filler : {std::string("abcdefghijklmnopq"), std::string("党费党费党费")}) {
    for (std::size_t at = 0; at <= filler.size(); ++at) {
      for (char c : awkward + harmless) {
        std::string text = filler;
        text.insert(at, 1, c);
        std::string out;
        JsonTextWriter w(out);
        w.String(text);
        EXPECT_EQ(out, boost::json::serialize(boost::json::value(text)))
            << "byte " << static_cast<int>(c) << " at " << at;
      }
    }
  }
}

}  // namespace
}  // namespace zhibu
