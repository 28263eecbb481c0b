"""Every label of the interface in Chinese and English; Chinese is the default.

The language is part of the URL (``?lang=en``) so a link carries it; :func:`resolve` turns the
query value into ``"zh"`` or ``"en"``. Labels are looked up with :func:`t`; a missing key fails
loudly in tests rather than showing a raw key to a leader.
"""

from __future__ import annotations

from indicators import units

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

LABELS: dict[str, tuple[str, str]] = {
    # the frame
    "brand": ("经济调节大脑", "EconBrain"),
    "brand_sub": ("广西经济态势感知研判平台", "Guangxi economic situation awareness"),
    "nav_home": ("总览", "Overview"),
    "nav_gdp": ("地区生产总值", "Regional GDP"),
    "nav_screen": ("大屏", "Big screen"),
    "nav_region": ("地区", "Regions"),
    "nav_outlook": ("形势预判", "Outlook"),
    "nav_warning": ("预警中心", "Early warning"),
    "nav_indices": ("发展指数", "Indices"),
    "nav_reports": ("报告中心", "Reports"),
    "nav_systems": ("应用系统", "Systems"),
    "nav_domains": ("经济领域", "Domains"),
    "nav_topics": ("专题", "Topics"),
    "lang_switch": ("English", "中文"),
    "lang_switch_title": ("切换到英文", "Switch to Chinese"),
    "demo_banner": ("演示数据 · Demo data — figures are generated, not official statistics",
                    "演示数据 · Demo data — figures are generated, not official statistics"),
    "data_version": ("数据版本", "Data version"),
    "refresh_running": ("分析结果更新中（批量计算季节调整、预测、预警与指数），已完成",
                        "Analytics are being refreshed (seasonal adjustment, forecasts, warnings, indices):"),
    "refresh_stale": ("分析结果早于最新数据，请运行 python app.py refresh",
                      "Analytics are older than the latest data: run python app.py refresh"),
    "footer": ("经济调节大脑 · 开源经济态势感知与预警平台", "EconBrain · open-source economic situation awareness and early warning"),
    # home
    "home_title": ("经济调节大脑", "EconBrain · Economic Regulation Brain"),
    "home_lead": ("广西数字政府“经济调节大脑”：6 个应用系统 + 9 个经济领域 + N 个专题，一套指标体系贯通自治区、市、县。",
                  "The economic regulation brain of Guangxi's digital government: 6 application systems, "
                  "9 economic domains and N special topics on one indicator system for region, cities and counties."),
    "home_systems": ("六大应用系统", "Six application systems"),
    "home_domains": ("九大经济领域", "Nine economic domains"),
    "home_topics": ("专题", "Special topics"),
    "home_latest": ("最新数据", "Latest figures"),
    "home_open_gdp": ("查看地区生产总值", "Open regional GDP"),
    "status_ready": ("已上线", "Available"),
    "status_planned": ("建设中", "Not built yet"),
    "indicators_count": ("个指标", "indicators"),
    "open": ("进入", "Open"),
    "catalog_link": ("指标目录", "Indicator catalog"),
    # not built yet
    "not_built_title": ("建设中", "Not built yet"),
    "not_built_text": ("建设中：该页面将在后续版本提供。", "Not built yet: this page comes in a later release."),
    "not_built_catalog": ("下面列出已纳入指标体系的指标，其数据已可通过命令行和接口查询。",
                          "The indicators already in the indicator system are listed below; "
                          "their data can already be queried from the command line and the API."),
    "system_related": ("相关经济领域与专题", "Related domains and topics"),
    "system_related_sub": ("数字为已纳入指标体系的指标个数", "Numbers: indicators already in the indicator system"),
    "system_others": ("其他应用系统", "Other application systems"),
    "not_found_title": ("未找到页面", "Page not found"),
    "not_found_text": ("该地址没有对应的页面。", "There is no page at this address."),
    "back_home": ("返回总览", "Back to the overview"),
    "available_now": ("现已可用", "Available now"),
    "topic_regions": ("所属地区", "Region"),
    # catalog table
    "col_code": ("代码", "Code"),
    "col_name": ("指标名称", "Indicator"),
    "col_unit": ("单位", "Unit"),
    "col_frequency": ("频率", "Frequency"),
    "col_publication": ("发布方式", "Published as"),
    "col_source": ("数源单位", "Source unit"),
    "freq_M": ("月度", "Monthly"),
    "freq_Q": ("季度", "Quarterly"),
    "freq_A": ("年度", "Annual"),
    "pub_level": ("当期值", "Period value"),
    "pub_ytd_level": ("累计值", "Year to date"),
    "pub_growth": ("同比增速", "Growth"),
    "pub_ytd_growth": ("累计增速", "Growth, year to date"),
    "pub_index": ("指数", "Index"),
    # GDP page
    "gdp_title": ("地区生产总值", "Regional GDP"),
    "gdp_quarter": ("季度", "Quarter"),
    "gdp_kpi_gdp": ("地区生产总值", "GDP"),
    "gdp_kpi_growth": ("实际增长", "Real growth"),
    "gdp_kpi_primary": ("第一产业", "Primary industry"),
    "gdp_kpi_secondary": ("第二产业", "Secondary industry"),
    "gdp_kpi_tertiary": ("第三产业", "Tertiary industry"),
    "gdp_ytd_current": ("累计值 · 现价", "Year to date · current prices"),
    "gdp_growth_note": ("可比价，按发布口径", "Comparable prices, as published"),
    "gdp_nominal": ("现价增长（由总量计算）", "Nominal growth (from levels)"),
    "gdp_growth": ("增长", "Growth"),
    "gdp_share": ("占比", "Share"),
    "gdp_trend_title": ("季度走势", "Quarterly trend"),
    "gdp_trend_sub": ("柱：当季值（亿元）；线：累计实际增长（%）",
                      "Bars: value of the quarter (100 million yuan); line: real growth year to date (%)"),
    "gdp_map_title": ("各市地区生产总值", "GDP of the 14 cities"),
    "gdp_map_sub": ("累计值（亿元），颜色越深总量越大；点击城市进入该市页面",
                    "Year to date (100 million yuan); darker is larger; click a city to open its page"),
    "gdp_table_title": ("14 个设区市", "The 14 cities"),
    "gdp_table_sub": ("按总量排名；占比为占 14 市合计比重", "Ranked by value; share of the 14 cities' total"),
    "gdp_bar_title": ("各市增速比拼", "Growth race of the cities"),
    "gdp_bar_sub": ("累计实际增长（%），虚线为全区增速", "Real growth year to date (%); dashed line: Guangxi"),
    "gdp_col_rank": ("排名", "Rank"),
    "gdp_col_city": ("城市", "City"),
    "gdp_col_value": ("地区生产总值（亿元）", "GDP (100 mn yuan)"),
    "gdp_col_growth": ("实际增长（%）", "Real growth (%)"),
    "gdp_col_share": ("占比（%）", "Share (%)"),
    "gdp_col_growth_rank": ("增速排名", "Growth rank"),
    "gdp_total": ("14 市合计", "Total of the 14 cities"),
    "gdp_no_data": ("数据库中还没有地区生产总值数据。运行 python app.py init-demo 生成演示数据，或导入数据文件。",
                    "There is no GDP data in the database yet. Run python app.py init-demo for demo data, "
                    "or import a data file."),
    "gdp_source": ("数据来源：自治区统计局。实际增长按可比价计算，为发布值；现价增长由累计总量计算，二者口径不同。",
                   "Source: Statistics Bureau of Guangxi. Real growth is at comparable prices, as published; "
                   "nominal growth is recomputed from the accumulated values — the two are on different bases."),
    "gdp_quarter_unknown": ("没有所选季度的数据，已显示最新季度。", "No data for the requested quarter; showing the latest."),
}

