"""The main window at 100,000 contacts: does it stay instant?

Measures, on a 100,000-contact demo database and offscreen:

- start: from launching a fresh Python process to the window painted with rows;
- search: from a keystroke in the search box to the list repainted with its
  first answer (the first screenful for one or two letters; the rest of the
  list and the count follow and are not counted), for every keystroke of a
  few realistic searches (the search debounce, SEARCH_DELAY_MS, comes on top
  and is reported apart); target p95 under 40 ms; and where that time goes:
  the id query, applying it to the model, the row blocks read, formatting
  cells, painting;
- jump to the last row (End) and repaint;
- re-sort by each other column (click on the header) until repainted;
- peak memory (max RSS) of the process; target under 250 MB;
- the contact form loading a contact whose notes are a megabyte on one line
  (Qt lays out a line with no place to break in quadratic time: minutes,
  unless the editor wraps it anywhere); target under 20 s.

The database: --db PATH, else bench/out/gui_bench.crmdesk, made once with
crmdesk.core.demo.generate and reused. run() returns the figures as a dict
for `python -m bench`.

    .venv/bin/python bench/gui_bench.py [--db PATH] [--contacts N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Also run as a script (the startup child, `python bench/gui_bench.py`): the project's
# root on the path, so that bench.common's one percentile method is this one's too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import percentile  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
CONTACTS = 100_000
SEARCH_P95_TARGET_MS = 40.0  # issue 23 (was 50)
MEMORY_TARGET_MB = 250.0  # issue 23 (was 300)
JUMP_TARGET_MS = 2000.0  # End in the list, to the last row painted
LONG_NOTES_TARGET_MS = 20000.0
SEARCHES = ["kazlauskas", "ivanov", "smith", "vilnius", "petr"]
# Each word is typed this many times: 4 x 32 keystrokes, so that the p95 rests on
# more than 100 samples (issue 23).
KEYSTROKE_ROUNDS = 4
SORT_COLUMNS = ["company", "city", "email", "phone", "status", "updated"]


def database(path: Path | None = None, contacts: int = CONTACTS) -> Path:
    """The benchmark's database: the given one, or a demo one made once."""
    if path is not None:
        return path
    target = OUT / "gui_bench.crmdesk"
    if target.exists():
        return target
    from crmdesk.core.demo import generate
    from crmdesk.core.storage.database import Database

    OUT.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".making")
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(part) + suffix).unlink(missing_ok=True)
    with Database.open(part, backup=False) as db:
        generate(db, contacts=contacts, seed=1)
    part.rename(target)
    for suffix in ("-wal", "-shm", ".lock"):
        Path(str(part) + suffix).unlink(missing_ok=True)
    return target


def _max_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / (1024 * 1024)


def _window(db_path: Path, settings_dir: str) -> Any:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import crmdesk.ui  # noqa: F401
    from crmdesk.core.storage.database import Database
    from crmdesk.ui.common.settings import UiSettings
    from crmdesk.ui.window.app import configure_application
    from crmdesk.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    configure_application(app)  # type: ignore[arg-type]
    settings = UiSettings(QSettings(os.path.join(settings_dir, "bench.ini"),
                                    QSettings.Format.IniFormat))
    window = MainWindow(Database.open(db_path, backup=False), settings)
    window.resize(1280, 800)
    window.show()
    return app, window


def _startup_child(db_path: Path) -> None:
    """In a fresh process: open the window, paint rows, print the clock."""
    with tempfile.TemporaryDirectory() as settings_dir:
        app, window = _window(db_path, settings_dir)
        table = window.contacts.list
        app.processEvents()
        table.viewport().repaint()
        shown = window.contacts.model.data(window.contacts.model.index(0, 0))
        print(json.dumps({"painted_at": time.time(), "first_row": shown,
                          "rows": window.contacts.model.rowCount(),
                          "max_rss_mb": _max_rss_mb()}))
        window.close()


def measure_long_notes(app: Any) -> dict[str, Any]:
    """The contact form: load a contact with a megabyte of notes on one line, another
    contact, and the first again (on a small file of its own)."""
    from crmdesk.core.contacts.records import ContactData, create_contact
    from crmdesk.core.storage.database import Database
    from crmdesk.ui.contacts.form import ContactForm

    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(Path(folder) / "notes.crmdesk", backup=False)
        try:
            big = create_contact(db, ContactData(given_name="Anna", family_name="Smith",
                                                 notes="x" * 1_000_000))
            small = create_contact(db, ContactData(given_name="Bob", family_name="Smith"))
            form = ContactForm(db)
            form.resize(560, 900)
            form.show()
            app.processEvents()
            start = time.perf_counter()
            form.load(big)
            app.processEvents()
            form.load(small)
            form.load(big)
            app.processEvents()
            elapsed = (time.perf_counter() - start) * 1000
            assert len(form.notes.notes.toPlainText()) == 1_000_000
            form.close()
            form.deleteLater()
            app.processEvents()
        finally:
            db.close()
    return {"long_notes_load_ms": round(elapsed, 1),
            "long_notes_target_ms": LONG_NOTES_TARGET_MS}


