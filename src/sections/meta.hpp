// sections/meta.hpp — stage 3a: what the page says about itself: crawler header, title, agency, year,
// statistics period, publication and signing dates (classify/ decides what they make of the document).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "grammar/grammar.hpp"
#include "document/document.hpp"

namespace xxgk::sections {

struct FoundText {
  std::string text;
  Location location;
};

struct Meta {
  std::map<std::string, FoundText> header;  //!< crawler header fields by name (title, published, agency…)
  size_t body_start = 0;                    //!< match offset where the page text starts (after the header)

  std::optional<FoundText> title;       //!< the crawler header's title, else the one found in the page
  std::optional<FoundText> page_title;  //!< the title found in the page, when the header gave one too
  std::optional<int> title_year;        //!< year of the title found in the page
  std::optional<int> mention_year;      //!< year of a sentence that names the report (…特公布贵州省2018年…年度报告)
  std::string agency;
  std::string agency_source;  //!< "title", "header", "overview", "signature"

  std::optional<Date> published;
  std::string published_source;
  Location published_location;

  std::optional<Date> period_start, period_end;
  std::optional<int> period_year;
  Location period_location;

  std::optional<Date> signed_on;
  Location signed_location;

  std::optional<int> header_title_year;
  std::optional<int> overview_year;  //!< the year 一、总体情况 opens with ("2024年，…")
};

Meta extract_meta(const Document& doc, const grammar::Common& common);

}  // namespace xxgk::sections
