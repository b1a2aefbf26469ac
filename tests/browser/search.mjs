// Search the built site in headless Chromium: type a query (and pick an audience), read the
// announced status and the results, follow the first result. Also loads the page without
// JavaScript. Usage: node search.mjs JOB.json -> {"cases": [...], "nojs": {...}} on stdout.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(path.join(job.nodeModules, "noop.js"));
const { chromium } = require("playwright-core");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function searchCase(context, c) {
  const page = await context.newPage();
  const external = [];
  page.on("request", (req) => { if (!req.url().startsWith(job.base)) external.push(req.url()); });
  await page.goto(c.url, { waitUntil: "load" });
  const label = await page.evaluate(() => document.querySelector("label[for=search-query]")?.textContent);
  await page.fill("#search-query", c.query);
  if (c.audience) await page.selectOption("#search-audience", c.audience);
  await page.press("#search-query", "Enter");
  await page.waitForFunction(() => document.getElementById("search-status").textContent.length > 0, null, { timeout: 20000 });
  const found = await page.evaluate(() => ({
    status: document.getElementById("search-status").textContent,
    live: document.getElementById("search-status").getAttribute("aria-live"),
    results: [...document.querySelectorAll("#search-results a")].map((a) => a.href),
  }));
  let landed = null;
  if (found.results.length) {
    await Promise.all([page.waitForNavigation(), page.click("#search-results a")]);
    landed = { url: page.url(), h1: await page.textContent("h1") };
  }
  await page.close();
  return { ...c, label, ...found, landed, external };
}

const browser = await chromium.launch({ executablePath: job.chromium, args: FLAGS });
try {
  const context = await browser.newContext();
  const cases = [];
  for (const c of job.cases) cases.push(await searchCase(context, c));
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const page = await plain.newPage();
  await page.goto(job.cases[0].url, { waitUntil: "load" });
  const nojs = await page.evaluate(() => ({
    visible: [...document.querySelectorAll("#search-nojs a")].filter((a) => a.offsetParent !== null).map((a) => a.href),
    formShown: document.getElementById("search-js").offsetParent !== null,
  }));
  process.stdout.write(JSON.stringify({ cases, nojs }));
} finally {
  await browser.close();
}
