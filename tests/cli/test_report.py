"""`easein report`: a PDF for a clinician, never overwriting a file unless told to."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pypdf
import pytest

from tests.cli.conftest import Trainee, log_session
from tests.cli.test_bad_input import assert_refused
from tests.conftest import FakeClock


def text_of(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def logged(trainee: Trainee, clock: FakeClock) -> Trainee:
    log_session(trainee.cli, clock, "2026-03-03 21:00", "small", pain=5, extra=("--sharp",))
    log_session(
        trainee.cli, clock, "2026-03-05 21:00", "small", bleeding="spotting",
        extra=("--notes", "CLI-NOTE"),
    )  # fmt: skip
    return trainee


def test_report_writes_the_pdf_where_asked_and_prints_its_path(
    logged: Trainee, tmp_path: Path
) -> None:
    target = tmp_path / "for-the-doctor.pdf"
    result = logged.cli("report", "--from", "2026-03-01", "--to", "2026-03-31", "-o", str(target))
    assert result.code == 0, result.err
    assert result.out == f"Wrote {target}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = text_of(target)
    assert "Period: 01 Mar 2026 to 31 Mar 2026" in text
    assert "Pain 5/10, sharp or sudden" in text
    assert "Bleeding: spotting (bright red)" in text
    assert "05 Mar 2026 21:00" in text
    assert "CLI-NOTE" not in text


def test_notes_are_included_with_the_notes_flag(logged: Trainee, tmp_path: Path) -> None:
    target = tmp_path / "with-notes.pdf"
    result = logged.cli("report", "--from", "2026-03-01", "--to", "2026-03-31", "--notes",
                        "-o", str(target), "--json")  # fmt: skip
    assert result.code == 0, result.err
    assert result.json() == {
        "path": str(target),
        "from": "2026-03-01",
        "to": "2026-03-31",
        "bytes": target.stat().st_size,
        "notes": True,
    }
    assert "CLI-NOTE" in text_of(target)


def test_the_default_file_is_new_in_the_current_folder_and_never_overwritten(
    logged: Trainee, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ("report", "--from", "2026-03-01", "--to", "2026-03-31")
    first = logged.cli(*args)
    assert first.code == 0, first.err
    made = tmp_path / "training-record-2026-03-01-to-2026-03-31.pdf"
    assert first.out == f"Wrote {made.name}\n"
    made.write_bytes(b"the doctor's copy")

    again = logged.cli(*args)
    assert_refused(again, "already exists", "--force")
    assert made.read_bytes() == b"the doctor's copy"

    forced = logged.cli(*args, "--force")
    assert forced.code == 0, forced.err
    assert made.read_bytes().startswith(b"%PDF-")


def test_an_output_folder_gets_the_default_name(logged: Trainee, tmp_path: Path) -> None:
    result = logged.cli("report", "--to", "2026-03-31", "-o", str(tmp_path))
    assert result.code == 0, result.err
    assert (tmp_path / "training-record-2026-01-01-to-2026-03-31.pdf").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--from", "2026-03-31", "--to", "2026-03-01"), ("to", "before from")),
        (("--from", "01/03/2026"), ("from", "not a date")),
        (("--to", "2026-02-30"), ("to", "not a date")),
        (("--from", "1900-01-01", "--to", "2026-01-01"), ("from", "outside")),
    ],
)
def test_a_bad_period_is_one_line_and_exit_code_2(
    logged: Trainee, tmp_path: Path, args: tuple[str, ...], says: tuple[str, ...]
) -> None:
    target = tmp_path / "never.pdf"
    assert_refused(logged.cli("report", *args, "-o", str(target)), *says)
    assert not target.exists()


def test_an_output_in_a_missing_folder_is_refused(logged: Trainee, tmp_path: Path) -> None:
    assert_refused(
        logged.cli("report", "-o", str(tmp_path / "nowhere" / "x.pdf")), "output", "cannot write"
    )
