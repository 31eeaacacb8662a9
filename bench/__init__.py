"""Benchmarks at realistic sizes (`python -m bench`, `make bench`); not part of the test run.

Each section is a module with a ``run(ctx) -> list[Section]`` function (see
common.py) listed in __main__.SECTIONS, so that later benchmarks (GUI
start-up, custom fields, history) are one more module and one more line.
"""
