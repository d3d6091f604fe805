#include "services/server/web/assets.h"

namespace torikumi::server::web {

namespace {

// Large type and strong contrast for a projector; the system's Japanese fonts; a visible
// focus ring for keyboard use; A4 landscape print with the published table's layout (no
// navigation, forms or opened details; a rating round prints as its progress and entries).
constexpr char kCss[] = R"css(
:root { --a: #2e7d32; --b: #f9a825; --c: #c62828; --none: #9e9e9e; --ink: #1a1a1a; }
html { font-size: 16px; }
body { font-family: "Noto Sans CJK JP", "IPAGothic", "IPAexGothic", "Hiragino Sans", "Yu Gothic",
       Meiryo, sans-serif; color: var(--ink); margin: 0 1.5rem 2rem; line-height: 1.5; }
nav.top { display: flex; gap: 1.5rem; padding: .6rem 0; border-bottom: 2px solid #444;
          margin-bottom: 1rem; flex-wrap: wrap; }
nav.top a { font-weight: bold; }
a { color: #0b4f9c; }
a:focus, button:focus, input:focus, select:focus, summary:focus {
  outline: 3px solid #ff8f00; outline-offset: 2px; }
h1 { font-size: 1.6rem; margin: .4rem 0 .8rem; }
h2 { font-size: 1.3rem; margin-top: 1.6rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #777; padding: .25rem .4rem; vertical-align: top; }
th { background: #eceff1; }
table.plan td.title { min-width: 12rem; }
table.plan { font-size: .92rem; }
table.plan td.outcome { min-width: 7rem; max-width: 10rem; font-size: .88rem;
                        white-space: pre-line; }
table.plan td.outcome.period { max-width: none; }
table.plan td.theme { min-width: 5rem; }
table.plan td.subtheme { min-width: 7rem; }
table.plan td.phase, table.plan td.grade { text-align: center; white-space: nowrap; }
tr.area th { text-align: left; background: #cfd8dc; font-size: 1.1rem; }
tr.disagree td { background: #fff3e0; }
.mark { color: #b71c1c; font-weight: bold; display: block; }
tr.explain td { border-top: none; background: #fafafa; }
details summary { cursor: pointer; color: #0b4f9c; }
details dl, dl.import-counts, dl.round-status, dl.next-entry {
  display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
details dt, dl.import-counts dt, dl.round-status dt, dl.next-entry dt { font-weight: bold; }
dl.import-counts dd, dl.round-status dd, dl.next-entry dd { margin: 0; }
progress { width: 16rem; height: 1rem; vertical-align: middle; }
section.next { border: 2px solid #0b4f9c; padding: .2rem 1rem 1rem; margin: 1.5rem 0; }
section.next h2 { margin-top: .6rem; }
dd.proposed-grade { font-size: 1.4rem; font-weight: bold; }
form.accept, form.override, form.close, form.reopen, form.open-round, form.next-area {
  margin: .8rem 0; }
form.override fieldset { display: flex; gap: 1rem; flex-wrap: wrap; align-items: end; }
form.override label, form.reopen label { display: flex; flex-direction: column; }
textarea { font-size: 1rem; font-family: inherit; }
table.round-areas td, table.round-entries td.grade { text-align: center; }
table.round-entries { font-size: .92rem; margin-top: 1rem; }
tr.entry[data-decision="DECISION_OVERRIDDEN"] td.decision { color: #b71c1c; font-weight: bold; }
form.confirm { margin-top: 1rem; }
form.filters { display: flex; gap: 1rem; flex-wrap: wrap; align-items: end; margin-bottom: 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: .9rem; }
input, select, button { font-size: 1rem; padding: .2rem .4rem; }
.count { font-weight: bold; }
.chart { margin: 1rem 0 2rem; }
.chart svg { max-width: 100%; height: auto; }
.chart text { font-family: inherit; }
.chart figcaption { font-weight: bold; font-size: 1.1rem; }
.chart svg a text { fill: #0b4f9c; text-decoration: underline; }
.chart svg a:focus text { fill: #ff8f00; }
.severity-error { color: #b71c1c; font-weight: bold; }
.refusal { border: 2px solid #b71c1c; padding: .5rem; }
.error { border: 2px solid #b71c1c; padding: .5rem; background: #ffebee; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
                   clip: rect(0 0 0 0); white-space: nowrap; }
a.skip { position: absolute; left: -100rem; }
a.skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .3rem .6rem; }
@media (min-width: 1600px) { html { font-size: 19px; } }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  html { font-size: 9pt; }
  body { margin: 0; }
  nav.top, form, form.filters, tr.explain, .no-print { display: none !important; }
  table.plan { width: 100%; }
  th, td { border-color: #000; padding: 1pt 2pt; }
  tr.disagree td { background: none; }
  section.next { border: none; padding: 0; }
  table.round-entries { width: 100%; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";

}  // namespace

absl::string_view StyleSheet() { return kCss; }

}  // namespace torikumi::server::web
