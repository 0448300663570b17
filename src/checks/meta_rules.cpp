// Meta rules: is it a report at all, do its years agree, was it published on time (format §4.1).
#include <algorithm>

#include "checks/registry.hpp"

namespace xxgk::checks {
namespace {

const grammar::Deadline* deadline_for(const CheckContext& ctx, const std::string& kind, int year) {
  for (const grammar::Deadline& d : ctx.grammars.common.deadlines) {
    if (year < d.from_year || year > d.to_year) continue;
    if (std::find(d.kinds.begin(), d.kinds.end(), kind) != d.kinds.end()) return &d;
  }
  return nullptr;
}

void year_mismatch(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report) return;
  const ReportInfo& r = ctx.report;
  const auto& meta = ctx.meta;
  if (!r.year) return;
  const int year = *r.year;
  // `what`: the message naming the date (year.title, year.period…), also the evidence's name for it.
  auto add = [&](const std::string& what, int other, Location where, const std::string& key) {
    Evidence ev;
    add_fact(ev, "report year", std::to_string(year) + " (" + r.year_source + ")");
    // Evidence names are fixed English keys in every language (docs/schema.md).
    add_fact(ev, ctx.grammars.messages.render("en", what, {}), std::to_string(other));
    const std::string source_id = "year-source." + r.year_source;
    const std::string source = ctx.grammars.messages.has(source_id) ? ctx.say(source_id) : r.year_source;
    ctx.add(id, FindingStatus::fail,
            ctx.say("meta.year-mismatch", {{"what", ctx.say(what)}, {"other", other}, {"year", year}, {"source", source}}),
            where, key, ev);
  };
  const auto& page_title = meta.page_title ? meta.page_title : meta.title;
  if (meta.title_year && *meta.title_year != year && page_title)
    add("year.title", *meta.title_year, page_title->location, "title");
  if (meta.header_title_year && *meta.header_title_year != year)
    add("year.header-title", *meta.header_title_year,
        meta.header.count("title") ? meta.header.at("title").location : Location{}, "header-title");
  if (meta.period_year && *meta.period_year != year) add("year.period", *meta.period_year, meta.period_location, "period");
  if (meta.period_end && meta.period_end->year != year && (!meta.period_year || *meta.period_year == year))
    add("year.period-end", meta.period_end->year, meta.period_location, "period-end");
  if (r.published && r.published->year <= year) {
    // Published before the year it reports on was over: the date or the year is wrong.
    Evidence ev;
    add_fact(ev, "report year", std::to_string(year) + " (" + r.year_source + ")");
    add_fact(ev, "published", r.published->iso() + " (" + r.published_source + ")");
    ctx.add(id, FindingStatus::fail,
            ctx.say("meta.year-mismatch.published-early", {{"published", r.published->iso()}, {"year", year}}),
            meta.published_location, "published", ev);
  }
  if (meta.signed_on && (meta.signed_on->year < year || meta.signed_on->year > year + 1))
    add("year.signed", meta.signed_on->year, meta.signed_location, "signed");
}

void late_publication(CheckContext& ctx, const std::string& id) {
  const ReportInfo& r = ctx.report;
  if (!r.is_report || !r.year || !r.published) return;
  const grammar::Deadline* d = deadline_for(ctx, r.kind.empty() ? "unknown" : r.kind, *r.year);
  if (!d) return;
  Date deadline{*r.year + 1, d->month, d->day};
  if (d->configurable == "township") deadline = Date{*r.year + 1, ctx.options.township_deadline_month, ctx.options.township_deadline_day};
  if (*r.published <= deadline) return;
  Evidence ev;
  add_fact(ev, "published", r.published->iso() + " (" + r.published_source + ")");
  add_fact(ev, "deadline", deadline.iso());
  add_fact(ev, "kind of body", r.kind);
  add_fact(ev, "basis", d->basis);
  ctx.add(id, FindingStatus::fail,
          ctx.say("meta.late-publication", {{"published", r.published->iso()}, {"deadline", deadline.iso()}, {"basis", d->basis}}),
          ctx.meta.published_location, "published:" + r.published->iso(), ev);
}

void not_a_report(CheckContext& ctx, const std::string& id) {
  if (ctx.report.is_report) return;
  Evidence ev;
  add_fact(ev, "reason", ctx.report.not_report_reason);
  ctx.add(id, FindingStatus::fail, ctx.say("meta.not-a-report", {{"reason", ctx.report.not_report_reason}}),
          ctx.meta.title ? ctx.meta.title->location : ctx.doc.locate_source(0), "not-a-report", ev);
}

}  // namespace

void register_meta_rules(Registry& r) {
  r.add("meta.not-a-report", not_a_report);
  r.add("meta.year-mismatch", year_mismatch);
  r.add("meta.late-publication", late_publication);
}

}  // namespace xxgk::checks
