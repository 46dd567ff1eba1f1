"""Notices: Markdown through Python-Markdown, then sanitized with nh3.

Markdown passes raw HTML through, so a notice (or a name inside one) could carry a
`<script>` or an `onerror=`; nh3 (the Rust `ammonia` sanitizer) keeps only the tags and
attributes below and drops every event handler and every URL with a scheme (http,
javascript, data): an intranet page links only within the site, and nothing is fetched.
"""

from __future__ import annotations

TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "span",
    "sup",
    "sub",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render(text: str) -> str:
    # Python-Markdown and nh3 loaded on first use: a build whose notices' HTML is kept
    # (sitegen.render.run) never loads them
    import markdown as md
    import nh3
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    # the extensions as objects: named by string, Python-Markdown looks them up among the
    # installed packages' entry points (importlib.metadata, tens of milliseconds a run)
    html = md.markdown(text, extensions=[TableExtension(), SaneListExtension()], output_format="html")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"mailto"},
        link_rel="noopener noreferrer",
        # a Markdown table's header cells head its columns: say so to screen readers
        set_tag_attribute_values={"th": {"scope": "col"}},
    )
