"""English: the texts of the tables, figures, workbook and HTML report, and the English labels of the
canonical (Dutch) values. The same keys with the same fields as `nl.py` (a test checks it)."""

TEXTS: dict[str, str] = {
    "stats.chi_square_sparse": "{k} cells ({pct}%) have expected count less than 5. The minimum expected count is {min}. The chi-square test is therefore not reliable.",
    "stats.chi_square_degenerate": "No chi-square test possible: after dropping empty rows and columns {r} row(s) and {c} column(s) remain (at least 2 x 2 needed).",
    # --- tables, shared by the workbook and the HTML report ------------------------------
    "table.number": "Table",
    "table.yes": "yes",
    "table.no": "no",
    "table.row_pct": "Row percentages.",
    "table.col_pct": "Column percentages.",
    "table.missing": "{n} missing values left out.",
    "table.missing_excluded": "{n} clients without a value for {var} are left out.",
    "table.assoc": "Chi-square test: χ²({df}) = {chi2}, p {p}, Cramér's V = {v}, N = {n}.",
    "table.assoc_sparse": "{k} cells ({pct}%) have an expected count below 5; the minimum expected count is {min}. "
    "The chi-square test is therefore not reliable.",
    "table.small_groups": "Small groups (fewer than {k} clients) are marked {mark}: their percentages and "
    "estimates are uncertain.",
    "table.small_at_risk": "Marked {mark}: fewer than {k} clients at risk.",
    "table.interval": "{value} ({low}–{high})",
    "table.public_withheld": "All counts in this table are withheld (shown as {mark}), as are the percentages and "
    "statistics based on them: the groups are too small to protect the small counts "
    "(fewer than {k}) otherwise.",
    # --- variables (what a column or a grouping is about) --------------------------------
    "variable.cohort": "Intake cohort",
    "variable.trajectory": "Trajectory",
    "variable.gender": "Gender",
    "variable.household": "Household",
    "variable.nt2_level": "Dutch level (NT2) at intake",
    "variable.age_group": "Age group",
    "variable.schooling": "Schooling",
    "variable.continent": "Continent",
    "variable.work": "Employment",
    "variable.work_status": "Employment",
    "variable.total": "Total",
    # --- column headers --------------------------------------------------------------------
    "column.code": "Code",
    "column.label": "Description",
    "column.n": "N",
    "column.pct": "%",
    "column.group": "Group",
    "column.group_var": "Grouping",
    "column.n_clients": "Clients (N)",
    "column.pct_of_all_clients": "% of all clients",
    "column.n_with_art60": "With art. 60 (N)",
    "column.pct_of_all_art60": "% of all art. 60",
    "column.pct_art60_within_trajectory": "% with art. 60 within trajectory",
    "column.mean_days": "Mean (days)",
    "column.sd_days": "SD (days)",
    "column.median_days": "Median (days)",
    "column.q1_days": "Q1 (days)",
    "column.q3_days": "Q3 (days)",
    "column.min_days": "Minimum (days)",
    "column.max_days": "Maximum (days)",
    "column.events": "Events",
    "column.censored": "Censored",
    "column.followup_max_days": "Longest follow-up (days)",
    "column.median_ci_low_days": "Median: 95% CI low",
    "column.median_ci_high_days": "Median: 95% CI high",
    "column.median_months": "Median (months)",
    "column.median_min_months": "Median: lower bound (months)",
    "column.median_max_months": "Median: upper bound (months)",
    "column.pct_started": "% started ≤ {m} mo",
    "column.pct_work": "% with work seen ≤ {m} mo",
    "column.lower_bound": "lower bound",
    "column.upper_bound": "upper bound",
    "column.comparison": "Comparison",
    "column.variable": "Variable",
    "column.covariate": "Covariate",
    "column.level": "Level",
    "column.reference": "Reference",
    "column.n_groups": "Groups",
    "column.statistic": "Statistic",
    "column.df": "df",
    "column.p": "p",
    "column.hr": "Hazard ratio",
    "column.odds_ratio": "Odds ratio",
    "column.ci_low": "95% CI low",
    "column.ci_high": "95% CI high",
    "column.with_ci": "{label} (95% CI)",
    "column.with_bounds": "{label} (bounds)",
    "column.with_iqr": "{label} (Q1–Q3)",
    "column.range": "Range",
    "column.range_days": "Range (days)",
    "column.group_a": "Group A",
    "column.group_b": "Group B",
    "column.p_holm": "p (Holm)",
    "column.measure": "Measure",
    "column.test": "Test",
    "column.n_work": "With work (N)",
    "column.verdict": "Verdict",
    "column.check": "Check",
    "column.description": "Description",
    "column.n_flagged": "Flagged (N)",
    "column.export": "Export",
    "column.distinct_keys": "Distinct keys",
    "column.unmatched_keys": "Unmatched keys",
    "column.unmatched_rows": "Unmatched rows",
    "column.out_of_window_keys": "Keys out of window",
    "column.n_evaluable": "Evaluable (N)",
    "column.n_work_ever": "Ever in work (N)",
    "column.n_durable": "Durable work (N)",
    "column.pct_durable": "% durable work",
    "column.pct_durable_of_work_ever": "% durable of those ever in work",
    "column.n_work_seen": "Work seen (N)",
    "column.n_lost": "Work lost (N)",
    "column.pct_kept": "% still working {m} mo after first work",
    "column.n_censored": "Censored (N)",
    "column.followup_max_months": "Longest follow-up (months)",
    "column.reference_date": "Snapshot",
    "column.months_since_intake": "Months since intake",
    "column.status_group": "VDAB status",
    "column.n_recoded_work": "Of which recoded as Work (N)",
    "column.from_date": "From (date)",
    "column.to_date": "To (date)",
    "column.from_status": "Status before",
    "column.to_status": "Status after",
    "column.from_trajectory": "From trajectory",
    "column.to_trajectory": "To trajectory",
    "column.n_changed": "Changed (N)",
    "column.pct_changed": "% changed",
    "column.n_changes": "Changes (N)",
    "column.days_n": "Days to change: N",
    "column.days_mean": "Days to change: mean",
    "column.days_sd": "Days to change: SD",
    "column.days_median": "Days to change: median",
    "column.days_q1": "Days to change: Q1",
    "column.days_q3": "Days to change: Q3",
    "column.days_*": "Days to change",
    "column.n_art60": "With art. 60 (N)",
    "column.pct_art60": "% with art. 60",
    "column.pct_art60_changed": "% with art. 60 among those who changed",
    "column.pct_art60_unchanged": "% with art. 60 among those who did not change",
    "column.rows_read": "Read",
    "column.linked": "Linked",
    "column.unmatched": "Unmatched",
    "column.duplicate": "Duplicate",
    "column.out_of_window": "Out of window",
    "column.rejected": "Rejected",
    "column.note": "Note",
    "column.file": "File",
    "column.pair": "From → to",
    "column.from_to": "From \\ to",
    # --- the workbook --------------------------------------------------------------------------
    "workbook.title": "COB Coevelt: tables",
    "workbook.contents": "Contents",
    "workbook.contents_note": "One sheet per table; click a table id to go there. Source: reports/tables/<id>.csv.",
    "workbook.comparison_sheet": "Published vs regenerated",
    "workbook.comparison_title": "Published versus regenerated figures",
    "workbook.comparison_summary": "{n} published figures compared at the published precision: {same} equal, "
    "{diff} different.",
    "workbook.comparison_how": "The regenerated figure is rounded half-up to the number of decimals of the "
    "published one.",
    "workbook.published_cell": "Published: {value}",
    "workbook.sheet_published_ok": "Published figures: all {n} equal.",
    "workbook.sheet_published_diff": "Published figures: {diff} of {n} differ (marked red).",
    "workbook.nr": "No.",
    "workbook.id": "Table id",
    "workbook.title_column": "Title",
    "workbook.published": "Published",
    "workbook.regenerated": "Regenerated",
    "workbook.rounded": "Regenerated, rounded",
    "workbook.equal": "Equal",
    "workbook.row": "Row",
    "workbook.column": "Column",
    "workbook.differences": "Differences",
    "workbook.footer": "Sheet {sheet} · page {page} of {pages}",
    # --- the HTML report: page ------------------------------------------------------------------
    "report.title": "COB Coevelt: quantitative analysis of the intake",
    "report.subtitle": "Tables, figures, data quality and provenance of one run of cob-analysis.",
    "report.run": "Run",
    "report.commit": "commit",
    "report.contents": "Contents",
    "report.top": "back to contents",
    "report.generated_by": "Made by cob-analysis; every figure comes from reports/tables/.",
    "report.source": "Source",
    "report.figure": "Figure",
    "report.no_figures": "No figures found.",
    "report.show_table": "Show the table ({rows} rows)",
    "report.show_full_table": "Show the full table ({rows} rows)",
    "report.show_group": "{group}: show the table",
    "report.explanation": "Notes on the table",
    "report.same_as": "The same numbers as {table}; folded here.",
    "report.folded_in_print": "Folded; the full table is in tables.xlsx.",
    "report.scroll_hint": "Scroll sideways to see the whole figure.",
    "report.small_mark": "small",
    "report.small_mark_title": "Fewer than {k} clients",
    "report.small_groups_figure": "Small groups (fewer than {k} clients): {groups}. Their curve is uncertain.",
    "report.small_group_item": "{group} (n = {n})",
    "report.figure_table": "The numbers behind this figure: {table}.",
    # --- the HTML report: sections ---------------------------------------------------------------
    "section.summary": "Summary",
    "section.report": "Tables of the evaluation report",
    "section.art60": "Time to a first art. 60",
    "section.models": "Models",
    "section.longitudinal": "Careers over time",
    "section.changes": "Trajectory changes",
    "section.other": "Further analyses",
    "section.published": "Published versus regenerated",
    "section.quality": "Data quality",
    "section.provenance": "Provenance",
    "section.report.intro": "The tables of chapter 3 of the evaluation report, computed from this analysis's "
    "exports.",
    "section.art60.intro": "How soon after their intake clients start a first art. 60, per intake cohort and per "
    "trajectory.",
    "section.models.intro": "Which characteristics go with a faster start of an art. 60 and with work at the "
    "reference date, each adjusted for the others.",
    "section.longitudinal.intro": "The VDAB status of the same clients at consecutive snapshots: who finds work, "
    "how soon, and whether that work lasts.",
    "section.changes.intro": "Clients who changed trajectory after the screening.",
    "section.other.intro": "Tables and figures that belong to none of the parts above.",
    # --- the HTML report: summary ----------------------------------------------------------------
    "summary.intro": "The headline figures per intake cohort and per trajectory. Below the table: how each figure "
    "is computed and which table it comes from.",
    "summary.group": "Group",
    "summary.all_clients": "All clients",
    "summary.by_cohort": "By intake cohort",
    "summary.by_trajectory": "By trajectory",
    "summary.definitions": "Definitions",
    "summary.findings": "In short",
    "summary.finding": "{indicator}: {total} of all clients; by trajectory from {low} ({low_group}) to {high} "
    "({high_group}).",
    "summary.finding_total": "{indicator}: {total} of all clients.",
    "summary.caption": "Headline figures per intake cohort and per trajectory",
    "summary.none": "No headline figures: the tables they come from are missing.",
    "indicator.clients": "Clients",
    "indicator.clients.definition": "Clients with an intake in the intake window, linked to the other sources.",
    "indicator.work": "Work at the reference date",
    "indicator.work.definition": "Share of clients whose VDAB status at the reference date is recoded as Work; no "
    "work and no VDAB record count as no work.",
    "indicator.art60_12m": "Art. 60 within 12 months",
    "indicator.art60_12m.definition": "Estimated share of clients who start a first art. 60 within 12 months of "
    "their intake (Kaplan-Meier: clients followed for less time count for as "
    "long as they are followed).",
    "indicator.art60_median_days": "Days to art. 60 (median)",
    "indicator.art60_median_days.definition": "Median number of days from the intake to the start of the first "
    "art. 60, among clients with an art. 60.",
    "indicator.work_seen_12m": "Work seen within 12 months",
    "indicator.work_seen_12m.definition": "Estimated share of clients with work at a VDAB snapshot within 12 "
    "months of their intake (interval-censored Kaplan-Meier, Turnbull).",
    "indicator.durable": "Durable work",
    "indicator.durable.definition": "Share of evaluable clients in durable work.",
    "indicator.durable.consecutive_snapshots": "Share of evaluable clients in work at {k} consecutive snapshots "
    "after the intake.",
    "indicator.durable.no_return_within": "Share of evaluable clients not seen without work within {months} "
    "months after work was first seen.",
    "indicator.durable.still_working_after": "Share of evaluable clients still in work {months} months after work "
    "was first seen.",
    # --- the HTML report: figures ----------------------------------------------------------------
    "figure.km_art60_cohort": "Cumulative share of clients with a first art. 60 by months since intake, per intake "
    "cohort (Kaplan-Meier, with 95% confidence band).",
    "figure.km_art60_trajectory": "Cumulative share of clients with a first art. 60 by months since intake, per "
    "trajectory (Kaplan-Meier, with 95% confidence band).",
    "figure.cox_art60_forest": "Hazard ratios of the Cox model of the time to a first art. 60, with 95% confidence "
    "intervals (reference category = 1).",
    "figure.long_first_work_km": "Cumulative share of clients with work seen at a VDAB snapshot, by months since "
    "intake, per intake cohort and per trajectory (interval-censored Kaplan-Meier).",
    "figure.long_status_by_months": "VDAB status of each intake cohort at the consecutive snapshots, by months "
    "since intake: work, no work, deregistered and unknown.",
    # --- the HTML report: compact views ----------------------------------------------------------
    "view.status_by_months": "VDAB status per intake cohort and snapshot (% of the cohort)",
    "view.transitions": "Transitions between consecutive snapshots: from the status at the first date to the status "
    "at the next (% of the row)",
    "view.transitions_total": "All clients",
    "view.transitions_by": "By {variable}",
    "view.matrix": "From which trajectory to which (count and % of the row)",
    "view.count_pct": "{n} ({pct})",
    # --- the HTML report: published versus regenerated --------------------------------------------
    "published.intro": "Every published figure beside the regenerated one, compared at the published precision "
    "(the regenerated figure rounded half-up to the number of decimals printed).",
    "published.all_equal": "All {n} published figures equal the regenerated ones.",
    "published.some_differ": "{diff} of the {n} published figures differ from the regenerated ones.",
    "published.table_all_equal": "{n} published figures: all equal",
    "published.table_some_differ": "{n} published figures: {diff} different",
    "published.differences": "Differences",
    "published.no_differences": "No differences.",
    "published.per_table": "Per table",
    "published.table": "Table",
    "published.figures": "Figures",
    "published.equal": "Equal",
    "published.different": "Different",
    "published.row": "Row",
    "published.column": "Column",
    "published.published": "Published",
    "published.regenerated": "Regenerated",
    "published.status": "Status",
    "published.ok": "equal",
    "published.diff": "differs",
    "published.missing": "not found",
    "published.report_value": "report",
    "published.tip": "Published: {value}",
    "published.show": "Show the comparison",
    "published.caption": "Published figures per table",
    "published.differences_caption": "Published figures that differ",
    # --- the HTML report: data quality -----------------------------------------------------------
    "quality.intro": "Every row read is accounted for: read = linked + unmatched + duplicate + outside the intake "
    "window + rejected.",
    "quality.linkage": "Linkage per export",
    "quality.linkage_notes": "Notes on the linkage",
    "quality.disagreements": "Disagreements between sources",
    "quality.disagreements_caption": "Clients on whom the sources disagree, per check (count and % of the group)",
    "quality.no_disagreements": "No table of disagreements found.",
    "quality.other": "Other quality tables",
    "quality.no_linkage": "No linkage accounting found.",
    "quality.balanced": "balances",
    "quality.unbalanced": "does not balance: difference {d}",
    "quality.check": "Check",
    "quality.unmatched": "Unmatched keys per export",
    "check.art60_running_no_work": "Art. 60 running, VDAB: no work",
    "check.art60_running_no_work.description": "art. 60 running at the reference date, but VDAB says no work",
    "check.art60_running_code_5": "Art. 60 running, VDAB code 5",
    "check.art60_running_code_5.description": "art. 60 running at the reference date, VDAB code 5 (compulsorily "
    "registered by the OCMW)",
    "check.twe_work_result_no_work": "TWE ended in work, VDAB: no work",
    "check.twe_work_result_no_work.description": "last TWE ended with work (NEC, NEC in social-economy firm, SEC), "
    "but VDAB says no work",
    "check.work_without_art60_or_twe": "Work without art. 60 or TWE",
    "check.work_without_art60_or_twe.description": "work according to VDAB, without art. 60 or TWE in the "
    "registration",
    "check.work_without_art60": "Work without art. 60",
    "check.work_without_art60.description": "work according to VDAB, without art. 60 in the registration (no TWE "
    "export)",
    "linkage_note.censored_after_end": "started after the observation end (censored, not an event)",
    "linkage_note.started_before_intake": "rejected: started before the intake",
    "linkage_note.conflicting_status": "rejected: conflicting status codes",
    "linkage_note.no_vdab_status": "clients without a VDAB status at the reference date",
    "linkage_note.younger_than_18": "clients younger than 18 at intake (in no age group)",
    "linkage_note.code_not_in_recoding": "linked rows with a code missing from the recoding table (Unknown)",
    "linkage_note.code_outside_validity": "linked rows with a code outside its validity period in the recoding "
    "table (recoded as the table says)",
    "linkage_note.rejected_at_ingest": "rejected at ingest: {reason}",
    "linkage_note.invalid_register_number": "invalid national register number",
    "linkage_note.ends_before_start": "ends before it starts",
    "linkage_note.empty_column": "empty {column}",
    "linkage_note.invalid_column": "invalid {column}",
    # --- the HTML report: provenance --------------------------------------------------------------
    "provenance.intro": "What these tables were made from: the input files (SHA-256), the configuration, the "
    "software versions and the time of the run.",
    "provenance.inputs": "Input files",
    "provenance.path": "File",
    "provenance.bytes": "Bytes",
    "provenance.versions": "Software versions",
    "provenance.show_versions": "Show the {n} packages and their versions",
    "provenance.config": "Configuration",
    "provenance.show_config": "Show the configuration",
    "provenance.created": "Time of run",
    "provenance.git_commit": "Git commit",
    "export.clients": "Intakes (clients)",
    "export.art60": "Art. 60 contracts",
    "export.twe": "TWE trajectories",
    "export.vdab": "VDAB status",
    "export.trajectory_changes": "Trajectory changes",
    "provenance.platform": "Platform",
    "provenance.unknown": "unknown",
    # --- the SPSS and Stata files (report.spss) -----------------------------------------------------
    "spss.file_label": "COB Coevelt: clients of the intake (pseudonymised)",
    "spss.note": "One row per client in the intake window (clients.parquet of cob-analysis). client_key is "
    "the pseudonym (HMAC-SHA256, the first 64 bits as an integer) as text: no national register "
    "number.",
    "spss.client_key": "Pseudonym of the client (text)",
    "spss.intake_date": "Date of the COB intake",
    "spss.cohort": "Intake cohort",
    "spss.trajectory": "Trajectory after the screening",
    "spss.gender": "Gender",
    "spss.age_at_intake": "Age at intake (years)",
    "spss.age_group": "Age group",
    "spss.nationality": "Nationality",
    "spss.country_of_birth": "Country of birth",
    "spss.continent": "Continent",
    "spss.household": "Household",
    "spss.nt2_level": "Dutch level (NT2) at intake",
    "spss.schooling": "Schooling in the country of origin",
    "spss.reference_date": "Reference date of the VDAB status",
    "spss.status_code": "VDAB status code at the reference date",
    "spss.work_status": "Employment at the reference date (recoded)",
    "spss.art60_started": "Art. 60 started between intake and the end of observation",
    "spss.art60_first_start": "Start of the first art. 60",
    "spss.days_to_art60": "Days from intake to the first art. 60",
    "spss.art60_count": "Number of art. 60 contracts started",
    "spss.art60_last_employer": "Employer of the last art. 60",
    "spss.twe_last_end": "End of the last TWE trajectory",
    "spss.twe_last_result": "Result of the last TWE trajectory",
    "spss.observation_end": "End of observation",
    # --- the report's tables (tables.report, tables.suppression) --------------------------------------
    "table.t05.title": "Timing of intake and employment",
    "table.t06.title": "Trajectory and employment",
    "table.t11.title": "Gender and employment",
    "table.t12.title": "Gender and household",
    "table.t13.title": "Household and employment",
    "table.t14.title": "Dutch level (NT2) at intake and employment",
    "table.t15.title": "Age and employment",
    "table.t16.title": "Schooling and employment",
    "table.under_age": "{n} clients were younger than {age} at intake and are in no age group.",
    "table.no_vdab_record": "No VDAB record",
    "table.t02.title": "VDAB job-seeker status on {reference}",
    "table.t02.note": "Labels from the recoding table.",
    "table.t04.title": "Work status, recoded",
    "table.t04.note": "Of which {n} unknown (no VDAB record or a code without recode).",
    "table.t07.title": "Art. 60 per trajectory",
    "table.t07.note": "Art. 60 started between intake and {end}.",
    "table.t08.title": "Days from intake to the start of art. 60 per trajectory",
    "table.t08.note": "Days from the COB intake to the start of the first art. 60 contract; clients with an art. 60 "
    "only. SD with n-1.",
    "table.t09.title_absent": "Result of the last TWE trajectory",
    "table.t09.note_absent": "No TWE export in this analysis: the configuration names no exports.twe.",
    "table.t09.title": "Result of the last TWE trajectory (ended between {start} and {end})",
    "table.t09.note": "{n} of {total} clients have a last TWE trajectory closed in this window.",
    "table.t10.title": "Employers in the OCMW register (last art. 60 employer, {min} or more)",
    "table.t10.note": "{n_distinct} distinct last employers in all; % of the {n} clients with an art. 60.",
    "table.public_note": "Public version: counts from 1 to {below} shown as <{k}; {secondary}: hidden so that no "
    "small count can be derived (secondary suppression).",
    # --- variables as named inside a sentence (tables.report notes) -----------------------------------
    "variable.cohort.in_sentence": "intake cohort",
    "variable.trajectory.in_sentence": "trajectory",
    "variable.gender.in_sentence": "gender",
    "variable.household.in_sentence": "household",
    "variable.nt2_level.in_sentence": "NT2 level",
    "variable.age_group.in_sentence": "age",
    "variable.schooling.in_sentence": "schooling",
    "variable.work.in_sentence": "work status",
    # --- time to art. 60, models (survival.analyses, survival.models) ---------------------------------
    "survival.per_trajectory": "by trajectory",
    "survival.per_cohort": "by intake cohort",
    "survival.missing_group": "{n} clients with an art. 60 but without {var} are left out.",
    "timing.title": "Days from intake to the start of the first art. 60 {per}",
    "timing.unit": "Clients with at least one art. 60; days from the COB intake to the start of the first art. 60 "
    "contract.",
    "timing.quartiles": "SD with n - 1; median and quartiles by SPSS's default definition (weighted average at "
    "position (n + 1) p).",
    "km.title": "Time to first art. 60 {per} (Kaplan-Meier)",
    "km.figure_title": "Time from intake to first art. 60, {per}",
    "km.censoring": "Clients without an art. 60 are censored at the end of observation ({end}); an art. 60 starting "
    "on the intake day counts as an event at day 0.",
    "km.method": "Kaplan-Meier estimate (lifelines); 95% confidence intervals with Greenwood variance and log(-log) "
    "transformation; 1 month = 30.4375 days. Median: the first time the estimated share without an "
    "art. 60 is 0.5 or lower (not the midpoint of a flat stretch).",
    "km.columns": "pct_started_Xm: estimated share (%) that started an art. 60 within X months of intake; empty "
    "when the group's follow-up is shorter. Empty median: not reached (or upper confidence limit not "
    "reached).",
    "km.at_risk_title": "Number at risk of a first art. 60 {per}, by month since intake",
    "km.at_risk_note": "Columns: months since intake. Clients still without an art. 60 and still under observation "
    "after that time (as under figure km_art60_{var}).",
    "km.risk_table_title": "Risk table {per}: still at risk, started and censored so far",
    "km.risk_table_note": "Per group and time (months since intake): at_risk, not started and still followed; "
    "events, started an art. 60 by then; censored, not started and no longer followed by then "
    "(together the group), as the KMunicate table under a curve.",
    "km.measure_at_risk": "at risk",
    "km.measure_events": "started",
    "km.measure_censored": "censored",
    "logrank.pairwise_title": "Log-rank tests per pair of groups: time to a first art. 60",
    "logrank.pairwise_note": "Each pair of groups tested on its own (log-rank, 1 degree of freedom); p_holm: the p "
    "value adjusted for the number of pairs per variable (Holm).",
    "logrank.title": "Log-rank test: time to first art. 60 by intake cohort and by trajectory",
    "logrank.note": "Multivariate log-rank test (lifelines) of equal curves across all groups; df = number of "
    "groups - 1.",
    "cox.title": "Cox model: time to first art. 60 (hazard ratios)",
    "cox.note": "Cox proportional-hazards model (lifelines, Efron ties); hazard ratio > 1: a first art. 60 sooner "
    "than the reference category. {events} events; concordance {c}.",
    "cox.global_title": "Global tests of the Cox model (all coefficients 0)",
    "cox.global_note": "Likelihood ratio, Wald and score (log-rank) tests that no characteristic is associated with "
    "the time to a first art. 60, as R's coxph prints them (Efron ties).",
    "cox.test_likelihood_ratio": "Likelihood ratio",
    "cox.test_wald": "Wald",
    "cox.test_score": "Score (log-rank)",
    "cox.ph_title": "Cox model: proportional-hazards check per covariate",
    "cox.ph_note": "Test on Schoenfeld residuals with rank-transformed time (lifelines proportional_hazard_test); "
    "'violated at 5%' means p < 0.05: the hazard ratio of that category changes over time.",
    "cox.forest_title": "Cox model: hazard ratios of a first art. 60",
    "cox.verdict_ok": "ok",
    "cox.verdict_violated": "violated at 5%",
    "logit.title": "Logistic regression: work at the reference date (odds ratios)",
    "logit.note": "Outcome: work (VDAB status recoded as Work{ref}); No work and Unknown count as no work, as in "
    "the report. {k} of {n} clients with work. Statsmodels Logit; pseudo R² (McFadden) {r2}.",
    "model.failed": "Model not estimated: {error}",
    "model.reference": "Reference categories: {items}.",
    "model.pooled": "Grouping of {var}: {items}.",
    "model.set_missing": "{var}: {level} ({n} clients, fewer than {min}) treated as missing.",
    "model.fallback": "{var}: the usual reference category is absent; the largest group is the reference.",
    "model.dropped_absent": "{var} not in the model: no data.",
    "model.dropped_single": "{var} not in the model: a single category.",
    "model.excluded": "N used: {used}; {excluded} clients left out for missing values{detail}.",
    # --- figures (survival.kaplan_meier, survival.forest) ---------------------------------------------
    "plot.km.xlabel": "Months since intake",
    "plot.km.ylabel": "Share started an art. 60 (%)",
    "plot.km.title": "Time from intake to first art. 60",
    "plot.km.censored": "censored",
    "plot.km.band": "{level} confidence interval",
    "plot.km.footnote": "Censored: no art. 60 yet at the end\nof observation.",
    "plot.km.truncated": "Curves stop where fewer than\n{k} clients are at risk.",
    "plot.km.at_risk": "Number at risk",
    "plot.forest.hr": "Hazard ratio (95% CI, log scale)",
    "plot.forest.odds_ratio": "Odds ratio (95% CI, log scale)",
    "plot.forest.ref": "reference",
    # --- the longitudinal view (longitudinal.texts, longitudinal.run) ---------------------------------
    "longitudinal.needs_snapshots": "This table needs two or more VDAB snapshots (reference dates); the data hold "
    "{n}{dates}. Add exports of other reference dates to the VDAB export.",
    "longitudinal.needs_snapshots_figure": "At least two VDAB snapshots needed\n(the data hold {n}{dates}).",
    "longitudinal.no_changes": "No trajectory-change export (trajectory_changes): the changes after the screening "
    "are not known. Add the export to the configuration (exports.trajectory_changes).",
    "longitudinal.before_intake": "{n} VDAB statuses dated before the client's intake are not used.",
    "longitudinal.missing_group": "{n} clients without {var} are left out of the rows by {var}.",
    "longitudinal.sbm_title": "VDAB status by intake cohort and months since intake",
    "longitudinal.sbm_months": "Months since intake: whole months (rounded, 1 month = 30.4375 days) from the "
    "cohort's median intake date to the snapshot. A snapshot counts for a cohort only "
    "when every client of the cohort had the intake by then.",
    "longitudinal.sbm_groups": "Work, No work and Unknown per the recoding table; Deregistered: every code in "
    "category 'uitgeschreven' (76-79), also 78 'deregistered because of work', which the "
    "report and the other tables count as Work (column n_recoded_work). Unknown: also no "
    "VDAB record at that date. pct: of the cohort at that snapshot.",
    "longitudinal.sbm_no_category": "The status panel has no status_category column: Deregistered cannot be shown "
    "apart and is part of Work or No work.",
    "longitudinal.sbm_partial": "Left out because the cohort had only partly been taken in by then: {items}.",
    "longitudinal.sbm_figure_title": "VDAB status by months since intake, per intake cohort",
    "longitudinal.sbm_xlabel": "Months since intake (cohort median)",
    "longitudinal.sbm_ylabel": "Share of the cohort",
    "longitudinal.sbm_legend": "VDAB status",
    "longitudinal.sbm_figure_note": "Deregistered: codes 76-79, also 78\n'deregistered because of work' (the "
    "report\ncounts 78 as work). Unknown: also no\nVDAB record. A snapshot counts "
    "once\nthe whole cohort has been taken in.",
    "longitudinal.tr_title": "Transitions between consecutive VDAB snapshots: work, no work, unknown",
    "longitudinal.tr_note": "Per pair of consecutive snapshots the clients with an intake on or before the first "
    "date; pct: of the row (from_status), e.g. Work -> Work: share of those working who "
    "still work at the next snapshot. Work per the recoding table (78 counts as Work); "
    "Unknown: also no VDAB record.",
    "longitudinal.dw_title": "Durable work by intake cohort and by trajectory",
    "longitudinal.dw_rule_consecutive": "Durable work definition (config durable_work): work (VDAB status recoded "
    "as Work) at {k} consecutive snapshots after the intake; a snapshot without "
    "a VDAB record breaks the run.",
    "longitudinal.dw_rule_still": "Durable work definition (config durable_work): still work (VDAB status recoded "
    "as Work) at the first snapshot at least {months} months after the first snapshot "
    "with work.",
    "longitudinal.dw_columns": "n_evaluable: clients with enough snapshots to test the definition ({evaluable}); "
    "pct_durable: of n_evaluable; pct_durable_of_work_ever: of the evaluable clients who "
    "had work at some snapshot.",
    "longitudinal.dw_evaluable_consecutive": "at least {k} snapshots after the intake",
    "longitudinal.dw_evaluable_still": "after the first snapshot with work (or, without work, after the first "
    "snapshot) another snapshot at least {months} months later",
    "longitudinal.dw_rule_no_return": "Durable work definition (config durable_work): after the first snapshot "
    "with work (VDAB status recoded as Work) no snapshot without work (a VDAB record recoded as No work) within "
    "{months} months; a snapshot without a VDAB record does not count.",
    "longitudinal.dw_evaluable_no_return": "after the first snapshot with work (or, without work, after the first "
    "snapshot) another snapshot at least {months} months later, or a snapshot without work before then",
    "longitudinal.ret_title": "Keeping work: share still working after the first snapshot with work, by intake "
    "cohort and by trajectory (Kaplan-Meier)",
    "longitudinal.ret_definition": "Definition: from the first snapshot at which a client is working (VDAB status "
    "recoded as Work), the time until the first later snapshot without work (a VDAB record recoded as No work): "
    "work lost. A client not seen without work after that is censored at the last snapshot with work. A "
    "snapshot without a VDAB record neither ends nor extends the spell.",
    "longitudinal.ret_method": "Product-limit (Kaplan-Meier) estimate on months since the first snapshot with "
    "work (1 month = 30.4375 days), with log(-log) 95% confidence intervals. Loss of work is seen only at a "
    "snapshot: it happened between the previous snapshot and that one, so the shares err high by up to one "
    "snapshot interval.",
    "longitudinal.ret_columns": "pct_kept_Xm: estimated share (%) still working X months after the first "
    "snapshot with work; empty beyond the group's longest follow-up. median_months: the first time that share "
    "is at or below 50%.",
    "longitudinal.km_title": "Time from intake to first observed work, by intake cohort and by trajectory "
    "(interval-censored Kaplan-Meier)",
    "longitudinal.km_intervals": "Work is only seen at the snapshots: the first work falls between the last "
    "snapshot without work (or the intake) and the first with work; who never had work "
    "is right-censored at the last snapshot without work. Work between two snapshots "
    "that ended before the next one is not seen.",
    "longitudinal.km_method": "Nonparametric maximum likelihood estimate (Turnbull, EM algorithm); within a "
    "Turnbull interval the mass is not fixed: pct_work_Xm is the estimate with the mass "
    "spread evenly over the interval, _min and _max the bounds. No confidence intervals. "
    "Before most clients' first snapshot the estimate rests on few observations: the "
    "NPMLE puts the mass of those already working at their first snapshot as early as the "
    "data allow. 1 month = 30.4375 days.",
    "longitudinal.km_columns": "pct_work_Xm: estimated share (%) seen working within X months of intake; empty when "
    "the group's follow-up is shorter. Empty median: not reached.",
    "longitudinal.km_figure_title": "Time from intake to first observed work, {per}",
    "longitudinal.per_cohort": "by intake cohort",
    "longitudinal.per_trajectory": "by trajectory",
    "longitudinal.km_xlabel": "Months since intake",
    "longitudinal.km_ylabel": "Share seen working (%)",
    "longitudinal.km_band": "range due to interval censoring",
    "longitudinal.km_at_risk": "Still without work",
    "longitudinal.km_footnote": "Still without work: clients with a snapshot\nwithout work at or after that time "
    "(and no\nwork before). Line: mass spread evenly over\neach Turnbull interval. Work "
    "is only seen\nat the snapshots: the start of the curve rests\non few observations.",
    "longitudinal.km_truncated": "Curves stop where fewer than\n{k} clients are still without work.",
    "longitudinal.tcm_title": "Trajectory changes after the screening: from which to which trajectory",
    "longitudinal.tcm_note": "One count per change: from the trajectory before it (for the first change the "
    "screening's trajectory) to the new one. pct: of the row. {n_changes} changes of "
    "{n_clients} clients.",
    "longitudinal.tcm_same": "{n} changes to the same trajectory (on the diagonal).",
    "longitudinal.tcs_title": "Trajectory changes and art. 60 by the screening's trajectory",
    "longitudinal.tcs_note": "Rows: the screening's trajectory (the report's tables use it). pct_changed: share "
    "with at least one change; days_*: days from the intake to the first change (SD with n "
    "- 1; quartiles as SPSS). pct_art60: share who started an art. 60 (the report: 44% of "
    "the VDAB trajectories), also apart for those who did and did not change.",
    "longitudinal.tc_excluded": "{n} changes of clients outside the population or before the intake not used.",
    "longitudinal.snapshots": "Snapshots: {dates}.",
    "longitudinal.sample_note": "Computed on a random sample of {n} clients (by pseudonym; longitudinal_max_clients "
    "= {limit}).",
}

