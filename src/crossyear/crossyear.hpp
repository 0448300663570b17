// crossyear/crossyear.hpp — one body's consecutive reports against each other (common.xml <crossyear>).
//
// A report leaves behind a few facts (the cells the relations name, fingerprints of its prose sentences); a
// later pass over many reports groups them by body and year and compares each report with the year before.
// This runs after the per-document pipeline and reads only those facts, never a document.
#pragma once

#include <vector>

#include "grammar/grammar.hpp"
#include "document/document.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk::crossyear {

//! The facts of a checked report (tables already rebuilt); `doc` gives its prose.
YearFacts facts_of(const grammar::GrammarSet& grammars, const CheckResult& result, const Document& doc, size_t body_begin);

//! Findings of `current` against `previous` (the same body, the year before).
//! Findings in `language` (a language of the grammars' messages).
std::vector<Finding> compare(const grammar::GrammarSet& grammars, const std::string& language, const YearFacts& previous,
                             const YearFacts& current);

}  // namespace xxgk::crossyear
