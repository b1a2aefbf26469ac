// Drive the preview server in headless Chromium: edit, break and fix a sheet while its page is
// open (never reloading it by hand), then run axe-core on the error page and the translator view.
// Usage: node preview.mjs JOB.json  ->  prints {"titles", "errors", "axe"} as JSON on stdout.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(path.join(job.nodeModules, "noop.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const PATIENCE_MS = 8000;

// Poll the open page (it may be mid-reload) until `probe` gives a value `accept` takes.
async function eventually(page, probe, accept) {
  const deadline = Date.now() + PATIENCE_MS;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await page.evaluate(probe);
      if (accept(last)) return last;
    } catch { /* the page is reloading */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out; last seen: ${JSON.stringify(last)}`);
}

async function axeBothSchemes(page, name, into) {
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    into[`${name} (${scheme})`] = await axe(page);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

async function axe(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate((values) =>
    window.axe.run(document, { runOnly: { type: "tag", values } }).then((r) => r.violations), job.tags);
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const heading = () => document.querySelector("h1")?.textContent ?? null;
const problems = () => [...document.querySelectorAll("ul.problems li")].map((li) => li.textContent);

const browser = await chromium.launch({ executablePath: job.chromium, args: FLAGS });
try {
  const page = await browser.newPage();
  await page.goto(job.base + "en/sample.html", { waitUntil: "load" });
  const titles = [await page.evaluate(heading)];
  const audits = {};
  await axeBothSchemes(page, "sheet page with the preview bar", audits);
  writeFileSync(job.sheet, job.edited);
  titles.push(await eventually(page, heading, (h) => h === "Sample, revised"));
  writeFileSync(job.sheet, job.broken);
  const errors = await eventually(page, problems, (found) => found.length > 0);
  await axeBothSchemes(page, "error page", audits);
  writeFileSync(job.sheet, job.original);
  titles.push(await eventually(page, heading, (h) => h === "Sample"));
  await page.goto(job.base + "__translate/fr/sample.html", { waitUntil: "load" });
  await axeBothSchemes(page, "translator view", audits);
  await page.goto(job.base + "__translate/fr/", { waitUntil: "load" });
  await axeBothSchemes(page, "list of translator views", audits);
  process.stdout.write(JSON.stringify({ titles, errors, axe: audits }));
} finally {
  await browser.close();
}
