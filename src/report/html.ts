/**
 * The report page: one self-contained HTML file (inline CSS and SVG, no scripts, no network).
 */
import { formatNumber } from "../cli/table.js";
import type { Block, SummaryTable } from "./chapter.js";

/** A chapter as rendered: its blocks with plots already turned into SVG. */
export type RenderedChapter = {
  id: string;
  title: string;
  blurb: string;
  seconds: number;
  blocks: (Block | { kind: "svg"; svg: string; caption: string })[];
};

/** Escape text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A small Markdown subset: paragraphs, "- " lists, **bold**, *italic*, `code`. */
export function markdownToHtml(md: string): string {
  const inline = (s: string) =>
    escapeHtml(s)
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/\*([^*]+)\*/g, "<em>$1</em>");
  return md
    .trim()
    .split(/\n\s*\n/)
    .map((para) => {
      const lines = para.split("\n");
      if (lines.every((l) => l.startsWith("- "))) {
        return `<ul>${lines.map((l) => `<li>${inline(l.slice(2))}</li>`).join("")}</ul>`;
      }
      return `<p>${inline(lines.join(" "))}</p>`;
    })
    .join("\n");
}

/** A summary table as HTML. */
export function tableToHtml(t: SummaryTable): string {
  const cell = (c: string | number) =>
    typeof c === "number"
      ? `<td class="num">${escapeHtml(formatNumber(c))}</td>`
      : `<td>${escapeHtml(c)}</td>`;
  return [
    `<table><caption>${escapeHtml(t.title)}</caption>`,
    `<thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`,
    `<tbody>${t.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("")}</tbody></table>`,
  ].join("");
}

const CSS = `
body{font:16px/1.55 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222;max-width:920px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.8rem;margin-bottom:.2rem} h2{margin-top:2.5rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.meta{color:#666;font-size:.9rem} nav ol{padding-left:1.2rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem} caption{text-align:left;font-weight:600;margin-bottom:.3rem}
th,td{border-bottom:1px solid #e3e3e3;padding:.25rem .7rem;text-align:left} td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.2rem 0} figcaption{color:#555;font-size:.9rem;margin-top:.3rem} svg{max-width:100%;height:auto}
code{background:#f4f4f4;padding:0 .25rem;border-radius:3px}
`;

/** The whole page. */
export function reportHtml(
  chapters: RenderedChapter[],
  meta: { scale: string; seed: number; date: string },
): string {
  const body = chapters.map((c) => {
    const blocks = c.blocks.map((b) => {
      if (b.kind === "text") return markdownToHtml(b.markdown);
      if (b.kind === "table") return tableToHtml(b.table);
      if (b.kind === "svg")
        return `<figure>${b.svg}<figcaption>${escapeHtml(b.caption)}</figcaption></figure>`;
      return "";
    });
    return `<section id="${escapeHtml(c.id)}"><h2>${escapeHtml(c.title)}</h2>\n${blocks.join("\n")}\n<p class="meta">Chapter ran in ${c.seconds.toFixed(1)} s.</p></section>`;
  });
  const toc = chapters.map(
    (c) => `<li><a href="#${escapeHtml(c.id)}">${escapeHtml(c.title)}</a>: ${escapeHtml(c.blurb)}</li>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Novelist report</title><style>${CSS}</style></head>
<body><h1>Novelist report</h1>
<p class="meta">Scale: ${escapeHtml(meta.scale)} · seed ${meta.seed} · built ${escapeHtml(meta.date)} by <code>novelist tour</code></p>
<nav><ol>${toc.join("")}</ol></nav>
${body.join("\n")}
</body></html>
`;
}
