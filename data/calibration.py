"""Published figures the demo data is calibrated to, each with its source.

Only facts are written here; everything else in the demo is generated.
"""

# Guangxi regional GDP (亿元, current prices) and real growth (%), after the 2018 economic census
# revision. Source: Guangxi Digital Economy White Paper (2022), table 1.
GUANGXI_GDP = {2017: 17790.68, 2018: 19627.81, 2019: 21237.14, 2020: 22156.69, 2021: 24740.86}
GUANGXI_GDP_REAL_GROWTH = {2017: 7.1, 2018: 6.8, 2019: 6.0, 2020: 3.7, 2021: 7.5}

# Guangxi's 2016 GDP as first published, before the census revision (亿元). Source: stats-data.json
# (2018 prototype dashboard; citydata.json has 18245.07 for the same year — a known entry fault).
GUANGXI_GDP_2016_FIRST_RELEASE = 18317.64

# 2017 GDP as first published, before the census revision (亿元, +7.3 %). Source: Guangxi statistics
# prototype dashboard data (2018), stats-data.json. The demo stores it as the first vintage of 2017.
GUANGXI_GDP_2017_FIRST_RELEASE = 20396.25

# City GDP in 2016 (亿元) and real growth (%). Source: citydata.json (2018 prototype dashboard).
# 河池's own series is used (657.18), not the headline entry that repeats 来宾's figures.
CITY_GDP_2016 = {
    "450100": (3703.33, 7.0), "450200": (2476.94, 7.3), "450300": (2054.82, 7.0), "450400": (1175.65, 7.6),
    "450500": (1006.98, 8.6), "450600": (676.04, 9.1), "450700": (1102.05, 9.0), "450800": (958.76, 7.9),
    "450900": (1553.83, 8.0), "451000": (1114.31, 8.8), "451100": (518.19, 8.1), "451200": (657.18, 4.9),
    "451300": (589.11, 3.9), "451400": (766.20, 8.2),
}

# Resident population by city, 2020 census (万人). Source: Guangxi 7th national census bulletin.
CITY_POPULATION_2020 = {
    "450100": 874.2, "450200": 415.8, "450300": 493.1, "450400": 282.0, "450500": 185.3, "450600": 104.6,
    "450700": 330.2, "450800": 431.7, "450900": 579.7, "451000": 357.2, "451100": 200.8, "451200": 341.7,
    "451300": 207.5, "451400": 208.9,
}

# Typical shares of the year's GDP by quarter in a Chinese province (current prices); the demo
# draws around them. Not a published figure for Guangxi.
QUARTER_SHARES = (0.215, 0.240, 0.250, 0.295)

# Peer scale relative to Guangxi for demo flows of peers (rounded 2021 GDP ratios).
PEER_SCALE = {
    "440000": 5.0, "530000": 1.1, "520000": 0.8, "430000": 1.9, "460000": 0.26, "510000": 2.2, "500000": 1.1,
    "150000": 0.84, "540000": 0.08, "610000": 1.2, "620000": 0.41, "630000": 0.13, "640000": 0.18, "650000": 0.64,
}
NATIONAL_SCALE = 46.0  # China's GDP is about 46 times Guangxi's

# GDP deflator (%) assumed by the demo for years without a published anchor (2017–2021 are pinned
# to the published real growth instead). Not published figures: chosen so that real growth stays
# in the range Guangxi reported in those years (about 4–7 %).
DEMO_GDP_DEFLATOR = {2015: 1.0, 2016: 1.4, 2022: 1.5, 2023: 1.8, 2024: 1.8, 2025: 1.2, 2026: 1.0}

# The three industries add up to GDP (the accounting identity the demo keeps exactly).
GDP_COMPONENTS = ("va_primary", "va_secondary", "va_tertiary")
