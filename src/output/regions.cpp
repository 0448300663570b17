// output/regions.cpp — where a body is, by province and city, from its name and the host its report was crawled
// from (grammars/regions.xml): the overview of a scan counts findings by region.
#include <pugixml.hpp>

#include <algorithm>
#include <sstream>
#include <unordered_map>

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

// Where each name of a list of places may start: its first three bytes (a CJK character), in the list's order.
// PERF: a scan looked for each of ~1,500 names in every agency (`find` per name, twice per document); now an agency is
// walked once and only the names starting with the bytes found there are compared.
struct NameIndex {
  struct Entry {
    const Place* place;
    const std::string* name;
    bool start_only;
  };
  static constexpr size_t kKeyBytes = 3;
  std::unordered_map<uint32_t, std::vector<Entry>> by_start;
  std::vector<Entry> short_names;  // shorter than the key, compared at every position

  static uint32_t key_at(std::string_view s, size_t at) {
    uint32_t key = 0;
    for (size_t k = 0; k < kKeyBytes; ++k) key = key << 8 | static_cast<unsigned char>(s[at + k]);
    return key;
  }
  void add(const std::vector<Place>& places) {
    for (const Place& p : places) {
      auto put = [&](const std::string& name, bool start_only) {
        if (name.empty()) return;
        const Entry e{&p, &name, start_only};
        if (name.size() < kKeyBytes) short_names.push_back(e);
        else by_start[key_at(name, 0)].push_back(e);
      };
      for (const std::string& n : p.names) put(n, false);
      for (const std::string& n : p.prefixes) put(n, true);
    }
  }
};

// Cities first: a city's place says its province too.
struct Gazetteer {
  std::vector<Place> cities, provinces;
  NameIndex city_names, province_names;
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
    // The vectors are complete: the indexes point into them.
    out.city_names.add(out.cities);
    out.province_names.add(out.provinces);
    return out;
  }();
  return g;
}

// The earliest place named in `agency` (the longest name where two start together; the first in the list where
// two as long do). A start-only name counts only at the agency's first byte.
const Place* named(const NameIndex& index, std::string_view agency, size_t* at) {
  const Place* best = nullptr;
  size_t best_at = std::string_view::npos, best_length = 0;
  for (size_t pos = 0; pos < agency.size() && !best; ++pos) {
    auto consider = [&](const NameIndex::Entry& e) {
      if (e.start_only && pos != 0) return;
      if (agency.compare(pos, e.name->size(), *e.name) != 0 || e.name->size() <= best_length) return;
      best = e.place, best_at = pos, best_length = e.name->size();
    };
    if (pos + NameIndex::kKeyBytes <= agency.size())
      if (auto found = index.by_start.find(NameIndex::key_at(agency, pos)); found != index.by_start.end())
        for (const NameIndex::Entry& e : found->second) consider(e);
    // Where a long and a short name start at the same byte, the longer wins; in list order among equals.
    for (const NameIndex::Entry& e : index.short_names) consider(e);
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
  const Place* city = named(g.city_names, agency, &city_at);
  const Place* province = named(g.province_names, agency, &province_at);
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
