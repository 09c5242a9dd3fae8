/**
 * The report page's stylesheet: light and dark schemes (prefers-color-scheme), a narrow layout, and a print
 * layout without controls. One constant: the page's Content-Security-Policy allows exactly this text by its hash.
 */

export const PAGE_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa; --link: #0b5cad;
  --focus: #0b5cad; --mark: #fff3b0;
  --critical-bg: #7a0e0e; --critical-fg: #ffffff;
  --high-bg: #b42318; --high-fg: #ffffff;
  --medium-bg: #ffd970; --medium-fg: #3d2a00;
  --low-bg: #dbe7ff; --low-fg: #0a3577;
  --info-bg: #e8ebef; --info-fg: #3b434c;
  --added: #116329; --removed: #a40e26; --widened: #953800;
  --added-bg: #dafbe1; --removed-bg: #ffebe9; --widened-bg: #fff1e5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #3d444d; --panel: #161b22; --link: #79b8ff;
    --focus: #79b8ff; --mark: #5a4a00;
    --critical-bg: #ff9a92; --critical-fg: #2b0000;
    --high-bg: #ffb28a; --high-fg: #2b1000;
    --medium-bg: #e3b341; --medium-fg: #1f1500;
    --low-bg: #1f3b66; --low-fg: #dbe7ff;
    --info-bg: #30363d; --info-fg: #e6edf3;
    --added: #56d364; --removed: #ff8182; --widened: #ffa657;
    --added-bg: #0f2f1a; --removed-bg: #3c1618; --widened-bg: #3a2210;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.skip { position: absolute; left: -10000px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 1; }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
h4 { font-size: .95rem; margin: .75rem 0 .25rem; }
code, pre, .mono { font-family: ui-monospace, "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: .9em; }
.text { unicode-bidi: isolate; overflow-wrap: anywhere; }
td.text, th.text, td .text { overflow-wrap: break-word; }
tbody th { background: none; font-weight: normal; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.banner { border: 2px solid var(--high-bg); background: var(--panel); padding: .5rem .75rem; margin: .75rem 0; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 0; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; min-width: 8.5rem; background: var(--panel); }
.cards .count { display: block; font-size: 1.5rem; font-weight: 700; }
.summary { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.chart { max-width: 100%; height: auto; }
.chart text { fill: var(--fg); font-size: 13px; }
.chart .bar-critical { fill: var(--critical-bg); } .chart .bar-high { fill: var(--high-bg); }
.chart .bar-medium { fill: var(--medium-bg); } .chart .bar-low { fill: var(--low-bg); }
.chart .bar-info { fill: var(--info-bg); } .chart .axis { stroke: var(--line); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 4px; font-weight: 600; font-size: .85em; white-space: nowrap; }
.sev-critical { background: var(--critical-bg); color: var(--critical-fg); }
.sev-high { background: var(--high-bg); color: var(--high-fg); }
.sev-medium { background: var(--medium-bg); color: var(--medium-fg); }
.sev-low { background: var(--low-bg); color: var(--low-fg); }
.sev-info { background: var(--info-bg); color: var(--info-fg); }
.verdict-relay { font-weight: 700; }
.muted { color: var(--muted); }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; margin: .5rem 0; }
.controls label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
input, select, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: .2rem .45rem; }
button { cursor: pointer; background: var(--panel); }
button:disabled { cursor: default; opacity: .6; }
.pager { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .5rem 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); white-space: nowrap; }
th button { border: 0; background: none; padding: 0; font-weight: 700; }
th .arrow { display: inline-block; width: 1em; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.detail > td { background: var(--panel); padding: .5rem 1rem 1rem; }
/* The details never widen the table: they take the width the rows give them. */
tr.detail > td > div { width: 0; min-width: 100%; }
button.row { border: 0; background: none; padding: 0; text-align: left; color: var(--link); text-decoration: underline; }
button.row[aria-expanded="true"] { font-weight: 700; }
.detail-top { display: grid; grid-template-columns: repeat(auto-fit, minmax(24rem, 1fr)); gap: 0 2rem; }
.detail-top > * { min-width: 0; }
.detail table { font-size: .9rem; }
.finding { border: 1px solid var(--line); border-left-width: 6px; border-radius: 4px; padding: .5rem .9rem; margin: .75rem 0; background: var(--bg); }
.finding.sev-critical, .finding.sev-high, .finding.sev-medium, .finding.sev-low, .finding.sev-info { background: var(--bg); color: var(--fg); }
.finding.sev-critical { border-left-color: var(--critical-bg); } .finding.sev-high { border-left-color: var(--high-bg); }
.finding.sev-medium { border-left-color: var(--medium-bg); } .finding.sev-low { border-left-color: var(--low-bg); }
.finding.sev-info { border-left-color: var(--info-bg); }
.finding h3, .finding h4 { margin-top: .25rem; }
.command-head { display: flex; align-items: baseline; gap: 1rem; }
.command pre { background: var(--panel); border: 1px solid var(--line); padding: .5rem .75rem; margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
/* Change marks in diff and what-if reports: always a word, coloured as a reviewer reads it. */
.change-mark { display: inline-block; font-weight: 700; font-size: .85em; padding: 0 .35rem; border-radius: 4px; border: 1px solid currentColor; white-space: nowrap; }
.change-added, .change-resolved, .change-narrowed, .change-gained-none { color: var(--added); background: var(--added-bg); }
.change-removed, .change-new { color: var(--removed); background: var(--removed-bg); }
.change-widened { color: var(--widened); background: var(--widened-bg); }
.change-accepted { color: var(--muted); background: var(--panel); }
.change-expired, .change-scope-exceeded { color: var(--widened); background: var(--widened-bg); }
p.exception { border-left: 3px solid currentColor; padding-left: .5rem; }
.change-changed, .change-renamed { color: var(--fg); background: var(--panel); }
tr.row-added > th:first-child { box-shadow: inset 5px 0 var(--added); }
tr.row-removed > th:first-child { box-shadow: inset 5px 0 var(--removed); }
tr.row-changed > th:first-child { box-shadow: inset 5px 0 var(--widened); }
tr.row-removed button.row { text-decoration: line-through; }
ul.plain { margin: .25rem 0; padding-left: 1.25rem; }
footer { margin: 3rem auto 2rem; color: var(--muted); font-size: .85rem; }
.print-only { display: none; }
@media screen and (max-width: 760px) {
  body { font-size: 14px; }
  .wide-only { display: none; }
  .cards { display: grid; grid-template-columns: 1fr 1fr; }
  .cards li { min-width: 0; }
  header, main, footer { padding: 0 .75rem; }
  th, td { padding: .3rem .3rem; }
  tr.detail > td { padding: .5rem .5rem 1rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .35rem; }
  .detail-top { grid-template-columns: 1fr; }
}
@media print {
  :root { color-scheme: light; --bg: #fff; --fg: #000; --muted: #333; --line: #999; --panel: #f3f3f3; }
  body { font-size: 10.5pt; }
  .controls, .pager, .copy, .skip, .no-print { display: none !important; }
  .print-only { display: block; }
  header, main, footer { max-width: none; padding: 0; }
  .scroll { overflow: visible; }
  th button { color: #000; }
  button.row { color: #000; text-decoration: none; }
  .wide-only { display: table-cell; }
  tr, .finding, .command pre { break-inside: avoid; }
  tr.detail { break-inside: auto; }
  /* Chromium repeats a table's header on each page but draws it broken after a row of details. */
  thead { display: table-row-group; }
  tr.detail > td { background: none; border-left: 3px solid var(--line); }
  h2 { break-after: avoid; }
  a { color: #000; }
}
`;