# The six application systems of the plan ("6 + 9 + N"); code → (name, description) in zh / en.
SYSTEMS: dict[str, dict[str, str]] = {
    "awareness": dict(
        zh="态势感知", en="Situation awareness",
        desc_zh="大屏与总览：全区、各市、各县经济运行一屏掌握。",
        desc_en="The big screen and the overview pages: the region, its cities and counties at a glance."),
    "forecast": dict(
        zh="形势预判", en="Forecasting",
        desc_zh="以月度数据即时预测季度 GDP，给出带区间的预测和全年目标测算。",
        desc_en="Nowcasts of quarterly GDP from monthly data, forecasts with intervals, annual-target tracking."),
    "meeting": dict(
        zh="经济形势分析会议", en="Meeting support",
        desc_zh="经济形势分析会的材料包与演示模式。",
        desc_en="A briefing pack and a presentation mode for the economic situation analysis meeting."),
    "indices": dict(
        zh="经济发展指数", en="Development indices",
        desc_zh="农业、交通、金融、能源、价格指数，以及 14 市发展指数赛马比拼。",
        desc_en="Agriculture, transport, finance, energy and price indices, and a development index of the 14 cities."),
    "chains": dict(
        zh="产业链态势感知", en="Industry chains",
        desc_zh="产业链上中下游节点、链上企业、短板与断链风险。",
        desc_en="Chains with upstream, midstream and downstream nodes, their enterprises, weak links and break risks."),
    "consulting": dict(
        zh="经济咨询服务", en="Policy consulting",
        desc_zh="国家、自治区、市、县政策库，关联指标并评估政策效果。",
        desc_en="A policy library (national to county) linked to indicators, with policy-effect evaluation."),
}