# English labels of canonical (Dutch) values; a value not listed is printed as it is.
VALUES: dict[str, str] = {
    "Totaal": "Total",
    "Werk": "Work",
    "Geen werk": "No work",
    "Onbekend": "Unknown",
    "Geen werk of onbekend": "No work or unknown",
    "Man": "Man",
    "Vrouw": "Woman",
    "Aanvragers met gezin ten laste": "Applicants with dependent family",
    "Alleenstaande": "Single",
    "Samenwoner": "Cohabiting",
    "Geen": "None",
    "Laag": "Low",
    "Midden": "Medium",
    "Hoog": "High",
    "Lineair": "Linear",
    "Jongerenproject (ESF)": "Youth project (ESF)",
    "SD/Activering": "SD/Activation",
    "VDAB": "VDAB",
    "Niet geregistreerd": "Not registered",
    "18-24j": "18-24y",
    "25-30j": "25-30y",
    "30+": "30+",
    "NEC": "NEC",
    "NEC in SE-bedrijf": "NEC in social-economy firm",
    "SEC": "SEC",
    "Afrika": "Africa",
    "Azië": "Asia",
    "Europa": "Europe",
    "Amerika": "America",
    "Oceanië": "Oceania",
    "Uitgeschreven": "Deregistered",
}

