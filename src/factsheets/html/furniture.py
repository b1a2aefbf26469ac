"""The site's furniture -> pages and files: 404 pages, sitemap.xml, robots.txt, report links."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from jinja2 import Environment

from .pages import page_context, render_page, site_title
from .site import Site

NOT_FOUND = "404.html"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def not_found_path(lang: str | None = None) -> str:
    """Where a 404 page lives in dist/: `en/404.html`, or the bilingual `404.html`."""
    return f"{lang}/{NOT_FOUND}" if lang else NOT_FOUND


def _base_href(site: Site, folder: str) -> str:
    """A root-relative `<base href>`: a 404 page is shown at any address, its links still work."""
    return urlsplit(site.config.base_url).path + folder


def render_not_found(env: Environment, site: Site, lang: str) -> str:
    """A language's "We couldn't find that Web page" (404) page."""
    path = not_found_path(lang)
    context = page_context(site, lang, path, {code: not_found_path(code)
                                              for code in site.config.languages})
    context.update(base_href=_base_href(site, f"{lang}/"), canonical=None, alternates=[])
    return render_page(env, "404.html.j2", context, site, lang)


def render_root_not_found(envs: Mapping[str, Environment], site: Site) -> str:
    """The bilingual 404 page at the site's root: each language's message, marked with its lang."""
    parts = []
    for lang, env in envs.items():
        context = page_context(site, lang, NOT_FOUND, {})
        context.update(site_title=site_title(env, site))
        parts.append(env.get_template("404-part.html.j2").make_module(context))
    source = site.config.source_language
    context = page_context(site, source, NOT_FOUND, {})
    context.update(parts=parts, base_href=_base_href(site, ""), canonical=None, alternates=[])
    return render_page(envs[source], "404-root.html.j2", context, site, source)


def render_sitemap(site: Site, pages: Sequence[Mapping[str, str]]) -> str:
    """sitemap.xml: every page, each with `xhtml:link hreflang` to every language's version."""
    base = site.config.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">']
    for versions in pages:
        for path in versions.values():
            lines.append(f"<url><loc>{_xml_text(base + path)}</loc>")
            lines.extend(f'<xhtml:link rel="alternate" hreflang={quoteattr(_tag(site, code))}'
                         f" href={quoteattr(base + other)}/>" for code, other in versions.items())
            lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _tag(site: Site, code: str) -> str:
    """The hreflang of a version: the language's tag, or `x-default`."""
    return site.config.languages.get(code, code)


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_robots(site: Site) -> str:
    """robots.txt: everything may be crawled; the sitemap's address."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n"
