// End-to-end: the page `sayso serve` serves, in Debian's chromium driven by
// playwright-core. Builds a store from the bundled samples, serves it on a
// free loopback port, then as a user would: searches as it types, reads
// the cards (reported speech apart from quotations), opens a speaker page
// and an article page, on a phone-sized and on a desktop-sized screen,
// with the keyboard too, and saves screenshots.
//
//   SAYSO_BIN=build/sayso SAYSO_SAMPLES=samples OUT=build/e2e node page.test.mjs
//
// Exits 0 when every check holds, 1 with the failed check otherwise, 77
// (skipped) when chromium is not installed.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const bin = resolve(process.env.SAYSO_BIN || "build/sayso");
const samples = resolve(process.env.SAYSO_SAMPLES || "samples");
const out = resolve(process.env.OUT || "build/e2e");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";

if (!existsSync(browserPath)) {
  console.log(`e2e: skipped: no browser at ${browserPath} (sh scripts/deps.sh --e2e installs it)`);
  process.exit(77);
}
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (e) {
  console.log("e2e: skipped: playwright-core is not installed (cd tests/e2e && npm ci)");
  process.exit(77);
}
mkdirSync(out, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

const dir = mkdtempSync(join(tmpdir(), "sayso-e2e-"));
const db = join(dir, "demo.db");
const files = readdirSync(samples).filter((f) => f.endsWith(".txt")).map((f) => join(samples, f));
execFileSync(bin, ["ingest", db, "--quiet", ...files]);

const server = spawn(bin, ["serve", db, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((res, rej) => {
  let buf = "";
  server.stdout.on("data", (d) => {
    buf += d;
    const m = buf.match(/(http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) res(m[1]);
  });
  server.on("exit", (code) => rej(new Error("sayso serve exited with " + code)));
  setTimeout(() => rej(new Error("sayso serve did not start")), 10000);
});

const browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ["--no-sandbox"] });
try {
  for (const [label, viewport] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 900 }]]) {
    const page = await browser.newPage({ viewport });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // A 400 for the bad query below is the API doing its job; the browser
    // logs every failed fetch, so those lines are not script errors.
    page.on("console", (m) => {
      if (m.type() === "error" && !/status of 400/.test(m.text())) errors.push(m.text());
    });
    await page.goto(base + "/");

    // Results as you type: no Enter pressed.
    await page.locator("#q").click();
    await page.keyboard.type("bridge", { delay: 30 });
    await page.locator(".card").first().waitFor();
    const cards = await page.locator(".card").count();
    check(cards >= 3, `${label}: typing "bridge" shows quotation cards (${cards})`);
    const texts = await page.locator(".card blockquote").allTextContents();
    check(texts.every((t) => /bridge/i.test(t)), `${label}: every card quotes "bridge"`);
    check(/articles?/.test(await page.locator(".card .meta").first().textContent()),
      `${label}: a card says in how many articles`);
    // A quotation posted on Twitter says so on its card.
    await page.locator("#q").fill("insufferable");
    await page.waitForFunction(() => /insufferable/.test(document.querySelector(".card blockquote")?.textContent || ""));
    check((await page.locator(".card .channel").first().textContent()) === "twitter", `${label}: a card shows the channel`);
    await page.locator("#q").fill("bridge");
    await page.waitForFunction(() => /bridge/i.test(document.querySelector(".card blockquote")?.textContent || ""));
    check(page.url().includes("#/search?q=bridge"), `${label}: the URL holds the search`);
    await page.screenshot({ path: join(out, `${label}-search.png`), fullPage: true });

    // No horizontal scrolling on a phone.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(wide <= 1, `${label}: the page fits the screen's width`);

    // Reported speech is not dressed as a quotation: a partly quoted
    // report and an indirect one have none of the card's quotation marks
    // around them (the article's own marks inside stay) and a label in
    // words; a direct quote keeps its marks and has no label.
    const kinds = [["fight for every vote", "partly quoted", /^she would "fight for every vote"/],
      ["detour signposted", "reported speech", /^the detour would be signposted/]];
    for (const [q, kind, words] of kinds) {
      await page.locator("#q").fill(q);
      await page.waitForFunction((w) => document.querySelectorAll(".card").length === 1 &&
        document.querySelector(".card blockquote").textContent.includes(w), q.split(" ").pop());
      const c = await page.locator(".card").first().evaluate((card) => {
        const b = card.querySelector("blockquote");
        return { text: b.textContent, before: getComputedStyle(b, "::before").content,
          after: getComputedStyle(b, "::after").content, label: card.querySelector(".kind")?.textContent,
          labelShown: card.querySelector(".kind")?.getBoundingClientRect().height > 0 };
      });
      check(words.test(c.text) && c.before === "none" && c.after === "none",
        `${label}: ${kind}: no quotation marks around "${c.text.slice(0, 40)}…" (${c.before}, ${c.after})`);
      check(c.label === kind && c.labelShown, `${label}: the card says "${kind}" (${c.label})`);
      await page.screenshot({ path: join(out, `${label}-${kind.replace(" ", "-")}.png`), fullPage: true });
    }
    // The same on the speaker page's latest quotes and the quotation's page.
    const labels = () => page.evaluate(() => [...document.querySelectorAll(".card")].map((c) =>
      (c.querySelector(".kind")?.textContent || "") + "|" + getComputedStyle(c.querySelector("blockquote"), "::before").content));
    // The card of the previous view stays until the answer comes: wait for
    // hers before clicking.
    const herCard = async () => {
      await page.goto(base + "/#/search?q=%22fight%20for%20every%20vote%22");
      await page.waitForFunction(() => document.querySelectorAll(".card").length === 1 &&
        /fight for every vote/.test(document.querySelector(".card blockquote").textContent));
    };
    await herCard();
    await page.locator(".card .who").first().click();
    await page.locator("h1").filter({ hasText: "Helen Marsh" }).waitFor();
    await page.locator(".card").first().waitFor();
    const latest = await labels();
    check(latest.filter((x) => x === "partly quoted|none").length === 1 && latest.filter((x) => x === '|"\u201C"').length >= 1,
      `${label}: the speaker page shows her partly quoted report without marks, her quotes with them (${latest.join(", ")})`);
    await herCard();
    await page.locator(".card .meta a[href^='#/quote/']").first().click();
    await page.locator("h1").filter({ hasText: "Every report" }).waitFor();
    await page.locator(".card").first().waitFor();
    const reports = await labels();
    check(reports.length === 1 && reports[0] === "partly quoted|none",
      `${label}: the quotation's page shows the report as partly quoted (${reports.join(", ")})`);

    await page.goto(base + "/#/");
    await page.locator("#q").fill('"simply staff"');
    await page.waitForFunction(() => document.querySelectorAll(".card").length === 1 &&
      /simply staff/.test(document.querySelector(".card blockquote").textContent));
    const direct = await page.locator(".card blockquote").first().evaluate((b) =>
      [getComputedStyle(b, "::before").content, getComputedStyle(b, "::after").content]);
    check(direct[0] === '"\u201C"' && direct[1] === '"\u201D"' && await page.locator(".card .kind").count() === 0,
      `${label}: a direct quote keeps its quotation marks (${direct.join(" ")}) and has no label`);

    // A query FTS5 cannot parse: a message, no crash.
    await page.locator("#q").fill('"unclosed');
    await page.locator("#status.error").waitFor();
    check(/bad query/.test(await page.locator("#status").textContent()), `${label}: a bad query says so`);

    // A speaker page with its timeline.
    await page.locator("#q").fill('"simply staff"');
    await page.locator(".card").first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll(".card").length === 1);
    await page.locator(".card .who").first().click();
    await page.locator("h1").filter({ hasText: "Owen Castell" }).waitFor();
    const bars = await page.locator("svg.timeline rect").count();
    check(bars >= 1, `${label}: the speaker page draws quotes per month (${bars} bars)`);
    check((await page.locator(".profile").textContent()).includes("Quotes"), `${label}: the profile counts quotes`);
    await page.screenshot({ path: join(out, `${label}-speaker.png`), fullPage: true });

    // An article page with quotation, cue and source highlighted, from a
    // search card's first report.
    await page.goto(base + '/#/search?q=%22simply%20staff%22');
    await page.locator(".card .context a").first().click();
    await page.locator(".article").waitFor();
    const marks = {};
    for (const k of ["quote", "cue", "source"]) marks[k] = await page.locator(`.article mark.${k}`).count();
    check(marks.quote >= 4 && marks.quote < 60 && marks.cue >= 3 && marks.source >= 3,
      `${label}: the article marks quotations (${marks.quote}), cues (${marks.cue}) and sources (${marks.source})`);
    check(await page.locator("#focus").count() === 1, `${label}: the quotation followed is marked for the eye`);
    // Reported speech has a mark of its own, named in its title and in
    // the legend (read in the page: a missing one fails, not waits).
    const rep = await page.evaluate(() => ({
      n: document.querySelectorAll(".article mark.reported").length,
      title: document.querySelector(".article mark.reported")?.title,
      legend: document.querySelector(".legend mark.reported")?.textContent,
    }));
    check(rep.n >= 1 && /^(partly quoted|reported speech) — /.test(rep.title) && rep.legend === "reported speech",
      `${label}: reported speech is marked apart from quotations (${rep.n}: "${rep.title}") with a legend entry`);
    const shown = await page.locator(".article").textContent();
    check(!/^\s*date \d{4}-/.test(shown) && shown.length > 200, `${label}: the article shows its body, not the date line`);
    await page.screenshot({ path: join(out, `${label}-article.png`), fullPage: true });

    // Keyboard: from the top, Tab reaches the search box, typing searches,
    // and a result's link is reachable and opens with Enter.
    await page.goto(base + "/#/");
    let focused = "";
    for (let i = 0; i < 6 && focused !== "q"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement.id);
    }
    check(focused === "q", `${label}: Tab reaches the search box`);
    await page.keyboard.type("insufferable");
    await page.locator(".card").first().waitFor();
    await page.locator(".card a.who").first().focus();
    await page.keyboard.press("Enter");
    const opened = await page.locator("h1").filter({ hasText: "Marcus Dale" })
      .waitFor({ timeout: 5000 }).then(() => true, () => false);
    check(opened && page.url().includes("#/speaker/"), `${label}: Enter on a speaker link opens the speaker page`);

    check(errors.length === 0, `${label}: no script errors${errors.length ? ": " + errors.join("; ") : ""}`);
    await page.close();
  }
} catch (e) {
  check(false, "the walk through the page: " + e.message);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures ? `e2e: ${failures} check(s) failed; screenshots in ${out}` : `e2e: all checks passed; screenshots in ${out}`);
process.exit(failures ? 1 : 0);
