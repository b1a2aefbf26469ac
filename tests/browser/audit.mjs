// Audit built pages in headless Chromium: axe-core per colour scheme, width at 320 px, screenshots.
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

async function axe(page, tags) {
  await page.evaluate(axeSource);
  return page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } })
    .then((r) => r.violations.map((v) => ({ id: v.id, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary) }))), tags);
}

async function auditPage(context, url, job) {
  const page = await context.newPage();
  const result = { url, violations: {}, scrollWidth: null, external: [] };
  page.on("request", (req) => { if (!req.url().startsWith(job.base)) result.external.push(req.url()); });
  await page.goto(url, { waitUntil: "load" });
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    result.violations[scheme] = await axe(page, job.tags);
  }
  await page.setViewportSize({ width: 320, height: 640 });
  result.scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.close();
  return result;
}

async function screenshot(context, shot) {
  const page = await context.newPage();
  await page.setViewportSize({ width: shot.width, height: 900 });
  await page.emulateMedia({ colorScheme: shot.scheme });
  await page.goto(shot.url, { waitUntil: "load" });
  await page.screenshot({ path: shot.file, fullPage: shot.fullPage ?? true });
  await page.close();
}

const browser = await chromium.launch({ executablePath: job.chromium, args: FLAGS });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const pages = [];
  for (const url of job.pages) pages.push(await auditPage(context, url, job));
  for (const shot of job.screenshots ?? []) await screenshot(context, shot);
  process.stdout.write(JSON.stringify({ pages }));
} finally {
  await browser.close();
}
