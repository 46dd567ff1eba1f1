"""Site settings that a single field's type cannot check."""

from __future__ import annotations

import re

from sitegen.model.org import DistrictInfo
from sitegen.problems import Problem
from sitegen.validate import Locator

MAX_INTERVAL = (
    600  # seconds a slide stays: beyond this the screen is a poster (and browsers' timers overflow far beyond)
)
_HOURS = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d-([01]?\d|2[0-3]):[0-5]\d$")


def check_site(info: DistrictInfo, locate: Locator) -> list[Problem]:
    problems = []
    screen = info.screen
    if screen.hours and not _HOURS.match(screen.hours.strip()):
        problems.append(
            Problem(
                "E013",
                f"大屏开屏时间“{screen.hours}”写法不对。",
                locate.find(screen.pos, "hours"),
                '写成“开始-结束”，用 24 小时制，例如 hours: "07:30-21:30"；全天开屏就删去这一行。',
            )
        )
    if screen.interval < 5:
        problems.append(
            Problem(
                "E013",
                f"大屏每屏停留 {screen.interval} 秒太短，观众来不及看。",
                locate.find(screen.pos, "interval"),
                "interval 写 5 秒以上，常用 15。",
            )
        )
    elif screen.interval > MAX_INTERVAL:
        problems.append(
            Problem(
                "E013",
                f"大屏每屏停留 {screen.interval} 秒太长，内容几乎不会轮换。",
                locate.find(screen.pos, "interval"),
                f"interval 写 {MAX_INTERVAL} 秒以内，常用 15。",
            )
        )
    return problems
