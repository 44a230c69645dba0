"""Feature dicts for the phase classifier tests: every key at a neutral default, override per test."""


def s1_of(**kw):
    base = {
        "weeks_available": 4,
        "ctl_values": [],
        "ctl_slope": None,
        "tss_values": [400] * 3,
        "primary_tss_values": [400] * 3,
        "acwr_trend": None,
        "hard_day_values": [2] * 3,
        "hard_day_avg": None,
        "monotony_trend": None,
        "last_acwr": None,
        "recent": [],
    }
    return {**base, **kw}


def s2_of(**kw):
    base = {
        "planned_tss_delta": None,
        "hard_sessions_planned": 0,
        "current_week_hard_days_completed": 0,
        "current_week_hard_days_total": 0,
        "race_proximity": None,
        "race_category": None,
        "next_week_tss_delta": None,
        "plan_coverage_current_week": 0.0,
        "plan_coverage_next_week": 0.0,
        "next_7d_sessions": 0,
    }
    return {**base, **kw}