SOURCE_UNITS_EN = {
    "自治区统计局": "Statistics Bureau of Guangxi",
    "国家统计局广西调查总队": "NBS Guangxi Survey Office",
    "自治区财政厅": "Department of Finance of Guangxi",
    "南宁海关": "Nanning Customs",
    "自治区人力资源社会保障厅": "Department of Human Resources and Social Security of Guangxi",
    "桂林市文化广电和旅游局": "Guilin Bureau of Culture, Radio, Television and Tourism",
    "柳州市统计局": "Liuzhou Statistics Bureau",
    "自治区交通运输厅": "Department of Transport of Guangxi",
    "人民银行广西分行": "PBOC Guangxi Branch",
    "自治区商务厅": "Department of Commerce of Guangxi",
    "广西电网公司": "Guangxi Power Grid",
    "自治区邮政管理局": "Guangxi Postal Administration",
    "中国人民银行": "People's Bank of China",
    "国家统计局": "National Bureau of Statistics",
    "自治区发展改革委": "Development and Reform Commission of Guangxi",
    "桂林市交通运输局": "Guilin Transport Bureau",
    "广西电网公司柳州供电局": "Guangxi Power Grid, Liuzhou Supply Bureau",
    "柳州市工业和信息化局": "Liuzhou Bureau of Industry and Information Technology",
}

UNITS_EN = units.UNITS_EN  # the catalog's units in English (indicators/units.py)


def register(labels: dict[str, tuple[str, str]]) -> None:
    """Add a page's own labels (a page module calls this at import). A key defined twice with
    different text is a mistake that would show one page another's label, so it fails loudly."""
    for key, pair in labels.items():
        if key in LABELS and LABELS[key] != tuple(pair):
            raise KeyError(f"label {key!r} already defined as {LABELS[key]!r}")
        if len(pair) != 2 or not all(isinstance(x, str) and x for x in pair):
            raise ValueError(f"label {key!r} needs a Chinese and an English text")
        LABELS[key] = tuple(pair)


def resolve(value: object, default: str = DEFAULT_LANG) -> str:
    """The language asked for in the URL: ``en``/``zh`` (any case, also ``zh-CN``), else ``default``."""
    if isinstance(value, list):
        value = value[-1] if value else None
    text = str(value or "").strip().lower()
    if text.startswith("en"):
        return "en"
    if text.startswith("zh"):
        return "zh"
    return default if default in LANGS else DEFAULT_LANG


def other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def t(key: str, lang: str = DEFAULT_LANG) -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


def pick(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


def group_name(group, lang: str) -> str:
    return pick(group.name_zh, group.name_en, lang)


def system_name(code: str, lang: str) -> str:
    s = SYSTEMS[code]
    return pick(s["zh"], s["en"], lang)


def source_unit(name: str, lang: str) -> str:
    return SOURCE_UNITS_EN.get(name, name) if lang == "en" else name


def unit(name: str, lang: str) -> str:
    return UNITS_EN.get(name, name) if lang == "en" else name
