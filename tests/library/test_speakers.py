"""Speaker merging: the same person under several forms is one speaker; different people are never merged."""

from __future__ import annotations

from server.library.speakers import find, merge, parse_name


def groups(rows: list[tuple[str, str | None, int]]) -> list[set[str]]:
    return sorted((set(s.forms) for s in merge(rows)), key=lambda g: sorted(g))


def test_surname_role_and_full_name_are_one_person() -> None:
    speakers = merge([("Jan Muster", "person", 2), ("Muster", "person", 1), ("Bankchef Muster", "person", 1)])
    assert len(speakers) == 1
    assert speakers[0].name == "Jan Muster" and speakers[0].quotes == 4 and speakers[0].speaker_type == "person"


def test_initial_joins_the_only_compatible_first_name() -> None:
    assert groups([("J. Muster", "person", 1), ("Jan Muster", "person", 1)]) == [{"J. Muster", "Jan Muster"}]
    assert groups([("J. Muster", "person", 1), ("Jan Muster", "person", 1), ("Julia Muster", "person", 1)]) == [
        {"J. Muster"}, {"Jan Muster"}, {"Julia Muster"}]
    assert groups([("K. Muster", "person", 1), ("Jan Muster", "person", 1)]) == [{"Jan Muster"}, {"K. Muster"}]


def test_bare_surname_stays_apart_when_two_people_have_it() -> None:
    assert groups([("Muster", "person", 1), ("Jan Muster", "person", 1), ("Eva Muster", "person", 1)]) == [
        {"Eva Muster"}, {"Jan Muster"}, {"Muster"}]
    assert groups([("Jan Muster", "person", 1), ("Jan Beispiel", "person", 1)]) == [{"Jan Beispiel"}, {"Jan Muster"}]


def test_organisations_groups_and_unnamed() -> None:
    rows = [("Stadtwerke Beispielhausen", "org", 2), ("stadtwerke  beispielhausen", "org", 1),
            ("Anwohner", "group", 1), ("Augenzeugin", "unnamed", 3), ("Muster", "org", 1), ("Muster", "person", 1)]
    result = {s.name: (s.speaker_type, s.quotes) for s in merge(rows)}
    assert result == {"Stadtwerke Beispielhausen": ("org", 3), "Anwohner": ("group", 1), "Muster": ("person", 1)} \
        or result == {"Stadtwerke Beispielhausen": ("org", 3), "Anwohner": ("group", 1), "Muster": ("org", 1)}
    assert len(merge(rows)) == 4  # the organisation "Muster" never merges with the person "Muster"
    assert "Augenzeugin" not in result


def test_a_named_spokesperson_stays_a_person() -> None:
    speakers = merge([("Eva Beispiel", "person", 1), ("Stadtwerke Beispielhausen", "org", 1)])
    assert {(s.name, s.speaker_type) for s in speakers} == {("Eva Beispiel", "person"),
                                                            ("Stadtwerke Beispielhausen", "org")}


def test_names_with_particles_and_titles() -> None:
    assert parse_name("Anna von der Beispiel").surname == "von der beispiel"
    assert parse_name("Dr. Anna Beispiel").given == ("anna",)
    assert parse_name("Finanzministerin Beispiel").given == ()
    assert groups([("Anna von der Beispiel", "person", 1), ("von der Beispiel", "person", 1)]) == [
        {"Anna von der Beispiel", "von der Beispiel"}]


def test_find_by_any_form_or_surname() -> None:
    speakers = merge([("Jan Muster", "person", 1), ("Bankchef Muster", "person", 1), ("Eva Beispiel", "person", 1)])
    assert [s.name for s in find(speakers, "bankchef muster")] == ["Jan Muster"]
    assert [s.name for s in find(speakers, "MUSTER")] == ["Jan Muster"]
    assert find(speakers, "Jan Beispiel") == []
    assert find(speakers, "") == []
