"""Is the resident describing something broken in the community (楼道灯老不亮咋整)?

Then the FAQ's answer comes with a pointer to 随手拍, which sends the fault to
the people who fix it.  Two small lexicons of general Chinese: shared facilities
of a residential community, and what goes wrong with them; both must appear.
Wear that renovation plans address (老化, 旧) is left out: "老化的水管会换吗" asks
about the plan, not about a fault to report.
"""
from __future__ import annotations

import re
import unicodedata

FACILITY = re.compile(
    r"灯|楼道|走廊|楼梯|电梯|水管|管道|下水|化粪池|井盖|窨井|墙皮|墙面|外墙|屋顶|楼顶|房顶|天台|顶楼|门禁|单元门|防盗门|"
    r"窗|玻璃|栏杆|扶手|地面|路面|台阶|垃圾桶|垃圾箱|垃圾站|树|绿化|草坪|健身器材|充电桩|车棚|监控|摄像头|暖气|"
    r"燃气|电线|线路|电表|水表|信箱|消防栓|灭火器|排水|雨水|污水|水沟|路|道|地砖|雨棚|晾衣|护栏|围墙|大门")
FAULT = re.compile(
    r"坏|不亮|灭了|黑了|漏|渗|堵|冒水|溢|塌|裂|掉|脱落|破|松动|歪|倒了|积水|臭|异响|噪音|停水|停电|断了|没电|没水|"
    r"失灵|不好使|不能用|不管用|用不了|打不开|关不上|锈|乱堆|堆满|占用|满了|坑|滴水|闪")


def describes_fault(text: str) -> bool:
    """Something of the community's named together with something wrong with it."""
    plain = unicodedata.normalize("NFKC", text or "")
    return bool(FACILITY.search(plain)) and bool(FAULT.search(plain))
