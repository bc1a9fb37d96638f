"""The README's security section publishes what the trust tests try, counted from the tests
themselves (their parametrisations), so that the figures cannot drift from the suite: when a
trust test is added or changed, this test fails and prints the section's new table.

Every case counted here is a test that passes in each run of ``bin/test`` (on SQLite and on
PostgreSQL with Redis): "held" is every case, or the suite is red.
"""
import inspect
import math
from pathlib import Path

from . import (
    test_access_matrix, test_audit_trail, test_crash_safety, test_deploy_settings, test_hostile_uploads,
    test_import_concurrency, test_personal_data, test_typed_params, test_xlsx_files,
)

README = Path(__file__).resolve().parent.parent / "README.md"


def cases(function):
    """How many cases pytest runs of a test function: the product of its parametrisations."""
    marks = [m for m in getattr(function, "pytestmark", []) if m.name == "parametrize"]
    return math.prod(len(mark.args[1]) for mark in marks) if marks else 1


def trust_tests_of(module, keep=lambda name: True):
    return [f for name, f in inspect.getmembers(module, inspect.isfunction)
            if name.startswith("test_") and f.__module__ == module.__name__ and keep(name)]


def hostile_files():
    uploads = trust_tests_of(test_hostile_uploads, lambda name: "refused" in name or "upload" in name)
    return sum(cases(f) for f in uploads) + sum(cases(f) for f in trust_tests_of(test_xlsx_files))


def figures():
    """(class of attack, requests or files tried): every one held."""
    matrix_cells = len(test_access_matrix.CELLS)
    access = sum(cases(f) for f in trust_tests_of(test_access_matrix, lambda n: n != "test_cell"))
    return [
        ("Guessed IDs and URLs: every page × every role, anonymous included (access matrix)", matrix_cells),
        ("Foreign objects, other counties and cities, foreign POSTs, city writes, the admin", access),
        ("Mistyped and hostile parameters (page, page size, dates, years) on every page",
         len(test_typed_params.GET_PAGES) * len(test_typed_params.HOSTILE)),
        ("Personal data: masked IDs, audit rows, no-store, CSP, the audit page per role",
         sum(cases(f) for module in (test_personal_data, test_audit_trail) for f in trust_tests_of(module))),
        ("Hostile files: oversized, zip bomb, not a workbook, wrong type, path tricks, formulas, "
         "DTD (billion laughs, XXE), understated sheet size", hostile_files()),
        ("Killed workers and concurrent imports", sum(
            cases(f) for module in (test_crash_safety, test_import_concurrency) for f in trust_tests_of(module))),
        ("Production settings: check --deploy, collectstatic with debug off, secrets, cookies",
         sum(cases(f) for f in trust_tests_of(test_deploy_settings))),
    ]


def table():
    lines = ["| class | tried | held |", "| --- | ---: | ---: |"]
    lines += [f"| {label} | {count} | {count} |" for label, count in figures()]
    total = sum(count for _, count in figures())
    lines.append(f"| **total** | **{total}** | **{total}** |")
    return "\n".join(lines)


def test_the_readme_publishes_the_suites_figures():
    expected = table()
    assert expected in README.read_text(encoding="utf-8"), (
        "README.md's security section is out of date; its table is now:\n\n" + expected)


def test_every_figure_counts_something():
    assert all(count > 0 for _, count in figures())
