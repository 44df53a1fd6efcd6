"""How big the demo dataset is at scale S, and the figures of the article it is shaped to.

Every count below is for scale 1 (the national scale of DESIGN.md) and is multiplied by S. The
article figures (mission/000_156d01d0d872f584.txt) are named where they are used; money is in rials
at current prices. Exchange rates are a time series and do not scale.
"""

import datetime as dt
from dataclasses import dataclass

from shahrak.core import jalali

YEARS = (1398, 1399, 1400, 1401, 1402)
DATA_START = jalali.year_bounds(1398).start
DATA_END = jalali.year_bounds(1402).end
# "opening of 650 workshops in the past nine months": the first nine months of 1401.
NINE_MONTHS_1401 = jalali.months_of_year(1401, 1, 9)
# "over 40 trillion rials ... since the beginning of the current Iranian calendar year", said "last
# month" of an article of Dey 1401: 1 Farvardin to the end of Aban (month 8) 1401.
SPENDING_1401 = jalali.months_of_year(1401, 1, 8)
# The rest of 1401: "nearly eight trillion rials ... will be invested ... by the end of the year".
REST_OF_1401 = jalali.months_of_year(1401, 9, 12)
# The day "2,023 projects ... were underway": the end of the nine months.
UNDERWAY_DAY: dt.date = NINE_MONTHS_1401.end

TRILLION = 10**12

# Estates by kind (1,000 in all). Zones in deprived counties: "more than 100 industrial zones in
# deprived areas of the country".
ESTATES = {"park": 560, "zone": 260, "deprived_zone": 120, "specialized": 40, "technology": 20}
# Estates licensed each year: "licenses ... for establishing 26 new industrial parks and zones" in 1400.
ESTATES_LICENSED = {1398: 22, 1399: 24, 1400: 26, 1401: 28, 1402: 25}

PRODUCTION_UNITS = 100_000
# Units established each year: "1,433 small workshop units were also established" in 1400.
UNITS_ESTABLISHED = {1398: 1_310, 1399: 1_240, 1400: 1_433, 1401: 1_560, 1402: 1_520}
# Distinct units revived each year: "2,067 idle industrial units were revived ... during 1400".
UNITS_REVIVED = {1398: 1_480, 1399: 1_690, 1400: 2_067, 1401: 2_240, 1402: 2_150}
# Jobs those revivals restored in 1400: "job opportunities were created for over 39,000 people".
JOBS_RESTORED_1400 = 39_200
UNITS_IDLED = {1398: 2_650, 1399: 2_900, 1400: 2_050, 1401: 1_850, 1402: 1_950}
UNITS_CLOSED = {1398: 380, 1399: 420, 1400: 360, 1401: 340, 1402: 350}

# Workshops handed over, by period: "opening of 650 workshops in the past nine months" (1401, months 1–9).
WORKSHOPS_OPENED = {
    "before": 1_800, 1398: 480, 1399: 420, 1400: 560, "1401a": 650, "1401b": 260, 1402: 820,
}  # fmt: skip
WORKSHOPS_UNFINISHED = {"completed": 500, "under_construction": 700, "planned": 400}

PROJECTS = 25_000
# "2,023 projects ... underway" and, later, "more than 2,200 development projects being implemented".
PROJECTS_UNDERWAY = 2_150
# Their credit: "60 trillion rials (more than $157.8 million) of credit".
UNDERWAY_CREDIT = 60 * TRILLION
# Spending (disbursements) per period, rials. "over 40 trillion rials (about $105.2 million)" in
# 1401 months 1–8; the pace slowed after that, as the article's "nearly eight trillion" hope says.
SPENDING = {
    1398: 14 * TRILLION, 1399: 20 * TRILLION, 1400: 30 * TRILLION,
    "1401a": 40 * TRILLION, "1401b": 8_600_000_000_000, 1402: 63 * TRILLION,
}  # fmt: skip
# Planned disbursements per period: "nearly eight trillion rials" for the rest of 1401.
PLANNED = {1400: 35 * TRILLION, "1401a": 43 * TRILLION, "1401b": 7_900_000_000_000, 1402: 62 * TRILLION}

# National targets per year; "ISIPO had put it on the agenda to revive 2,000 stagnant units" in 1400
# and plans "establishing 1,000 workshops units" in 1401.
TARGETS = {
    "units_revived": {1398: 1_500, 1399: 1_800, 1400: 2_000, 1401: 2_500, 1402: 2_500},
    "jobs_restored": {1398: 30_000, 1399: 33_000, 1400: 38_000, 1401: 45_000, 1402: 45_000},
    "units_established": {1398: 1_200, 1399: 1_300, 1400: 1_500, 1401: 1_600, 1402: 1_600},
    "workshops_opened": {1398: 500, 1399: 500, 1400: 600, 1401: 1_000, 1402: 1_000},
    "estates_licensed": {1398: 20, 1399: 25, 1400: 25, 1401: 30, 1402: 25},
    "infrastructure_spending": {
        1398: 15 * TRILLION,
        1399: 22 * TRILLION,
        1400: 32 * TRILLION,
        1401: 50 * TRILLION,
        1402: 65 * TRILLION,
    },
}
# Provinces with targets of their own for 1401 (the rest are national only).
PROVINCIAL_TARGET_PROVINCES = ("IR-23", "IR-10", "IR-09", "IR-11", "IR-12")


@dataclass(frozen=True)
class Scale:
    """Counts at scale S: rounded half up, with a floor so that small scales keep a few of everything."""

    factor: float

    def __post_init__(self):
        if not 0 < self.factor <= 100:
            raise ValueError(f"the scale must be above 0 and at most 100, not {self.factor}")

    def n(self, count: float, minimum: int = 0) -> int:
        return max(minimum, int(count * self.factor + 0.5))

    def money(self, rials: int) -> int:
        return int(rials * self.factor + 0.5)


# Deliberate flaws for data quality (shahrak/analysis/quality.py): in these provinces every other
# estate (even key) has no coordinates, drawn all the same so that the random streams stay as they were.
UNLOCATED_ESTATES = {"IR-10", "IR-04"}  # Isfahan, West Azerbaijan
