"""English output formats: day before month, 24-hour clock, weeks from Monday.

Django's `en` is American («Apr. 11, 2025», «04/11/2025», «2:30 p.m.»), which
sits badly beside the week labels («week 15 (7–13 April 2025)»). Only the
output formats change; the input formats stay Django's (ISO first).
"""

DATE_FORMAT = "j F Y"  # 11 April 2025
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 11 April 2025, 14:30
YEAR_MONTH_FORMAT = "F Y"  # April 2025
MONTH_DAY_FORMAT = "j F"  # 11 April
SHORT_DATE_FORMAT = "d/m/Y"  # 11/04/2025
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 11/04/2025 14:30
FIRST_DAY_OF_WEEK = 1  # Monday, as ISO weeks count