# The labels of the shipped VDAB recoding table (config/recode/vdab_status.csv), shown in English
# by the workbook and the report; the table CSVs keep the recoding table's own (Dutch) labels.
RECODING_LABELS: dict[str, str] = {
    "Uitkeringsgerechtigd volledig werkloos": "Fully unemployed with benefits",
    "UVW vrijgesteld van de gemeentelijke controle": "Unemployed with benefits, exempt from municipal control",
    "Werkzoekende (art 36) in beroepsinschakelingstijd": "Job seeker (art. 36) in the vocational integration period",
    "Vrij ingeschreven werkzoekende, niet werkend": "Voluntarily registered job seeker, not working",
    "Werkzoekende uitgesloten van het recht op uitkeringen": "Job seeker excluded from benefits",
    "Verplicht ingeschreven O.C.M.W.": "Compulsorily registered by the OCMW",
    "Werkzoekende erkend als persoon met een handicap": "Job seeker recognised as a person with a disability",
    "Vrijwillig deeltijdse werknemer": "Voluntary part-time worker",
    "Beroep bij arbeidsrechtbank tegen RIZIV-beslissing": "Appeal at the labour court against an RIZIV decision",
    "Werknemer in opzegtermijn of met verbrekingsvergoeding": "Employee in notice period or with severance pay",
    "Leerling deeltijds of duaal leren": "Pupil in part-time or dual learning",
    "Jongere met recht op overbruggingsuitkering": "Young person entitled to a bridging allowance",
    "Campuswerkzoekende": "Campus job seeker",
    "Jobstudent": "Student worker",
    "Persoon met volledige vrijstelling, actief in wijk-werken": "Person fully exempted, active in neighbourhood work",
    "Uitgeschreven wegens ziekte": "Deregistered because of illness",
    "Uitgeschreven wegens hervatting studies": "Deregistered to resume studies",
    "Uitgeschreven wegens werk": "Deregistered because of work",
    "Gewone uitschrijving": "Ordinary deregistration",
    "Deeltijdse werknemer met uitkeringen": "Part-time worker with benefits",
    "Deeltijds werkende jongere in beroepsinschakelingstijd": "Part-time working young person in the vocational integration period",
    "Werkzoekenden in individuele beroepsopleiding": "Job seekers in individual vocational training",
    "Werkt regelmatig met interim": "Works regularly through temp agencies",
    "Voltijds werkende vrij ingeschreven werkzoekende": "Full-time working voluntarily registered job seeker",
    "Vrij ingeschreven deeltijdse werknemers": "Voluntarily registered part-time workers",
    "Werklozen vrijgesteld van beschikbaarheid voor de arbeidsmarkt wegens het volgen van studies, opleiding of "
    "stage": "Unemployed exempted from availability for the labour market to follow studies, training or an "
    "internship",
}
