"""Labels of the categorical scales: 1 is the best end."""

from s11sync.scales import current_labels, feel_label, scale_label


def test_wellness_scale_labels_name_the_direction():
    assert scale_label("sleep_quality", 1) == "GREAT (1 = best, 4 = worst)"
    assert scale_label("sleep_quality", 3) == "POOR (1 = best, 4 = worst)"
    assert scale_label("motivation", 4) == "LOW (1 = best, 4 = worst)"
    assert scale_label("sleep_quality", 2.0) == "OK (1 = best, 4 = worst)"


def test_off_scale_and_missing_values_have_no_label():
    for value in (None, 0, 5, 2.5, True, "2"):
        assert scale_label("sleep_quality", value) is None
    assert scale_label("steps", 2) is None  # not a categorical field
    assert feel_label(6) is None and feel_label(None) is None
    assert feel_label(5) == "Weak (1 = best, 5 = worst)"


def test_current_labels_cover_only_fields_with_a_value():
    values = {"sleep_quality": 3, "fatigue": None, "mood": 1, "steps": 4000}
    assert current_labels(values) == {
        "sleep_quality": "POOR (1 = best, 4 = worst)",
        "mood": "GREAT (1 = best, 4 = worst)",
    }
