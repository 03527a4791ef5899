"""Where the report puts claims and studies: the chapter's sections and parts."""

from fptheory.report.sections import OTHER, equation_number, part_for_claim, part_for_study


def test_equation_numbers_place_claims_in_the_chapters_sections():
    assert equation_number("1.16-c2") == 16 and equation_number("1.1.1-relu") == 1
    assert equation_number("lemma") is None
    assert part_for_claim("1.14").title.startswith("Theorem 1")
    assert part_for_claim("1.26-relu").title.startswith("Linear frequency")
    assert part_for_claim("1.33").title.startswith("The decay-rate")
    assert part_for_claim("1.44-smooth").title.startswith("Regularity")
    assert part_for_claim("lemma") is OTHER


def test_studies_are_placed_by_name_then_by_chapter_reference():
    assert part_for_study({"study": "alpha_critical"}).title.startswith("The decay-rate")
    assert part_for_study({"study": "new", "chapter": "figures 1.3-1.4"}).title == \
        "Large initialisation"
    assert part_for_study({"study": "new", "chapter": "(1.23)"}).title.startswith("Loss")
    assert part_for_study({"study": "new", "chapter": "§1.3.2"}).title.startswith("The decay")
    assert part_for_study({"study": "new", "chapter": "none"}) is OTHER
