"""The theme's short ways (sandboxed getattr for plain objects, output escaping without a
Markup per value) write exactly what Jinja2's own sandbox writes, and refuse exactly
what it refuses."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from sitegen.render.theme import Theme, _Sandbox


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    points: int
    note: object = ""


class Loose:
    def __init__(self):
        self.text = "<b>x</b> & y"
        self.safe = Markup("<i>ok</i>")

    def shout(self, word: str) -> str:
        return word.upper() + "!"


TEMPLATE = """{% macro cell(x) %}<td>{{ x }}</td>{% endmacro %}
{% set block %}<p>{{ v.rows[0].name }} & {{ v.loose.text }}</p>{% endset %}
{{ block }}{{ block | length }}
{% for r in v.rows %}{{ cell(r.name) }}{{ cell(r.points) }}{{ r.note }}{{ r.points * 2 }}{% endfor %}
{{ v.loose.safe }}{{ v.loose.text | safe }}{{ v.loose.shout("a<b") }}{{ "{0}&{1}".format(v.rows[1].name, 3) }}
{% filter upper %}{{ v.rows[1].name }} <x>{% endfilter %}{{ v.rows | map(attribute="points") | sum }}
{{ v.number }} {{ v.flag }} {{ v.none }} {{ v.ratio }} {{ v.rows[0].name ~ v.loose.text }}
{% autoescape false %}{{ v.loose.text }}{% endautoescape %}{{ v.missing_ok | default("—") }}
"""


def view():
    return {
        "rows": [Row("王<一>", 3, Markup("<em>注</em>")), Row("李 & 二", -1)],
        "loose": Loose(),
        "number": 12,
        "flag": True,
        "none": None,
        "ratio": 0.5,
    }


def jinja_own() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.Undefined
    )


def test_the_same_text_as_jinjas_own_sandbox():
    ours = _Sandbox(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    expected = jinja_own().from_string(TEMPLATE).render(v=view())
    assert ours.from_string(TEMPLATE).render(v=view()) == expected
    assert "王&lt;一&gt;" in expected and "<em>注</em>" in expected and "A&LT;B!" not in expected


@pytest.mark.parametrize(
    "source",
    [
        "{{ v.rows[0].__class__ }}",
        "{{ v.loose.shout.__func__ }}",
        "{{ v.loose.shout.__globals__ }}",
        "{{ v.rows.__class__.__mro__ }}",
        "{{ v.loose.__dict__ }}",
        "{{ v.loose.shout.__self__ }}",
        "{{ (v.rows | first).__init__.__globals__ }}",
        "{{ v.loose.__class__.mro() }}",
    ],
)
def test_the_same_refusals(source):
    ours = _Sandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    theirs = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    for env in (theirs, ours):
        with pytest.raises((SecurityError, jinja2.UndefinedError)) as refused:
            env.from_string(source).render(v=view())
        assert type(refused.value) is SecurityError or "unsafe" in str(refused.value) or "_" in str(refused.value)


def test_a_format_method_is_still_sandboxed():
    source = '[{{ "{0.__class__}".format(v.rows[0]) }}|{{ "{0.name}".format(v.rows[0]) }}]'
    texts = {
        env.from_string(source).render(v=view())
        for env in (SandboxedEnvironment(autoescape=True), _Sandbox(autoescape=True))
    }
    assert texts == {"[|王&lt;一&gt;]"}  # the class is not reached through format, by either


def test_the_default_theme_uses_them():
    theme = Theme()
    assert isinstance(theme.env, _Sandbox)
    template = theme.env.get_template("base.html")
    assert template.root_render_func.__globals__["escape"] is not jinja2.runtime.escape
