// SPDX-License-Identifier: MIT
#include "report/xml_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace fanout {
namespace {

std::string text(std::string_view bytes)
{
  std::string out;
  append_xml(out, bytes, XmlPlace::text);
  return out;
}

std::string attribute(std::string_view bytes)
{
  std::string out;
  append_xml(out, bytes, XmlPlace::attribute);
  return out;
}

TEST(XmlText, AppendsToWhatIsThere)
{
  std::string out = "<a>";
  append_xml(out, "b", XmlPlace::text);
  EXPECT_EQ(out, "<a>b");
}

TEST(XmlText, KeepsPlainTextAndValidUtf8AsTheyAre)
{
  EXPECT_EQ(text("make -j4 all"), "make -j4 all");
  EXPECT_EQ(text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd");
  EXPECT_EQ(text("back\\slash \\x1b"), "back\\slash \\x1b");
  EXPECT_EQ(text(""), "");
}

TEST(XmlText, EscapesTheFiveMarkupCharactersEverywhere)
{
  EXPECT_EQ(text("a & b < c > d \"e\" 'f'"), "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
  EXPECT_EQ(attribute("a & b < c > d \"e\" 'f'"),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
}

TEST(XmlText, NeverLetsACdataEndThrough)
{
  EXPECT_EQ(text("]]>"), "]]&gt;");
  EXPECT_EQ(text("<![CDATA[x]]>"), "&lt;![CDATA[x]]&gt;");
}

TEST(XmlText, KeepsTabAndNewlineInTextButNotInAttributes)
{
  EXPECT_EQ(text("a\tb\nc\r\nd"), "a\tb\nc&#13;\nd");
  EXPECT_EQ(attribute("a\tb\nc\r\nd"), "a&#9;b&#10;c&#13;&#10;d");
}

TEST(XmlText, ShowsControlCharactersXmlForbidsAsHexEscapes)
{
  EXPECT_EQ(text(std::string_view("\x00\x01\x08\x0b\x0c\x0e\x1f", 7)),
            "\\x00\\x01\\x08\\x0b\\x0c\\x0e\\x1f");
  EXPECT_EQ(text("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(attribute("\x1b[1m"), "\\x1b[1m");
  // DEL and the C1 controls are characters XML 1.0 allows.
  EXPECT_EQ(text("\x7f \xc2\x85"), "\x7f \xc2\x85");
}

TEST(XmlText, ShowsTheNonCharactersFffeAndFfffByteByByte)
{
  EXPECT_EQ(text("\xef\xbf\xbe|\xef\xbf\xbf"), "\\xef\\xbf\\xbe|\\xef\\xbf\\xbf");
  EXPECT_EQ(text("\xef\xbf\xbd"), "\xef\xbf\xbd"); // U+FFFD is a character
}

TEST(XmlText, ShowsBytesThatAreNotUtf8AsHexEscapes)
{
  EXPECT_EQ(text("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(text("a\x80z"), "a\\x80z");                          // stray continuation
  EXPECT_EQ(text("\xc0\xaf \xc1\xbf"), "\\xc0\\xaf \\xc1\\xbf"); // overlong, two bytes
  EXPECT_EQ(text("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");            // overlong, three bytes
  EXPECT_EQ(text("\xf0\x8f\xbf\xbf"), "\\xf0\\x8f\\xbf\\xbf");   // overlong, four bytes
  EXPECT_EQ(text("\xed\xa0\x80"), "\\xed\\xa0\\x80");            // a surrogate
  EXPECT_EQ(text("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");   // past U+10FFFF
  EXPECT_EQ(text("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
  EXPECT_EQ(text("\xe2\x82"), "\\xe2\\x82");            // cut short at the end
  EXPECT_EQ(text("\xe2\x82z\xc3"), "\\xe2\\x82z\\xc3"); // cut short before ASCII
}

TEST(XmlText, TakesTheEdgesOfEachUtf8RangeAsCharacters)
{
  for (const std::string_view character :
       {"\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbd",
        "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf"}) {
    EXPECT_EQ(text(character), character);
  }
}

TEST(XmlText, ResumesAfterABadByteAtTheNextCharacter)
{
  EXPECT_EQ(text("\xe2\xe2\x82\xac"), "\\xe2\xe2\x82\xac");
  EXPECT_EQ(text("\xc3<"), "\\xc3&lt;");
}

} // namespace
} // namespace fanout
