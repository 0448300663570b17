// output/regions.cpp — where a body is, by province and city, from its name and the host its report was crawled
// from (grammars/regions.xml): the overview of a scan counts findings by region.
#include <pugixml.hpp>

#include <algorithm>
#include <sstream>

#include "grammar/grammar.hpp"
#include "xxgk/output.hpp"

namespace xxgk {
namespace {

struct Place {
  std::string province, city;        // short names, as the overview shows them
  std::vector<std::string> names;    // as written in agency names
  std::vector<std::string> hosts;    // labels of crawl hosts
  std::vector<std::string> prefixes; // short names that count only at the start of an agency name
};

std::vector<std::string> words_of(const char* text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Cities first: a city's place says its province too.
struct Gazetteer {
  std::vector<Place> cities, provinces;
};

const Gazetteer& gazetteer() {
  static const Gazetteer g = [] {
    Gazetteer out;
    const auto& files = grammar::embedded_grammars();
    auto it = files.find("regions.xml");
    if (it == files.end()) return out;
    pugi::xml_document doc;
    if (!doc.load_buffer(it->second.data(), it->second.size(), pugi::parse_default, pugi::encoding_utf8)) return out;
    for (pugi::xml_node p : doc.child("regions").children("province")) {
      Place province{p.attribute("name").value(), {}, {p.attribute("full").value()}, words_of(p.attribute("hosts").value()),
                     {p.attribute("name").value()}};
      for (const std::string& also : words_of(p.attribute("also").value())) province.names.push_back(also);
      for (pugi::xml_node c : p.children("city")) {
        Place city{province.province, c.attribute("name").value(), {c.attribute("full").value()}, words_of(c.attribute("hosts").value()), {}};
        for (const std::string& also : words_of(c.attribute("also").value())) city.names.push_back(also);
        out.cities.push_back(std::move(city));
      }
      out.provinces.push_back(std::move(province));
    }
    return out;
  }();
  return g;
}

// The earliest place named in `agency` (the longest name where two start together).
const Place* named(const std::vector<Place>& places, std::string_view agency, size_t* at) {
  const Place* best = nullptr;
  size_t best_at = std::string_view::npos, best_length = 0;
  for (const Place& p : places) {
    auto consider = [&](const std::string& name, bool start_only) {
      if (name.empty()) return;
      const size_t pos = agency.find(name);
      if (pos == std::string_view::npos || (start_only && pos != 0)) return;
      if (pos < best_at || (pos == best_at && name.size() > best_length)) best = &p, best_at = pos, best_length = name.size();
    };
    for (const std::string& n : p.names) consider(n, false);
    for (const std::string& n : p.prefixes) consider(n, true);
  }
  if (at) *at = best_at;
  return best;
}

const Place* hosted(const std::vector<Place>& places, std::string_view url, const std::string& province = {}) {
  std::string_view host = url;
  if (size_t scheme = host.find("://"); scheme != std::string_view::npos) host.remove_prefix(scheme + 3);
  host = host.substr(0, host.find_first_of("/:?#"));
  for (size_t pos = 0; pos < host.size();) {
    size_t dot = host.find('.', pos);
    if (dot == std::string_view::npos) dot = host.size();
    const std::string_view label = host.substr(pos, dot - pos);
    for (const Place& p : places)
      if ((province.empty() || p.province == province) && std::find(p.hosts.begin(), p.hosts.end(), label) != p.hosts.end()) return &p;
    pos = dot + 1;
  }
  return nullptr;
}

}  // namespace

Region region_of(std::string_view agency, std::string_view url) {
  const Gazetteer& g = gazetteer();
  size_t city_at = 0, province_at = 0;
  const Place* city = named(g.cities, agency, &city_at);
  const Place* province = named(g.provinces, agency, &province_at);
  // A province named before a city of another province wins (海南省… is not a prefecture of 青海).
  if (city && province && province->province != city->province && province_at < city_at) city = nullptr;
  if (city) return {city->province, city->city};
  if (!url.empty()) {
    if (const Place* c = hosted(g.cities, url, province ? province->province : std::string())) return {c->province, c->city};
    if (!province) province = hosted(g.provinces, url);
  }
  return province ? Region{province->province, {}} : Region{};
}

}  // namespace xxgk