def measure_startup(db_path: Path) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.time()
    out = subprocess.run([sys.executable, __file__, "--startup-child", str(db_path)],
                         capture_output=True, text=True, env=env, check=True)
    child = json.loads(out.stdout.strip().splitlines()[-1])
    return {"start_to_rows_ms": round((child["painted_at"] - start) * 1000, 1),
            "rows": child["rows"], "startup_max_rss_mb": round(child["max_rss_mb"], 1)}


def run(db_path: Path | None = None, contacts: int = CONTACTS,
        keystroke_rounds: int = KEYSTROKE_ROUNDS) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    path = database(db_path, contacts)
    figures: dict[str, Any] = {"database": str(path)}
    figures.update(measure_startup(path))

    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    from crmdesk.ui.window.main_window import SEARCH_DELAY_MS

    with tempfile.TemporaryDirectory() as settings_dir:
        app, window = _window(path, settings_dir)
        QTest.qWaitForWindowExposed(window)
        view = window.contacts
        model, table = view.model, view.list

        def settle() -> None:
            model.wait()
            app.processEvents()
            table.viewport().repaint()

        from crmdesk.ui.contacts.table_model import reader

        answered: list[float] = []
        model.reloaded.connect(lambda: answered.append(time.perf_counter()))

        waiting = QEventLoop()
        model.reloaded.connect(waiting.quit)
        poll = QTimer()
        poll.setInterval(2)
        poll.timeout.connect(lambda: None if reader().busy() else waiting.quit())
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(waiting.quit)

        def first_answer() -> None:
            """Until the list has its first answer (the first screenful, for one or two
            letters; the rest comes after, not counted), then the repaint. Waited for
            in an event loop, as the window waits (not by calling processEvents() in
            a loop, which takes the GIL from the reader thread a thousand times a
            second)."""
            if not answered:
                poll.start()
                deadline.start(10_000)
                waiting.exec()
                poll.stop()
                deadline.stop()
                if not answered:  # the reader is done: its answer is an event away
                    app.processEvents()
            table.viewport().repaint()

        # Where a keystroke's time goes: the id query (reader thread), applying the
        # answer (reset or reorder), the row blocks read, formatting cells, painting.
        parts = {"ids": 0.0, "apply": 0.0, "rows": 0.0, "format": 0.0, "paint": 0.0}

        def timed(name: str, fn: Any) -> Any:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    parts[name] += time.perf_counter() - start
            return wrapper

        model._first_ids = timed("ids", model._first_ids)
        model._load = timed("ids", model._load)
        model._apply = timed("apply", model._apply)
        model._query_rows = timed("rows", model._query_rows)
        model._format = timed("format", model._format)
        viewport = table.viewport()
        viewport.repaint = timed("paint", viewport.repaint)
        breakdown: dict[str, list[float]] = {k: [] for k in parts}

        # Search: each keystroke, from the key to the repainted list.
        latencies: list[float] = []
        short: list[float] = []  # 1-2 letters typed: a scan, no trigram index
        for word in SEARCHES * keystroke_rounds:
            window.search_box.clear()
            window.apply_search()
            settle()
            window.search_box.setFocus()
            for ch in word:
                for key in parts:
                    parts[key] = 0.0
                answered.clear()
                start = time.perf_counter()
                QTest.keyClick(window.search_box, ch)
                window.apply_search()  # what the debounce timer does
                first_answer()
                latencies.append((time.perf_counter() - start) * 1000)
                snapshot = dict(parts)
                settle()  # the rest of the list (and the count) before the next key
                # Rows and formatting happen inside the paint: paint is what is left.
                breakdown["paint"].append(1000 * (snapshot["paint"] - snapshot["rows"]
                                                  - snapshot["format"]))
                for key in ("ids", "apply", "rows", "format"):
                    breakdown[key].append(1000 * snapshot[key])
                if len(window.search_box.text()) < 3:
                    short.append(latencies.pop())
            figures.setdefault("search_hits", {})[word] = model.rowCount()
        figures["search_breakdown_ms"] = {
            key: [round(statistics.median(v), 1), round(percentile(v, 95), 1)]
            for key, v in breakdown.items()}
        window.search_box.clear()
        window.apply_search()
        settle()
        every = latencies + short
        figures["search_keystrokes"] = len(every)
        figures["search_p50_ms"] = round(statistics.median(every), 1)
        figures["search_p95_ms"] = round(percentile(every, 95), 1)
        figures["search_max_ms"] = round(max(every), 1)
        # From the third letter on the trigram index answers: the searches people
        # actually wait for. The first two letters scan every contact.
        figures["search_3plus_letters_p50_ms"] = round(statistics.median(latencies), 1)
        figures["search_3plus_letters_p95_ms"] = round(percentile(latencies, 95), 1)
        figures["search_1_2_letters_p50_ms"] = round(statistics.median(short), 1)
        figures["search_1_2_letters_max_ms"] = round(max(short), 1)
        figures["search_debounce_ms"] = SEARCH_DELAY_MS
        figures["search_p95_target_ms"] = SEARCH_P95_TARGET_MS

        # Jump to the last row.
        table.setFocus()
        table.select_row(0)
        settle()
        start = time.perf_counter()
        QTest.keyClick(table, Qt.Key.Key_End)
        table.viewport().repaint()
        assert table.currentIndex().row() == model.rowCount() - 1
        assert model.data(model.index(model.rowCount() - 1, model.column_of("name")))
        figures["jump_to_last_ms"] = round((time.perf_counter() - start) * 1000, 1)
        figures["jump_target_ms"] = JUMP_TARGET_MS

        # Re-sort by each other column.
        sorts: dict[str, float] = {}
        for key in SORT_COLUMNS:
            start = time.perf_counter()
            table.sortByColumn(model.column_of(key), Qt.SortOrder.AscendingOrder)
            settle()
            sorts[key] = round((time.perf_counter() - start) * 1000, 1)
        table.sortByColumn(model.column_of("name"), Qt.SortOrder.AscendingOrder)
        settle()
        figures["resort_ms"] = sorts
        figures["resort_max_ms"] = max(sorts.values())
        figures["row_blocks_read"] = model.block_queries
        figures["max_rss_mb"] = round(_max_rss_mb(), 1)
        figures["memory_target_mb"] = MEMORY_TARGET_MB
        window.close()
        figures.update(measure_long_notes(app))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--contacts", type=int, default=CONTACTS)
    parser.add_argument("--rounds", type=int, default=KEYSTROKE_ROUNDS,
                        help="times every search is typed (default %(default)s)")
    parser.add_argument("--startup-child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.startup_child is not None:
        _startup_child(args.startup_child)
        return 0
    figures = run(args.db, args.contacts, args.rounds)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def section(ctx: Any) -> list[Any]:
    """The figures above as a table of `python -m bench` (on the shared demo file)."""
    from bench.common import QUICK, Section

    # In a process of its own: the peak memory must be the window's, not that of
    # the sections run before it in this process (ru_maxrss never goes down).
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--db", str(ctx.path),
                           "--rounds", "1" if QUICK else str(KEYSTROKE_ROUNDS)],
                          capture_output=True, text=True, env=env, check=True)
    f = json.loads(done.stdout)
    ok = "PASS"
    rows = [
        ["start to a window showing rows", f"{f['start_to_rows_ms']:.0f} ms", "", ""],
        ["search keystroke p50 / p95 (all)", f"{f['search_p50_ms']} / {f['search_p95_ms']} ms",
         f"p95 < {f['search_p95_target_ms']} ms",
         ok if f["search_p95_ms"] < f["search_p95_target_ms"] else "FAIL"],
        ["search keystroke p50 / p95 (3+ letters)",
         f"{f['search_3plus_letters_p50_ms']} / {f['search_3plus_letters_p95_ms']} ms", "", ""],
        ["search keystroke p50 / max (1-2 letters)",
         f"{f['search_1_2_letters_p50_ms']} / {f['search_1_2_letters_max_ms']} ms", "", ""],
        ["jump to the last row", f"{f['jump_to_last_ms']} ms", f"< {f['jump_target_ms']:.0f} ms",
         ok if f["jump_to_last_ms"] < f["jump_target_ms"] else "FAIL"],
        ["resort by another column (slowest)", f"{f['resort_max_ms']} ms", "", ""],
        ["peak memory (max RSS)", f"{f['max_rss_mb']} MB", f"< {f['memory_target_mb']} MB",
         ok if f["max_rss_mb"] < f["memory_target_mb"] else "FAIL"],
        ["contact form: a megabyte of notes on one line, loaded",
         f"{f['long_notes_load_ms']:.0f} ms", f"< {f['long_notes_target_ms']:.0f} ms",
         ok if f["long_notes_load_ms"] < f["long_notes_target_ms"] else "FAIL"],
    ]
    parts = f["search_breakdown_ms"]
    rows.insert(4, ["keystroke, where the time goes (p50 / p95)", "; ".join(
        f"{name} {parts[key][0]} / {parts[key][1]} ms" for key, name in (
            ("ids", "id query"), ("apply", "apply"), ("rows", "row reads"),
            ("format", "_format"), ("paint", "paint")) if key in parts), "", ""])
    notes = ["resort per column: " + ", ".join(f"{k} {v} ms" for k, v in f["resort_ms"].items()),
             f"the search box waits {f['search_debounce_ms']} ms after a keystroke (not counted)"]
    return [Section("The main window (offscreen)", ["measure", "value", "target", "verdict"],
                    rows, notes)]
