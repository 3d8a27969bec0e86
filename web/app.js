// sayso's page: one file, no build step. Views are chosen by the URL's
// hash (#/search?q=..., #/speaker/ID, #/article/ID?q=QUOTATION, #/quote/ID,
// #/stats) so that every view has a link, Back works and a reload keeps it.
// Text from the store only ever enters the page as text nodes (el()), never
// as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

// el("a", {href: "#"}, "text", child...): an element with attributes and children.
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false)
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

function svg(tag, attrs, ...kids) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

function status(text, isError) {
  const s = $("status");
  s.textContent = text || "";
  s.classList.toggle("error", !!isError);
}

let current = 0; // answers to older requests are dropped when they arrive late
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
// A server that is saturated says so at once (503 with Retry-After)
// rather than leaving the page hanging: the page says "busy, retrying"
// and asks again a few times, waiting longer each time.
async function api(path) {
  const mine = ++current;
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(path, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON: handled below */ }
    if (mine !== current) throw { stale: true };
    const retry = r.status === 503 && r.headers.get("Retry-After");
    if (retry && attempt < 5) {
      status("The server is busy, retrying…");
      await sleep(Math.min(10, Number(retry) || 1) * 1000 * (attempt + 1));
      if (mine !== current) throw { stale: true };
      continue;
    }
    if (!r.ok) throw new Error(body && body.error ? body.error.message : "HTTP " + r.status);
    return body;
  }
}

function show(...nodes) {
  const v = $("view");
  v.replaceChildren(...nodes);
}

