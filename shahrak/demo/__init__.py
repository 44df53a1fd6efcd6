"""The demo dataset: a deterministic, realistic national dataset for Iranian years 1398–1402.

`shahrak demo --scale S --seed N` builds it (see `shahrak.demo.loader.load_demo`). Its figures have
the shape of the news article the system answers (`plan.py` names each one); its names read as
Persian (`names.py`). It is seed data, not anyone's change, so it writes no history rows.
"""
