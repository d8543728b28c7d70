"""The synthetic demo of cob-analysis, apart from the runtime package.

- `calibrated`: the seeded demo exports (`data/raw/`), calibrated so that the workflow reproduces
  every published table of the 2020 report; `report_2020_tables.yaml` beside it holds those
  published figures (the demo config compares with them; the pipeline never computes from them).
- `scale`: uncalibrated exports of any size in the demo's layout, for the benchmarks.

`python -m cob_demo calibrated|scale|hashes --help`."""
