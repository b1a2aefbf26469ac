// Audit built pages in headless Chromium: axe-core in light and dark, reading metrics, 320 px reflow.
// Usage: node audit.mjs JOB.json  ->  prints {"pages": [...]} as JSON on stdout.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(path.join(job.nodeModules, "noop.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function summary(violations) {
  return violations.map((v) => ({ id: v.id, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary) }));
}

async function axe(page, runOnly) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate((runOnly) =>
    window.axe.run(document, { runOnly }).then((r) => r.violations), runOnly);
  return summary(violations);
}

// Reading metrics at desktop width: body text size, characters per line, focus ring.
function readingMetrics() {
  const paragraphs = [...document.querySelectorAll("main p")].filter((p) => p.textContent.length > 120);
  const canvas = document.createElement("canvas").getContext("2d");
  const perLine = paragraphs.map((p) => {
    const style = getComputedStyle(p);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = p.textContent.replace(/\s+/g, " ");
    return Math.round(p.clientWidth / (canvas.measureText(text).width / text.length));
  });
  const sizes = [...document.querySelectorAll("main p, main li, main dd")]
    .map((e) => parseFloat(getComputedStyle(e).fontSize));
  return { minFontPx: Math.min(...sizes), maxCharsPerLine: Math.max(0, ...perLine) };
}

async function focusRing(page) {
  await page.keyboard.press("Tab");
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return { skipLink: el.classList.contains("skip-link"), outline: style.outlineStyle,
      width: parseFloat(style.outlineWidth), visible: box.top >= 0 && box.width > 0 };
  });
}

// Text contrast of every focusable control while it has keyboard focus (axe sees only the
// unfocused state): its text colour against the first opaque background behind it. One Tab
// makes focus keyboard focus; each control is then focused in turn, in the page itself.
async function focusContrast(page) {
  await page.keyboard.press("Tab");
  return page.evaluate(() => {
    const parse = (c) => { const m = c.match(/[\d.]+/g).map(Number); return { rgb: m.slice(0, 3), a: m.length > 3 ? m[3] : 1 }; };
    const lum = (rgb) => { const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const found = [];
    for (const el of document.querySelectorAll("a[href], button, input, select, textarea")) {
      if (el.offsetParent === null && getComputedStyle(el).position !== "fixed") continue;
      el.focus({ focusVisible: true });
      if (document.activeElement !== el || !el.matches(":focus-visible")) continue;
      let bg = null;
      for (let node = el; node && !bg; node = node.parentElement) {
        const c = parse(getComputedStyle(node).backgroundColor);
        if (c.a > 0.99) bg = c.rgb;
      }
      bg = bg || parse(getComputedStyle(document.documentElement).backgroundColor).rgb;
      const fg = parse(getComputedStyle(el).color).rgb;
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      found.push({ text: (el.textContent || el.getAttribute("aria-label") || el.id || "").trim().slice(0, 40),
        ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100 });
    }
    document.activeElement?.blur();
    return found;
  });
}

async function auditPage(context, url) {
  const page = await context.newPage();
  const result = { url, violations: {}, aaa: {}, external: [] };
  page.on("request", (req) => { if (!req.url().startsWith(job.base)) result.external.push(req.url()); });
  await page.goto(url, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    result.violations[scheme] = await axe(page, { type: "tag", values: job.tags });
    result.aaa[scheme] = await axe(page, { type: "rule", values: ["color-contrast-enhanced"] });
  }
  result.focusContrast = {};
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    result.focusContrast[scheme] = await focusContrast(page);
  }
  await page.goto(url, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready); // the reading measures and fonts below need them
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.emulateMedia({ colorScheme: "light" });
  result.reading = await page.evaluate(readingMetrics);
  result.fonts = await page.evaluate(() => [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family));
  result.focus = await focusRing(page);
  await page.emulateMedia({ reducedMotion: "reduce" });
  result.reducedMotionScroll = await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior);
  await page.emulateMedia({ media: "print" });
  result.printHidden = await page.evaluate(() => [...document.querySelectorAll(".skip-link, .lang-toggle, .site-footer")]
    .every((e) => getComputedStyle(e).display === "none"));
  await page.emulateMedia({ media: "screen" });
  await page.setViewportSize({ width: 320, height: 640 });
  result.scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  result.wrappedPhones = await page.evaluate(() => [...document.querySelectorAll("a.tel")]
    .filter((a) => a.getClientRects().length > 1).map((a) => a.textContent));
  // Each figure's width as shown on a 320 px phone, to size its text (test_accessibility).
  result.figures = await page.evaluate(() => [...document.querySelectorAll("main figure img")]
    .map((img) => ({ src: img.currentSrc, width: img.getBoundingClientRect().width })));
  await page.close();
  return result;
}

async function screenshot(context, shot) {
  const page = await context.newPage();
  await page.setViewportSize({ width: shot.width, height: 900 });
  await page.emulateMedia({ colorScheme: shot.scheme });
  await page.goto(shot.url, { waitUntil: "load" });
  await page.screenshot({ path: shot.file, fullPage: true });
  await page.close();
}

const browser = await chromium.launch({ executablePath: job.chromium, args: FLAGS });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const pages = [];
  for (const url of job.pages) pages.push(await auditPage(context, url));
  for (const shot of job.screenshots ?? []) await screenshot(context, shot);
  process.stdout.write(JSON.stringify({ pages }));
} finally {
  await browser.close();
}
