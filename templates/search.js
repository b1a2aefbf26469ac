// The search page: asks the Pagefind index built beside the site (no network), in the page's
// language, optionally for one audience, and announces the results in a live region.
const form = document.getElementById("search-form");
const field = document.getElementById("search-query");
const audience = document.getElementById("search-audience");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const texts = JSON.parse(document.getElementById("search-texts").textContent);
let pagefind = null;

function plain(html) {
  // Pagefind's excerpts mark the words found; the page shows plain text only.
  const doc = new DOMParser().parseFromString(html, "text/html");
  return doc.body.textContent || "";
}

async function run(query) {
  if (!pagefind) {
    pagefind = await import(form.dataset.pagefind);
    await pagefind.options({ basePath: form.dataset.base });
  }
  const filters = audience.value ? { audience: audience.value } : {};
  const found = await pagefind.search(query, { filters });
  const results = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  list.replaceChildren(...results.map((data) => {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title;
    heading.append(link);
    const excerpt = document.createElement("p");
    excerpt.textContent = plain(data.excerpt);
    item.append(heading, excerpt);
    return item;
  }));
  const count = results.length;
  status.textContent = (count === 0 ? texts.none : count === 1 ? texts.one : texts.many)
    .replace("{count}", String(count)).replace("{query}", query);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = field.value.trim();
  if (!query) return;
  const url = new URL(location.href);
  url.searchParams.set("q", query);
  if (audience.value) url.searchParams.set("audience", audience.value); else url.searchParams.delete("audience");
  history.replaceState(null, "", url);
  run(query).catch(() => { status.textContent = texts.failed; });
});

document.getElementById("search-js").hidden = false;
document.getElementById("search-nojs").hidden = true;
const params = new URLSearchParams(location.search);
if (params.get("audience")) audience.value = params.get("audience");
if (params.get("q")) { field.value = params.get("q"); form.requestSubmit(); }