function parseHash() {
  const h = location.hash.replace(/^#\/?/, "");
  const [path, query] = h.split("?");
  return { parts: path.split("/").filter(Boolean), params: new URLSearchParams(query || "") };
}

// ---- quotes and reported speech ---------------------------------------------

// What a reader is told a report is when it is not a direct quote: the
// words of `sayso extract --format text` and `sayso search`
// (sayso_quote_type_label in src/extract/output.h).
const KIND = { mixed: "partly quoted", indirect: "reported speech" };

// A report's words as a card shows them. A direct quote gets the card's
// quotation marks (app.css). Reported speech is the article's own clause,
// with the article's marks around what it quotes: marks of ours around it
// would say the speaker used those words, so it gets none, and a label
// that says what it is, which a screen reader reads first as well.
function said(text, type) {
  const kind = KIND[type];
  return [kind ? el("p", { class: "kind" }, kind) : null,
    el("blockquote", { class: kind ? "reported" : null }, text)];
}

// ---- search --------------------------------------------------------------

function filters() {
  const p = new URLSearchParams();
  for (const k of ["q", "speaker", "from", "to"]) {
    const v = $(k).value.trim();
    if (v) p.set(k, v);
  }
  return p;
}

let typing = 0;
function onType() {
  clearTimeout(typing);
  typing = setTimeout(() => {
    const p = filters();
    const target = "#/search?" + p.toString();
    if (location.hash !== target) history.replaceState(null, "", target);
    route();
  }, 180);
}

function card(h) {
  const who = h.speaker
    ? el("a", { class: "who", href: "#/speaker-by-name/" + encodeURIComponent(h.speaker) }, h.speaker)
    : el("span", { class: "who" }, "unknown speaker");
  const others = (h.speakers || []).slice(1).map((s) => `${s.name || "unknown"} (${s.count})`);
  const f = h.first_report || {};
  return el("article", { class: "card" },
    said(h.quote, h.type),
    el("div", { class: "meta" },
      who,
      others.length ? el("span", {}, "also attributed to " + others.join(", ")) : null,
      el("span", {}, h.first_seen ? "first seen " + h.first_seen : "undated"),
      h.channel ? el("span", { class: "channel" }, h.channel) : null,
      el("a", { href: "#/quote/" + h.id }, h.articles + (h.articles === 1 ? " article" : " articles"))),
    f.context ? el("p", { class: "context" },
      el("a", { href: `#/article/${f.article}?q=${h.id}` },
        (f.title || f.doc) + (f.site ? " — " + f.site : "") + (f.date ? " (" + f.date + ")" : "")),
      ": " + f.context) : null);
}

async function viewSearch(params) {
  for (const k of ["q", "speaker", "from", "to"]) if (document.activeElement !== $(k)) $(k).value = params.get(k) || "";
  const q = params.get("q");
  if (!q) {
    status("Type a few words: a name, a phrase in quotes, a prefix*.");
    show();
    return;
  }
  const page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
  const p = new URLSearchParams(params);
  p.set("page", page);
  p.set("per_page", "10");
  status("Searching…");
  try {
    const r = await api("/api/search?" + p.toString());
    status(r.results.length ? `Quotations ${(page - 1) * 10 + 1}–${(page - 1) * 10 + r.results.length}` +
      (r.has_more ? "" : " (all)") : "No quotation matches.");
    const nav = el("nav", { class: "more", "aria-label": "Pages" },
      page > 1 ? el("a", { href: "#/search?" + withPage(params, page - 1) }, "← Previous") : null,
      r.has_more ? el("a", { href: "#/search?" + withPage(params, page + 1) }, "Next →") : null);
    show(...r.results.map(card), nav);
  } catch (e) {
    if (!e.stale) { status(e.message, true); show(); }
  }
}

function withPage(params, page) {
  const p = new URLSearchParams(params);
  p.set("page", page);
  return p.toString();
}

// ---- speakers ------------------------------------------------------------

async function viewSpeakerByName(name) {
  try {
    const r = await api("/api/speakers?limit=10&prefix=" + encodeURIComponent(name));
    const s = (r.speakers || []).find((x) => x.name === name) || r.speakers[0];
    if (!s) throw new Error("No speaker " + name);
    history.replaceState(null, "", "#/speaker/" + s.id);
    route();
  } catch (e) {
    if (!e.stale) status(e.message, true);
  }
}

// Quotes per month as bars, every month from the first to the last.
function timeline(months) {
  if (!months.length) return el("p", {}, "No dated quotes.");
  const all = [];
  const [y0, m0] = months[0].month.split("-").map(Number);
  const [y1, m1] = months[months.length - 1].month.split("-").map(Number);
  const count = new Map(months.map((m) => [m.month, m.quotes]));
  for (let y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? (y++, m = 1) : m++) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    all.push([key, count.get(key) || 0]);
    if (all.length > 600) break;
  }
  const max = Math.max(...all.map((a) => a[1]));
  const W = 720, H = 180, pad = 24, bw = (W - 2 * pad) / all.length;
  const label = all.map(([k, n]) => `${k}: ${n}`).join(", ");
  const g = svg("svg", { class: "timeline", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Quotes per month: " + label });
  all.forEach(([k, n], i) => {
    const h = max ? (H - 2 * pad) * n / max : 0;
    const r = svg("rect", { x: pad + i * bw + 1, y: H - pad - h, width: Math.max(1, bw - 2), height: h });
    r.append(svg("title", {}, `${k}: ${n} quote${n === 1 ? "" : "s"}`));
    g.append(r);
  });
  g.append(svg("text", { x: pad, y: H - 6 }, all[0][0]));
  g.append(svg("text", { x: W - pad, y: H - 6, "text-anchor": "end" }, all[all.length - 1][0]));
  g.append(svg("text", { x: pad, y: 14 }, `${max} a month at most`));
  return g;
}

async function viewSpeaker(id) {
  status("Loading…");
  try {
    const s = await api("/api/speakers/" + encodeURIComponent(id));
    status("");
    const row = (k, v) => v ? [el("dt", {}, k), el("dd", {}, v)] : [];
    show(
      el("h1", {}, s.name),
      el("dl", { class: "profile" },
        row("Quotes", `${s.quotes} in ${s.articles} articles (${s.quotations} distinct quotations)`),
        row("Quoted from", s.first && s.last ? `${s.first} to ${s.last}` : null),
        row("Named as", s.aliases), row("Described as", s.descriptors), row("Channels", s.channels)),
      el("h2", {}, "Quotes per month"), timeline(s.months || []),
      el("h2", {}, "Latest quotes"),
      ...(s.latest || []).map((q) => el("article", { class: "card" },
        said(q.text, q.type),
        el("div", { class: "meta" },
          el("span", {}, q.date || "undated"), q.channel ? el("span", {}, q.channel) : null,
          el("a", { href: `#/article/${q.article}?q=${q.quotation}` }, q.doc),
          el("a", { href: "#/quote/" + q.quotation }, "all reports")))));
    document.title = s.name + " — sayso";
  } catch (e) {
    if (!e.stale) { status(e.message, true); show(); }
  }
}

// ---- one quotation, its reports -------------------------------------------

async function viewQuote(id) {
  status("Loading…");
  try {
    const r = await api("/api/quotes/" + encodeURIComponent(id));
    status(`${r.more ? "The first " : ""}${r.reports.length} report${r.reports.length === 1 ? "" : "s"} of quotation ${id}`);
    show(el("h1", {}, "Every report"),
      ...r.reports.map((q) => el("article", { class: "card" },
        said(q.text, q.type),
        el("div", { class: "meta" },
          q.speaker_id ? el("a", { class: "who", href: "#/speaker/" + q.speaker_id }, q.speaker)
                       : el("span", { class: "who" }, q.speaker || "unknown speaker"),
          el("span", {}, q.date || "undated"), q.cue ? el("span", {}, "“" + q.cue + "”") : null,
          q.channel ? el("span", {}, q.channel) : null,
          el("a", { href: `#/article/${q.article}?q=${id}` }, q.doc),
          q.url ? el("a", { href: q.url, rel: "noopener noreferrer" }, "source") : null))));
  } catch (e) {
    if (!e.stale) { status(e.message, true); show(); }
  }
}

// ---- an article, its quotations highlighted ----------------------------------

async function viewArticle(id, focus) {
  status("Loading…");
  try {
    const a = await api("/api/articles/" + encodeURIComponent(id));
    const cps = Array.from(a.text || ""); // spans count code points
    const kind = new Array(cps.length).fill(null); // [class, quote] per code point
    const mark = (s, e, cls, q) => {
      const tag = [cls, q]; // one per span: runs are found by identity
      for (let i = Math.max(0, s); i < Math.min(e, cps.length); i++) kind[i] = tag;
    };
    // Reported speech gets a mark of its own: highlighting it as a
    // quotation would tell the reader those were the speaker's words.
    for (const q of a.quotes) for (const [s, e] of q.content || []) mark(s, e, KIND[q.type] ? "reported" : "quote", q);
    for (const q of a.quotes) {
      if (q.cue_start !== null) mark(q.cue_start, q.cue_end, "cue", q);
      if (q.source_start !== null) mark(q.source_start, q.source_end, "source", q);
    }
    const body = el("div", { class: "article", lang: a.lang || null });
    let i = a.body_start || 0, firstOfFocus = null; // the " date …" first line is shown above, not here
    while (i < cps.length) {
      let j = i + 1;
      while (j < cps.length && kind[j] === kind[i]) j++;
      const text = cps.slice(i, j).join("");
      const k = kind[i];
      if (!k) body.append(text);
      else {
        const [cls, q] = k;
        const what = cls === "reported" ? KIND[q.type] : cls;
        const m = el("mark", { class: cls, title: `${what} — ${q.speaker || "unknown speaker"}` },
          cls === "quote" || cls === "reported" ? el("a", { href: "#/quote/" + q.quotation }, text) : text);
        if (String(q.quotation) === focus && !firstOfFocus) { m.id = "focus"; firstOfFocus = m; }
        body.append(m);
      }
      i = j;
    }
    status(`${a.quotes.length} quotation${a.quotes.length === 1 ? "" : "s"} in this article`);
    // Only http(s) links: a stored url is what a page said about itself.
    const link = a.url && /^https?:\/\//i.test(a.url) ? el("a", { href: a.url, rel: "noopener noreferrer" }, a.url) : null;
    show(el("h1", {}, a.title || a.doc),
      el("p", { class: "meta" }, [a.site, a.authors, a.date || "undated"].filter(Boolean).join(" · "), link ? " — " : null, link),
      el("p", { class: "legend" }, el("mark", { class: "quote" }, "quotation"),
        el("mark", { class: "reported" }, "reported speech"), el("mark", { class: "cue" }, "cue"),
        el("mark", { class: "source" }, "source")),
      body);
    if (firstOfFocus) firstOfFocus.scrollIntoView({ block: "center" });
  } catch (e) {
    if (!e.stale) { status(e.message, true); show(); }
  }
}

async function viewStats() {
  try {
    const s = await api("/api/stats");
    status("");
    show(el("h1", {}, "The store"), el("dl", { class: "profile" },
      ...Object.entries(s).flatMap(([k, v]) => [el("dt", {}, k.replace(/_/g, " ")), el("dd", {}, v === null ? "–" : v)])));
  } catch (e) {
    if (!e.stale) status(e.message, true);
  }
}

function route() {
  const { parts, params } = parseHash();
  document.title = "sayso — who said what";
  if (parts[0] === "speaker" && parts[1]) return viewSpeaker(parts[1]);
  if (parts[0] === "speaker-by-name" && parts[1]) return viewSpeakerByName(decodeURIComponent(parts[1]));
  if (parts[0] === "article" && parts[1]) return viewArticle(parts[1], params.get("q"));
  if (parts[0] === "quote" && parts[1]) return viewQuote(parts[1]);
  if (parts[0] === "stats") return viewStats();
  return viewSearch(params);
}

let suggesting = 0;
async function suggest() {
  clearTimeout(suggesting);
  suggesting = setTimeout(async () => {
    const v = $("speaker").value.trim();
    if (v.length < 2) return;
    try {
      const r = await fetch("/api/speakers?limit=8&prefix=" + encodeURIComponent(v)).then((x) => x.json());
      $("speakers").replaceChildren(...(r.speakers || []).map((s) => el("option", { value: s.name })));
    } catch (e) { /* suggestions are a convenience */ }
  }, 150);
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", () => {
  for (const k of ["q", "from", "to"]) $(k).addEventListener("input", onType);
  $("speaker").addEventListener("input", () => { suggest(); onType(); });
  $("search").addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = "#/search?" + filters().toString();
    $("main").focus();
  });
  route();
});
