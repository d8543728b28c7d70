"""The longitudinal view's texts, Dutch and English (titles, notes, definitions)."""

from __future__ import annotations

from cob_analysis.labels import LANGUAGES

# --------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------
_T: dict[str, dict[str, str]] = {
    "needs_snapshots": {
        "nl": "Deze tabel vraagt twee of meer VDAB-momentopnames (referentiedata); de gegevens "
        "bevatten er {n}{dates}. Voeg exports van andere referentiedata toe aan de VDAB-export.",
        "en": "This table needs two or more VDAB snapshots (reference dates); the data hold "
        "{n}{dates}. Add exports of other reference dates to the VDAB export.",
    },
    "needs_snapshots_figure": {
        "nl": "Minstens twee VDAB-momentopnames nodig\n(de gegevens bevatten er {n}{dates}).",
        "en": "At least two VDAB snapshots needed\n(the data hold {n}{dates}).",
    },
    "no_changes": {
        "nl": "Geen export van trajectwijzigingen (trajectory_changes): de wijzigingen na de "
        "screening zijn niet bekend. Voeg de export toe in de configuratie (exports."
        "trajectory_changes).",
        "en": "No trajectory-change export (trajectory_changes): the changes after the "
        "screening are not known. Add the export to the configuration (exports."
        "trajectory_changes).",
    },
    "before_intake": {
        "nl": "{n} VDAB-statussen van vóór de intake van de cliënt zijn niet gebruikt.",
        "en": "{n} VDAB statuses dated before the client's intake are not used.",
    },
    "missing_group": {
        "nl": "{n} cliënten zonder {var} zijn niet opgenomen in de rijen per {var}.",
        "en": "{n} clients without {var} are left out of the rows by {var}.",
    },
    "sbm_title": {
        "nl": "VDAB-status per intakecohort naar maanden sinds intake",
        "en": "VDAB status by intake cohort and months since intake",
    },
    "sbm_months": {
        "nl": "Maanden sinds intake: hele maanden (afgerond, 1 maand = 30,4375 dagen) van de "
        "mediane intakedatum van het cohort tot de momentopname. Een momentopname telt voor een "
        "cohort alleen als alle cliënten van het cohort toen al ingestroomd waren.",
        "en": "Months since intake: whole months (rounded, 1 month = 30.4375 days) from the "
        "cohort's median intake date to the snapshot. A snapshot counts for a cohort only when "
        "every client of the cohort had the intake by then.",
    },
    "sbm_groups": {
        "nl": "Werk, Geen werk en Onbekend volgens de hercoderingstabel; Uitgeschreven: elke "
        "code in de categorie 'uitgeschreven' (76-79), ook 78 'uitgeschreven wegens werk', die "
        "het rapport en de andere tabellen als Werk tellen (kolom n_recoded_work). Onbekend: "
        "ook geen VDAB-record op die datum. pct: van het cohort op die momentopname.",
        "en": "Work, No work and Unknown per the recoding table; Deregistered: every code in "
        "category 'uitgeschreven' (76-79), also 78 'deregistered because of work', which the "
        "report and the other tables count as Work (column n_recoded_work). Unknown: also no "
        "VDAB record at that date. pct: of the cohort at that snapshot.",
    },
    "sbm_no_category": {
        "nl": "Het statuspanel heeft geen kolom status_category: Uitgeschreven kan niet apart "
        "getoond worden en zit in Werk of Geen werk.",
        "en": "The status panel has no status_category column: Deregistered cannot be shown "
        "apart and is part of Work or No work.",
    },
    "sbm_partial": {
        "nl": "Weggelaten omdat het cohort toen nog maar deels ingestroomd was: {items}.",
        "en": "Left out because the cohort had only partly been taken in by then: {items}.",
    },
    "sbm_figure_title": {
        "nl": "VDAB-status naar maanden sinds intake, per intakecohort",
        "en": "VDAB status by months since intake, per intake cohort",
    },
    "sbm_xlabel": {
        "nl": "Maanden sinds intake (mediaan van het cohort)",
        "en": "Months since intake (cohort median)",
    },
    "sbm_ylabel": {"nl": "Aandeel van het cohort", "en": "Share of the cohort"},
    "sbm_legend": {"nl": "VDAB-status", "en": "VDAB status"},
    "sbm_figure_note": {
        "nl": "Uitgeschreven: codes 76-79, ook 78\n'uitgeschreven wegens werk' (het rapport\n"
        "telt 78 als werk). Onbekend: ook geen\nVDAB-record. Een momentopname telt\n"
        "pas als het hele cohort ingestroomd is.",
        "en": "Deregistered: codes 76-79, also 78\n'deregistered because of work' (the report\n"
        "counts 78 as work). Unknown: also no\nVDAB record. A snapshot counts once\n"
        "the whole cohort has been taken in.",
    },
    "tr_title": {
        "nl": "Overgangen tussen opeenvolgende VDAB-momentopnames: werk, geen werk, onbekend",
        "en": "Transitions between consecutive VDAB snapshots: work, no work, unknown",
    },
    "tr_note": {
        "nl": "Per paar opeenvolgende momentopnames de cliënten met een intake op of vóór de "
        "eerste datum; pct: van de rij (from_status), bv. Werk -> Werk: aandeel van wie werkte "
        "dat op de volgende momentopname nog werkt. Werk volgens de hercoderingstabel (78 telt "
        "als Werk); Onbekend: ook geen VDAB-record.",
        "en": "Per pair of consecutive snapshots the clients with an intake on or before the "
        "first date; pct: of the row (from_status), e.g. Work -> Work: share of those working "
        "who still work at the next snapshot. Work per the recoding table (78 counts as Work); "
        "Unknown: also no VDAB record.",
    },
    "dw_title": {
        "nl": "Duurzaam werk per intakecohort en per traject",
        "en": "Durable work by intake cohort and by trajectory",
    },
    "dw_rule_consecutive": {
        "nl": "Definitie duurzaam werk (config durable_work): werk (VDAB-status hercodeerd als "
        "Werk) op {k} opeenvolgende momentopnames na de intake; een momentopname zonder "
        "VDAB-record onderbreekt de reeks.",
        "en": "Durable work definition (config durable_work): work (VDAB status recoded as "
        "Work) at {k} consecutive snapshots after the intake; a snapshot without a VDAB record "
        "breaks the run.",
    },
    "dw_rule_still": {
        "nl": "Definitie duurzaam werk (config durable_work): nog werk (VDAB-status hercodeerd "
        "als Werk) op de eerste momentopname minstens {months} maanden na de eerste momentopname "
        "met werk.",
        "en": "Durable work definition (config durable_work): still work (VDAB status recoded "
        "as Work) at the first snapshot at least {months} months after the first snapshot with "
        "work.",
    },
    "dw_columns": {
        "nl": "n_evaluable: cliënten met genoeg momentopnames om de definitie te toetsen "
        "({evaluable}); pct_durable: van n_evaluable; pct_durable_of_work_ever: van de "
        "beoordeelbare cliënten die ooit werk hadden op een momentopname.",
        "en": "n_evaluable: clients with enough snapshots to test the definition "
        "({evaluable}); pct_durable: of n_evaluable; pct_durable_of_work_ever: of the "
        "evaluable clients who had work at some snapshot.",
    },
    "dw_evaluable_consecutive": {
        "nl": "minstens {k} momentopnames na de intake",
        "en": "at least {k} snapshots after the intake",
    },
    "dw_evaluable_still": {
        "nl": "na de eerste momentopname met werk (of, zonder werk, na de eerste momentopname) "
        "nog een momentopname minstens {months} maanden later",
        "en": "after the first snapshot with work (or, without work, after the first snapshot) "
        "another snapshot at least {months} months later",
    },
    "km_title": {
        "nl": "Tijd van intake tot eerste waargenomen werk, per intakecohort en per traject "
        "(intervalgecensureerde Kaplan-Meier)",
        "en": "Time from intake to first observed work, by intake cohort and by trajectory "
        "(interval-censored Kaplan-Meier)",
    },
    "km_intervals": {
        "nl": "Werk is alleen zichtbaar op de momentopnames: het eerste werk valt tussen de "
        "laatste momentopname zonder werk (of de intake) en de eerste met werk; wie nooit werk "
        "had is rechts-gecensureerd op de laatste momentopname zonder werk. Werk tussen twee "
        "momentopnames dat vóór de volgende stopte, is niet zichtbaar.",
        "en": "Work is only seen at the snapshots: the first work falls between the last "
        "snapshot without work (or the intake) and the first with work; who never had work is "
        "right-censored at the last snapshot without work. Work between two snapshots that "
        "ended before the next one is not seen.",
    },
    "km_method": {
        "nl": "Niet-parametrische maximum-likelihoodschatting (Turnbull, EM-algoritme); binnen "
        "een Turnbull-interval ligt de massa niet vast: pct_work_Xm is de schatting met de massa "
        "gelijk verdeeld over het interval, _min en _max de grenzen. Geen "
        "betrouwbaarheidsintervallen. Vóór de eerste momentopname van de meeste cliënten rust "
        "de schatting op weinig waarnemingen: de NPMLE legt de massa van wie al op de eerste "
        "momentopname werkte zo vroeg als de gegevens toelaten. 1 maand = 30,4375 dagen.",
        "en": "Nonparametric maximum likelihood estimate (Turnbull, EM algorithm); within a "
        "Turnbull interval the mass is not fixed: pct_work_Xm is the estimate with the mass "
        "spread evenly over the interval, _min and _max the bounds. No confidence intervals. "
        "Before most clients' first snapshot the estimate rests on few observations: the NPMLE "
        "puts the mass of those already working at their first snapshot as early as the data "
        "allow. 1 month = 30.4375 days.",
    },
    "km_columns": {
        "nl": "pct_work_Xm: geschat aandeel (%) met werk gezien binnen X maanden na intake; leeg "
        "wanneer de opvolging in de groep korter is. Mediaan leeg: niet bereikt.",
        "en": "pct_work_Xm: estimated share (%) seen working within X months of intake; empty "
        "when the group's follow-up is shorter. Empty median: not reached.",
    },
    "km_figure_title": {
        "nl": "Tijd van intake tot eerste waargenomen werk, {per}",
        "en": "Time from intake to first observed work, {per}",
    },
    "per_cohort": {"nl": "per intakecohort", "en": "by intake cohort"},
    "per_trajectory": {"nl": "per traject", "en": "by trajectory"},
    "km_xlabel": {"nl": "Maanden sinds intake", "en": "Months since intake"},
    "km_ylabel": {"nl": "Aandeel met werk gezien (%)", "en": "Share seen working (%)"},
    "km_band": {
        "nl": "bereik door intervalcensurering",
        "en": "range due to interval censoring",
    },
    "km_at_risk": {"nl": "Nog zonder werk", "en": "Still without work"},
    "km_footnote": {
        "nl": "Nog zonder werk: cliënten met een momentopname\nzonder werk op of na dat tijdstip "
        "(en nog geen\nwerk eerder). Lijn: massa gelijk verdeeld over\nelk Turnbull-interval. "
        "Werk is alleen zichtbaar\nop de momentopnames: het begin van de curve\nrust op weinig "
        "waarnemingen.",
        "en": "Still without work: clients with a snapshot\nwithout work at or after that time "
        "(and no\nwork before). Line: mass spread evenly over\neach Turnbull interval. Work is "
        "only seen\nat the snapshots: the start of the curve rests\non few observations.",
    },
    "km_truncated": {
        "nl": "Curven stoppen waar minder dan\n{k} cliënten nog zonder werk zijn.",
        "en": "Curves stop where fewer than\n{k} clients are still without work.",
    },
    "cohort": {"nl": "Intakecohort", "en": "Intake cohort"},
    "trajectory": {"nl": "Traject", "en": "Trajectory"},
    "tcm_title": {
        "nl": "Trajectwijzigingen na de screening: van welk naar welk traject",
        "en": "Trajectory changes after the screening: from which to which trajectory",
    },
    "tcm_note": {
        "nl": "Eén rij per wijziging: van het traject ervoor (bij de eerste wijziging het "
        "traject van de screening) naar het nieuwe. pct: van de rij. {n_changes} wijzigingen "
        "bij {n_clients} cliënten.",
        "en": "One count per change: from the trajectory before it (for the first change the "
        "screening's trajectory) to the new one. pct: of the row. {n_changes} changes of "
        "{n_clients} clients.",
    },
    "tcm_same": {
        "nl": "{n} wijzigingen naar hetzelfde traject (op de diagonaal).",
        "en": "{n} changes to the same trajectory (on the diagonal).",
    },
    "tcs_title": {
        "nl": "Trajectwijzigingen en art. 60 per traject van de screening",
        "en": "Trajectory changes and art. 60 by the screening's trajectory",
    },
    "tcs_note": {
        "nl": "Rijen: het traject van de screening (de tabellen van het rapport gebruiken dat). "
        "pct_changed: aandeel met minstens één wijziging; days_*: dagen van de intake tot de "
        "eerste wijziging (SD met n - 1; kwartielen volgens SPSS). pct_art60: aandeel dat een "
        "art. 60 startte (het rapport: 44% van de VDAB-trajecten), ook apart voor wie wel en "
        "niet van traject veranderde.",
        "en": "Rows: the screening's trajectory (the report's tables use it). pct_changed: "
        "share with at least one change; days_*: days from the intake to the first change (SD "
        "with n - 1; quartiles as SPSS). pct_art60: share who started an art. 60 (the report: "
        "44% of the VDAB trajectories), also apart for those who did and did not change.",
    },
    "tc_excluded": {
        "nl": "{n} wijzigingen van cliënten buiten de populatie of vóór de intake niet gebruikt.",
        "en": "{n} changes of clients outside the population or before the intake not used.",
    },
    "snapshots": {"nl": "Momentopnames: {dates}.", "en": "Snapshots: {dates}."},
}


def _t(key: str, language: str, **fields: object) -> str:
    return _T[key][language if language in LANGUAGES else "nl"].format(**fields)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
