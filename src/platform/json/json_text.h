#pragma once
//! JSON written straight into a string, for answers built from database rows without a
//! `boost::json` tree in between (the member list: spec 01's performance table). The text is the
//! same as `boost::json::serialize` of the equivalent tree: strings are escaped by Boost.JSON's
//! own serializer whenever they hold a character that needs it.

#include <boost/json/serializer.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace zhibu {

//! A JSON document already serialised, answered as it is.
struct JsonText {
  std::string text;
};

//! Appends one JSON document to `out`. The caller writes a well-formed document (every Begin has
//! its End, every object member a Key then a value); the writer puts in the commas. Keys are the
//! caller's literals and are escaped like any string.
class JsonTextWriter {
 public:
  explicit JsonTextWriter(std::string& out) : out_(out) {}
  JsonTextWriter(const JsonTextWriter&) = delete;
  JsonTextWriter& operator=(const JsonTextWriter&) = delete;

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  //! The name of the next object member.
  void Key(std::string_view name);
  void String(std::string_view text);
  void Int(std::int64_t value);
  void Null();

 private:
  void Separate() {
    if (comma_) out_ += ',';
  }
  void Open(char bracket) {
    Separate();
    out_ += bracket;
    comma_ = false;
  }
  void Close(char bracket) {
    out_ += bracket;
    comma_ = true;
  }
  void Quoted(std::string_view text);

  std::string& out_;
  bool comma_ = false;
  boost::json::serializer escaper_;
};

}  // namespace zhibu
