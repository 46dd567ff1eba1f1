"""Site settings that a single field's type cannot check."""

from __future__ import annotations

import re

from sitegen.model.org import DistrictInfo
from sitegen.problems import Problem
from sitegen.validate import Locator

_HOURS = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d-([01]?\d|2[0-3]):[0-5]\d$")


def check_site(info: DistrictInfo, locate: Locator) -> list[Problem]:
    problems = []
    screen = info.screen
    if screen.hours and not _HOURS.match(screen.hours.strip()):
        problems.append(Problem("E013", f"大屏开屏时间“{screen.hours}”写法不对。", locate.find(screen.pos, "hours"),
                                "写成“开始-结束”，用 24 小时制，例如 hours: \"07:30-21:30\"；全天开屏就删去这一行。"))
    if screen.interval < 5:
        problems.append(Problem("E013", f"大屏每屏停留 {screen.interval} 秒太短，观众来不及看。", locate.find(screen.pos, "interval"),
                                "interval 写 5 秒以上，常用 15。"))
    return problems
