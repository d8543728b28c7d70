"""Dutch: the texts of the tables, figures, workbook and HTML report (the canonical language of the labels).

One entry per text, keyed `<area>.<name>`; fields in braces are filled in by `i18n.text`.
`en.py` has the same keys with the same fields (a test checks it)."""

TEXTS: dict[str, str] = {
    "stats.chi_square_sparse": "{k} cellen ({pct} %) hebben een verwachte frequentie kleiner dan 5. De minimale verwachte frequentie is {min}. De chi-kwadraattoets is daardoor niet betrouwbaar.",
    "stats.chi_square_degenerate": "Geen chi-kwadraattoets mogelijk: na het weglaten van lege rijen en kolommen blijven {r} rij(en) en {c} kolom(men) over (minstens 2 x 2 nodig).",
    # --- tables, shared by the workbook and the HTML report ------------------------------
    "table.number": "Tabel",
    "table.yes": "ja",
    "table.no": "nee",
    "table.row_pct": "Percentages per rij.",
    "table.col_pct": "Percentages per kolom.",
    "table.missing": "{n} ontbrekende waarden niet opgenomen.",
    "table.missing_excluded": "{n} cliënten zonder waarde voor {var} zijn niet opgenomen.",
    "table.assoc": "Chi-kwadraattoets: χ²({df}) = {chi2}; p {p}; Cramérs V = {v}; N = {n}.",
    "table.assoc_sparse": "{k} cellen ({pct} %) hebben een verwachte frequentie kleiner dan 5; de minimale "
    "verwachte frequentie is {min}. De chi-kwadraattoets is daardoor niet betrouwbaar.",
    "table.small_groups": "Kleine groepen (minder dan {k} cliënten) zijn gemarkeerd met {mark}: hun percentages "
    "en schattingen zijn onzeker.",
    "table.small_at_risk": "Gemarkeerd met {mark}: minder dan {k} cliënten at risk.",
    "table.interval": "{value} ({low}–{high})",
    "table.public_withheld": "Alle aantallen van deze tabel zijn achtergehouden (getoond als {mark}), net als de "
    "percentages en statistieken die erop steunen: de groepen zijn te klein om de kleine "
    "aantallen (minder dan {k}) anders te beschermen.",
    # --- variables (what a column or a grouping is about) --------------------------------
    "variable.cohort": "Intakecohort",
    "variable.trajectory": "Traject",
    "variable.gender": "Geslacht",
    "variable.household": "Gezinssituatie",
    "variable.nt2_level": "NT2-niveau bij intake",
    "variable.age_group": "Leeftijdsgroep",
    "variable.schooling": "Scholing",
    "variable.continent": "Continent",
    "variable.work": "Tewerkstelling",
    "variable.work_status": "Tewerkstelling",
    "variable.total": "Totaal",
    # --- column headers --------------------------------------------------------------------
    "column.code": "Code",
    "column.label": "Omschrijving",
    "column.n": "N",
    "column.pct": "%",
    "column.group": "Groep",
    "column.group_var": "Indeling",
    "column.n_clients": "Cliënten (N)",
    "column.pct_of_all_clients": "% van alle cliënten",
    "column.n_with_art60": "Met art. 60 (N)",
    "column.pct_of_all_art60": "% van alle art. 60",
    "column.pct_art60_within_trajectory": "% met art. 60 binnen traject",
    "column.mean_days": "Gemiddelde (dagen)",
    "column.sd_days": "S (dagen)",
    "column.median_days": "Mediaan (dagen)",
    "column.q1_days": "Q1 (dagen)",
    "column.q3_days": "Q3 (dagen)",
    "column.min_days": "Minimum (dagen)",
    "column.max_days": "Maximum (dagen)",
    "column.events": "Gebeurtenissen",
    "column.censored": "Gecensureerd",
    "column.followup_max_days": "Langste opvolging (dagen)",
    "column.median_ci_low_days": "Mediaan: 95%-BI onder",
    "column.median_ci_high_days": "Mediaan: 95%-BI boven",
    "column.median_months": "Mediaan (maanden)",
    "column.median_min_months": "Mediaan: ondergrens (maanden)",
    "column.median_max_months": "Mediaan: bovengrens (maanden)",
    "column.pct_started": "% gestart ≤ {m} mnd",
    "column.pct_work": "% met werk gezien ≤ {m} mnd",
    "column.lower_bound": "ondergrens",
    "column.upper_bound": "bovengrens",
    "column.comparison": "Vergelijking",
    "column.variable": "Variabele",
    "column.covariate": "Kenmerk",
    "column.level": "Categorie",
    "column.reference": "Referentie",
    "column.n_groups": "Groepen",
    "column.statistic": "Toetsgrootheid",
    "column.df": "df",
    "column.p": "p",
    "column.hr": "Hazard ratio",
    "column.odds_ratio": "Odds ratio",
    "column.ci_low": "95%-BI onder",
    "column.ci_high": "95%-BI boven",
    "column.with_ci": "{label} (95%-BI)",
    "column.with_bounds": "{label} (grenzen)",
    "column.with_iqr": "{label} (Q1–Q3)",
    "column.range": "Bereik",
    "column.range_days": "Bereik (dagen)",
    "column.group_a": "Groep A",
    "column.group_b": "Groep B",
    "column.p_holm": "p (Holm)",
    "column.measure": "Maat",
    "column.test": "Toets",
    "column.n_work": "Met werk (N)",
    "column.verdict": "Oordeel",
    "column.check": "Controle",
    "column.description": "Omschrijving",
    "column.n_flagged": "Gemarkeerd (N)",
    "column.export": "Export",
    "column.distinct_keys": "Unieke sleutels",
    "column.unmatched_keys": "Niet gekoppelde sleutels",
    "column.unmatched_rows": "Niet gekoppelde rijen",
    "column.out_of_window_keys": "Sleutels buiten venster",
    "column.n_evaluable": "Beoordeelbaar (N)",
    "column.n_work_ever": "Ooit werk (N)",
    "column.n_durable": "Duurzaam werk (N)",
    "column.pct_durable": "% duurzaam werk",
    "column.pct_durable_of_work_ever": "% duurzaam van wie ooit werk had",
    "column.n_work_seen": "Werk gezien (N)",
    "column.n_lost": "Werk verloren (N)",
    "column.pct_kept": "% nog aan het werk {m} mnd na eerste werk",
    "column.n_censored": "Gecensureerd (N)",
    "column.followup_max_months": "Langste opvolging (maanden)",
    "column.reference_date": "Momentopname",
    "column.months_since_intake": "Maanden sinds intake",
    "column.status_group": "VDAB-status",
    "column.n_recoded_work": "Waarvan als Werk hercodeerd (N)",
    "column.from_date": "Van (datum)",
    "column.to_date": "Naar (datum)",
    "column.from_status": "Status ervoor",
    "column.to_status": "Status erna",
    "column.from_trajectory": "Van traject",
    "column.to_trajectory": "Naar traject",
    "column.n_changed": "Gewijzigd (N)",
    "column.pct_changed": "% gewijzigd",
    "column.n_changes": "Wijzigingen (N)",
    "column.days_n": "Dagen tot wijziging: N",
    "column.days_mean": "Dagen tot wijziging: gemiddelde",
    "column.days_sd": "Dagen tot wijziging: S",
    "column.days_median": "Dagen tot wijziging: mediaan",
    "column.days_q1": "Dagen tot wijziging: Q1",
    "column.days_q3": "Dagen tot wijziging: Q3",
    "column.days_*": "Dagen tot wijziging",
    "column.n_art60": "Met art. 60 (N)",
    "column.pct_art60": "% met art. 60",
    "column.pct_art60_changed": "% met art. 60 bij wie wijzigde",
    "column.pct_art60_unchanged": "% met art. 60 bij wie niet wijzigde",
    "column.rows_read": "Gelezen",
    "column.linked": "Gekoppeld",
    "column.unmatched": "Niet gekoppeld",
    "column.duplicate": "Dubbel",
    "column.out_of_window": "Buiten venster",
    "column.rejected": "Geweigerd",
    "column.note": "Opmerking",
    "column.file": "Bestand",
    "column.pair": "Van → naar",
    "column.from_to": "Van \\ naar",
    # --- the workbook --------------------------------------------------------------------------
    "workbook.title": "COB Coevelt: tabellen",
    "workbook.contents": "Inhoud",
    "workbook.contents_note": "Eén blad per tabel; klik op een tabel-id om ernaar te gaan. Bron: "
    "reports/tables/<id>.csv.",
    "workbook.comparison_sheet": "Gepubliceerd vs herberekend",
    "workbook.comparison_title": "Gepubliceerde versus herberekende cijfers",
    "workbook.comparison_summary": "{n} gepubliceerde cijfers vergeleken op de gepubliceerde precisie: {same} "
    "gelijk, {diff} verschillend.",
    "workbook.comparison_how": "Het herberekende cijfer is half-naar-boven afgerond op het aantal decimalen van "
    "het gepubliceerde.",
    "workbook.published_cell": "Gepubliceerd: {value}",
    "workbook.sheet_published_ok": "Gepubliceerd: alle {n} cijfers gelijk.",
    "workbook.sheet_published_diff": "Gepubliceerd: {diff} van {n} cijfers verschillen (rood gemarkeerd).",
    "workbook.nr": "Nr.",
    "workbook.id": "Tabel-id",
    "workbook.title_column": "Titel",
    "workbook.published": "Gepubliceerd",
    "workbook.regenerated": "Herberekend",
    "workbook.rounded": "Herberekend, afgerond",
    "workbook.equal": "Gelijk",
    "workbook.row": "Rij",
    "workbook.column": "Kolom",
    "workbook.differences": "Verschillen",
    "workbook.footer": "Blad {sheet} · pagina {page} van {pages}",
    # --- the HTML report: page ------------------------------------------------------------------
    "report.title": "COB Coevelt: kwantitatieve analyse van de instroom",
    "report.subtitle": "Tabellen, figuren, datakwaliteit en herkomst van één run van cob-analysis.",
    "report.run": "Run",
    "report.commit": "commit",
    "report.contents": "Inhoud",
    "report.top": "naar de inhoud",
    "report.generated_by": "Gemaakt door cob-analysis; alle cijfers komen uit reports/tables/.",
    "report.source": "Bron",
    "report.figure": "Figuur",
    "report.no_figures": "Geen figuren gevonden.",
    "report.show_table": "Toon de tabel ({rows} rijen)",
    "report.show_full_table": "Toon de volledige tabel ({rows} rijen)",
    "report.show_group": "{group}: toon de tabel",
    "report.explanation": "Toelichting bij de tabel",
    "report.same_as": "Dezelfde cijfers als {table}; hier ingeklapt.",
    "report.folded_in_print": "Ingeklapt; de volledige tabel staat in tables.xlsx.",
    "report.scroll_hint": "Schuif opzij om de hele figuur te zien.",
    "report.small_mark": "klein",
    "report.small_mark_title": "Minder dan {k} cliënten",
    "report.small_groups_figure": "Kleine groepen (minder dan {k} cliënten): {groups}. Hun curve is onzeker.",
    "report.small_group_item": "{group} (n = {n})",
    "report.figure_table": "De cijfers bij deze figuur: {table}.",
    # --- the HTML report: sections ---------------------------------------------------------------
    "section.summary": "Samenvatting",
    "section.report": "Tabellen van het evaluatierapport",
    "section.art60": "Tijd tot een eerste artikel 60",
    "section.models": "Modellen",
    "section.longitudinal": "Loopbanen over de tijd",
    "section.changes": "Trajectwijzigingen",
    "section.other": "Bijkomende analyses",
    "section.published": "Gepubliceerd versus herberekend",
    "section.quality": "Datakwaliteit",
    "section.provenance": "Herkomst",
    "section.report.intro": "De tabellen van hoofdstuk 3 van het evaluatierapport, berekend uit de exports van "
    "deze analyse.",
    "section.art60.intro": "Hoe snel cliënten na hun intake een eerste artikel 60 starten, per intakecohort en "
    "per traject.",
    "section.models.intro": "Welke kenmerken samengaan met een snellere start van een artikel 60 en met werk op "
    "de referentiedatum, telkens gecorrigeerd voor de andere kenmerken.",
    "section.longitudinal.intro": "De VDAB-status van dezelfde cliënten op opeenvolgende momentopnames: wie werk "
    "vindt, hoe snel, en of dat werk blijft.",
    "section.changes.intro": "Cliënten die na de screening van traject veranderden.",
    "section.other.intro": "Tabellen en figuren die niet bij een van de vorige delen horen.",
    # --- the HTML report: summary ----------------------------------------------------------------
    "summary.intro": "De kerncijfers per intakecohort en per traject. Onder de tabel staat hoe elk cijfer "
    "berekend is en uit welke tabel het komt.",
    "summary.group": "Groep",
    "summary.all_clients": "Alle cliënten",
    "summary.by_cohort": "Per intakecohort",
    "summary.by_trajectory": "Per traject",
    "summary.definitions": "Definities",
    "summary.findings": "In het kort",
    "summary.finding": "{indicator}: {total} van alle cliënten; per traject van {low} ({low_group}) tot {high} "
    "({high_group}).",
    "summary.finding_total": "{indicator}: {total} van alle cliënten.",
    "summary.caption": "Kerncijfers per intakecohort en per traject",
    "summary.none": "Geen kerncijfers: de tabellen waaruit ze komen, ontbreken.",
    "indicator.clients": "Cliënten",
    "indicator.clients.definition": "Cliënten met een intake in het intakevenster, gekoppeld aan de andere bronnen.",
    "indicator.work": "Werk op de referentiedatum",
    "indicator.work.definition": "Aandeel cliënten met een VDAB-status die als Werk hercodeerd is, op de "
    "referentiedatum; geen werk en geen VDAB-record tellen als geen werk.",
    "indicator.art60_12m": "Artikel 60 binnen 12 maanden",
    "indicator.art60_12m.definition": "Geschat aandeel cliënten dat binnen 12 maanden na de intake een eerste "
    "artikel 60 start (Kaplan-Meier: wie nog niet zo lang gevolgd is, telt mee "
    "zolang hij gevolgd is).",
    "indicator.art60_median_days": "Dagen tot artikel 60 (mediaan)",
    "indicator.art60_median_days.definition": "Mediaan aantal dagen van de intake tot de start van het eerste "
    "artikel 60, bij cliënten met een artikel 60.",
    "indicator.work_seen_12m": "Werk gezien binnen 12 maanden",
    "indicator.work_seen_12m.definition": "Geschat aandeel cliënten met werk op een VDAB-momentopname binnen 12 "
    "maanden na de intake (intervalgecensureerde Kaplan-Meier, Turnbull).",
    "indicator.durable": "Duurzaam werk",
    "indicator.durable.definition": "Aandeel beoordeelbare cliënten met duurzaam werk.",
    "indicator.durable.consecutive_snapshots": "Aandeel beoordeelbare cliënten met werk op {k} opeenvolgende "
    "momentopnames na de intake.",
    "indicator.durable.no_return_within": "Aandeel beoordeelbare cliënten dat binnen {months} maanden nadat "
    "werk voor het eerst werd gezien niet zonder werk werd gezien.",
    "indicator.durable.still_working_after": "Aandeel beoordeelbare cliënten dat {months} maanden nadat werk voor "
    "het eerst gezien werd, nog werkt.",
    # --- the HTML report: figures ----------------------------------------------------------------
    "figure.km_art60_cohort": "Cumulatief aandeel cliënten met een eerste artikel 60 naar maanden sinds de "
    "intake, per intakecohort (Kaplan-Meier, met 95%-betrouwbaarheidsband).",
    "figure.km_art60_trajectory": "Cumulatief aandeel cliënten met een eerste artikel 60 naar maanden sinds de "
    "intake, per traject (Kaplan-Meier, met 95%-betrouwbaarheidsband).",
    "figure.cox_art60_forest": "Hazard ratio's van het Cox-model voor de tijd tot een eerste artikel 60, met "
    "95%-betrouwbaarheidsintervallen (referentiecategorie = 1).",
    "figure.long_first_work_km": "Cumulatief aandeel cliënten met werk gezien op een VDAB-momentopname, naar "
    "maanden sinds de intake, per intakecohort en per traject "
    "(intervalgecensureerde Kaplan-Meier).",
    "figure.long_status_by_months": "VDAB-status van elk intakecohort op de opeenvolgende momentopnames, naar "
    "maanden sinds de intake: werk, geen werk, uitgeschreven en onbekend.",
    # --- the HTML report: compact views ----------------------------------------------------------
    "view.status_by_months": "VDAB-status per intakecohort en momentopname (% van het cohort)",
    "view.transitions": "Overgangen tussen opeenvolgende momentopnames: van de status op de eerste datum naar die "
    "op de volgende (% van de rij)",
    "view.transitions_total": "Alle cliënten",
    "view.transitions_by": "Per {variable}",
    "view.matrix": "Van welk naar welk traject (aantal en % van de rij)",
    "view.count_pct": "{n} ({pct})",
    # --- the HTML report: published versus regenerated --------------------------------------------
    "published.intro": "Elk gepubliceerd cijfer naast het herberekende, vergeleken op de gepubliceerde precisie "
    "(het herberekende cijfer half-naar-boven afgerond op het aantal gedrukte decimalen).",
    "published.all_equal": "Alle {n} gepubliceerde cijfers zijn gelijk aan de herberekende.",
    "published.some_differ": "{diff} van de {n} gepubliceerde cijfers verschillen van de herberekende.",
    "published.table_all_equal": "{n} gepubliceerde cijfers: alle gelijk",
    "published.table_some_differ": "{n} gepubliceerde cijfers: {diff} verschillend",
    "published.differences": "Verschillen",
    "published.no_differences": "Geen verschillen.",
    "published.per_table": "Per tabel",
    "published.table": "Tabel",
    "published.figures": "Cijfers",
    "published.equal": "Gelijk",
    "published.different": "Verschillend",
    "published.row": "Rij",
    "published.column": "Kolom",
    "published.published": "Gepubliceerd",
    "published.regenerated": "Herberekend",
    "published.status": "Status",
    "published.ok": "gelijk",
    "published.diff": "verschil",
    "published.missing": "niet gevonden",
    "published.report_value": "rapport",
    "published.tip": "Gepubliceerd: {value}",
    "published.show": "Toon de vergelijking",
    "published.caption": "Gepubliceerde cijfers per tabel",
    "published.differences_caption": "Gepubliceerde cijfers die verschillen",
    # --- the HTML report: data quality -----------------------------------------------------------
    "quality.intro": "Elke ingelezen rij is verantwoord: gelezen = gekoppeld + niet gekoppeld + dubbel + buiten "
    "het intakevenster + geweigerd.",
    "quality.linkage": "Koppeling per export",
    "quality.linkage_notes": "Opmerkingen bij de koppeling",
    "quality.disagreements": "Tegenstrijdigheden tussen bronnen",
    "quality.disagreements_caption": "Cliënten bij wie de bronnen elkaar tegenspreken, per controle (aantal en % "
    "van de groep)",
    "quality.no_disagreements": "Geen tabel met tegenstrijdigheden gevonden.",
    "quality.other": "Andere kwaliteitstabellen",
    "quality.no_linkage": "Geen koppelingsverslag gevonden.",
    "quality.balanced": "sluit",
    "quality.unbalanced": "sluit niet: verschil {d}",
    "quality.check": "Controle",
    "quality.unmatched": "Niet gekoppelde sleutels per export",
    "check.art60_running_no_work": "Art. 60 loopt, VDAB: geen werk",
    "check.art60_running_no_work.description": "art. 60 loopt op de referentiedatum, maar VDAB zegt geen werk",
    "check.art60_running_code_5": "Art. 60 loopt, VDAB-code 5",
    "check.art60_running_code_5.description": "art. 60 loopt op de referentiedatum, VDAB-code 5 (verplicht "
    "ingeschreven OCMW)",
    "check.twe_work_result_no_work": "TWE met werk, VDAB: geen werk",
    "check.twe_work_result_no_work.description": "laatste TWE afgesloten met werk (NEC, NEC in SE-bedrijf, SEC), "
    "maar VDAB zegt geen werk",
    "check.work_without_art60_or_twe": "Werk zonder art. 60 of TWE",
    "check.work_without_art60_or_twe.description": "werk volgens VDAB, zonder artikel 60 of TWE in de registratie",
    "check.work_without_art60": "Werk zonder art. 60",
    "check.work_without_art60.description": "werk volgens VDAB, zonder artikel 60 in de registratie (geen "
    "TWE-export)",
    "linkage_note.censored_after_end": "gestart na het einde van de observatie (gecensureerd, geen gebeurtenis)",
    "linkage_note.started_before_intake": "geweigerd: gestart vóór de intake",
    "linkage_note.conflicting_status": "geweigerd: tegenstrijdige statuscodes op één datum",
    "linkage_note.no_vdab_status": "cliënten zonder VDAB-status op de referentiedatum",
    "linkage_note.younger_than_18": "cliënten jonger dan 18 bij de intake (in geen leeftijdsgroep)",
    "linkage_note.code_not_in_recoding": "gekoppelde rijen met een code die niet in de hercoderingstabel staat "
    "(Onbekend)",
    "linkage_note.code_outside_validity": "gekoppelde rijen met een code buiten haar geldigheidsperiode in de "
    "hercoderingstabel (hercodeerd zoals de tabel zegt)",
    "linkage_note.rejected_at_ingest": "geweigerd bij het inlezen: {reason}",
    "linkage_note.invalid_register_number": "ongeldig rijksregisternummer",
    "linkage_note.ends_before_start": "einde vóór het begin",
    "linkage_note.empty_column": "leeg: {column}",
    "linkage_note.invalid_column": "ongeldig: {column}",
    # --- the HTML report: provenance --------------------------------------------------------------
    "provenance.intro": "Waarmee deze tabellen gemaakt zijn: de invoerbestanden (SHA-256), de configuratie, de "
    "versies van de software en het tijdstip van de run.",
    "provenance.inputs": "Invoerbestanden",
    "provenance.path": "Bestand",
    "provenance.bytes": "Bytes",
    "provenance.versions": "Softwareversies",
    "provenance.show_versions": "Toon de {n} pakketten en hun versies",
    "provenance.config": "Configuratie",
    "provenance.show_config": "Toon de configuratie",
    "provenance.created": "Tijdstip van de run",
    "provenance.git_commit": "Git-commit",
    "export.clients": "Intakes (cliënten)",
    "export.art60": "Art. 60-contracten",
    "export.twe": "TWE-trajecten",
    "export.vdab": "VDAB-status",
    "export.trajectory_changes": "Trajectwijzigingen",
    "provenance.platform": "Platform",
    "provenance.unknown": "onbekend",
    # --- the SPSS and Stata files (report.spss) -----------------------------------------------------
    "spss.file_label": "COB Coevelt: cliënten van de instroom (gepseudonimiseerd)",
    "spss.note": "Eén rij per cliënt in het intakevenster (clients.parquet van cob-analysis). client_key is "
    "het pseudoniem (HMAC-SHA256, de eerste 64 bits als geheel getal) als tekst: geen "
    "rijksregisternummer.",
    "spss.client_key": "Pseudoniem van de cliënt (tekst)",
    "spss.intake_date": "Datum van de COB-intake",
    "spss.cohort": "Intakecohort",
    "spss.trajectory": "Traject na de screening",
    "spss.gender": "Geslacht",
    "spss.age_at_intake": "Leeftijd bij de intake (jaren)",
    "spss.age_group": "Leeftijdsgroep",
    "spss.nationality": "Nationaliteit",
    "spss.country_of_birth": "Geboorteland",
    "spss.continent": "Continent",
    "spss.household": "Gezinssituatie",
    "spss.nt2_level": "NT2-niveau bij intake",
    "spss.schooling": "Scholing in het land van herkomst",
    "spss.reference_date": "Referentiedatum van de VDAB-status",
    "spss.status_code": "VDAB-statuscode op de referentiedatum",
    "spss.work_status": "Tewerkstelling op de referentiedatum (hercodeerd)",
    "spss.art60_started": "Artikel 60 gestart tussen intake en einde observatie",
    "spss.art60_first_start": "Start van het eerste artikel 60",
    "spss.days_to_art60": "Dagen van intake tot het eerste artikel 60",
    "spss.art60_count": "Aantal gestarte artikel 60-contracten",
    "spss.art60_last_employer": "Werkgever van het laatste artikel 60",
    "spss.twe_last_end": "Einde van het laatste TWE-traject",
    "spss.twe_last_result": "Resultaat van het laatste TWE-traject",
    "spss.observation_end": "Einde van de observatie",
    # --- the report's tables (tables.report, tables.suppression) --------------------------------------
    "table.t05.title": "Timing intake en tewerkstelling",
    "table.t06.title": "Traject en tewerkstelling",
    "table.t11.title": "Geslacht en tewerkstelling",
    "table.t12.title": "Geslacht en gezinssituatie",
    "table.t13.title": "Gezinssituatie en tewerkstelling",
    "table.t14.title": "Taalniveau NT2 en tewerkstelling",
    "table.t15.title": "Leeftijd en tewerkstelling",
    "table.t16.title": "Scholing en tewerkstelling",
    "table.under_age": "{n} cliënten waren bij de intake jonger dan {age} jaar en vallen in geen leeftijdsgroep.",
    "table.no_vdab_record": "Geen VDAB-record",
    "table.t02.title": "Tewerkstellingsstatuut op {reference} (VDAB-resultaat)",
    "table.t02.note": "Labels uit de hercoderingstabel.",
    "table.t04.title": "Tewerkstellingsstatuut, hercodeerd",
    "table.t04.note": "Waarvan {n} onbekend (geen VDAB-record of code zonder hercodering).",
    "table.t07.title": "Inzet artikel 60 per traject",
    "table.t07.note": "Artikel 60 gestart tussen de intake en {end}.",
    "table.t08.title": "Duurtijd tussen intake en start artikel 60 per traject",
    "table.t08.note": "Dagen van de COB-intake tot de start van het eerste artikel 60; enkel cliënten met een "
    "artikel 60. S = standaardafwijking (n-1).",
    "table.t09.title_absent": "TWE-resultaat laatste TWE-traject",
    "table.t09.note_absent": "Geen TWE-export in deze analyse: de configuratie noemt geen exports.twe.",
    "table.t09.title": "TWE-resultaat laatste TWE-traject (einddatum tussen {start} en {end})",
    "table.t09.note": "{n} van {total} cliënten hebben een afgesloten laatste TWE-traject in dit venster.",
    "table.t10.title": "Werkgevers in OCMW-registratie (laatste werkgever artikel 60, {min} of meer)",
    "table.t10.note": "{n_distinct} verschillende laatste werkgevers in totaal; % van de {n} cliënten met een "
    "artikel 60.",
    "table.public_note": "Publicatieversie: aantallen van 1 tot {below} getoond als <{k}; {secondary}: verborgen "
    "zodat geen klein aantal af te leiden is (secundaire onderdrukking).",
    # --- variables as named inside a sentence (tables.report notes) -----------------------------------
    "variable.cohort.in_sentence": "intakecohorte",
    "variable.trajectory.in_sentence": "traject",
    "variable.gender.in_sentence": "geslacht",
    "variable.household.in_sentence": "gezinssituatie",
    "variable.nt2_level.in_sentence": "NT2-niveau",
    "variable.age_group.in_sentence": "leeftijd",
    "variable.schooling.in_sentence": "scholing",
    "variable.work.in_sentence": "werkstatus",
    # --- time to art. 60, models (survival.analyses, survival.models) ---------------------------------
    "survival.per_trajectory": "per traject",
    "survival.per_cohort": "per intakecohort",
    "survival.missing_group": "{n} cliënten met een art. 60 maar zonder {var} zijn niet opgenomen.",
    "timing.title": "Duurtijd tussen intake en start eerste artikel 60 {per} (dagen)",
    "timing.unit": "Cliënten met minstens één art. 60; dagen van de COB-intake tot de start van het eerste art. "
    "60-contract.",
    "timing.quartiles": "SD met n - 1; mediaan en kwartielen volgens de standaarddefinitie van SPSS (gewogen "
    "gemiddelde op positie (n + 1) p).",
    "km.title": "Tijd tot eerste artikel 60 {per} (Kaplan-Meier)",
    "km.figure_title": "Tijd van intake tot eerste art. 60, {per}",
    "km.censoring": "Cliënten zonder art. 60 zijn gecensureerd op het einde van de observatie ({end}); een art. 60 "
    "dat op de intakedag start telt als gebeurtenis op dag 0.",
    "km.method": "Kaplan-Meier-schatting (lifelines); 95%-betrouwbaarheidsintervallen met Greenwood-variantie en "
    "log(-log)-transformatie; 1 maand = 30,4375 dagen. Mediaan: het eerste tijdstip waarop het "
    "geschatte aandeel zonder art. 60 0,5 of lager is (geen middelpunt van een vlak stuk).",
    "km.columns": "pct_started_Xm: geschat aandeel (%) gestart met een art. 60 binnen X maanden na intake; leeg "
    "wanneer de opvolging in de groep korter is. Mediaan leeg: niet bereikt (of bovengrens van het "
    "interval niet bereikt).",
    "km.at_risk_title": "Aantal at risk voor een eerste artikel 60 {per}, per maand sinds intake",
    "km.at_risk_note": "Kolommen: maanden sinds intake. Aantal cliënten nog zonder art. 60 en nog in opvolging na "
    "dat tijdstip (zoals onder de figuur km_art60_{var}).",
    "km.risk_table_title": "Risicotabel {per}: nog at risk, cumulatief gestart en gecensureerd",
    "km.risk_table_note": "Per groep en per tijdstip (maanden sinds intake): at_risk, nog niet gestart en nog "
    "gevolgd; events, gestart met een art. 60 tot dan; censored, niet gestart en niet langer "
    "gevolgd tot dan (samen de groep), zoals de KMunicate-tabel onder een curve.",
    "km.measure_at_risk": "at risk",
    "km.measure_events": "gestart",
    "km.measure_censored": "gecensureerd",
    "logrank.pairwise_title": "Log-ranktoetsen per paar groepen: tijd tot eerste artikel 60",
    "logrank.pairwise_note": "Elk paar groepen apart getoetst (log-rank, 1 vrijheidsgraad); p_holm: de p-waarde "
    "aangepast voor het aantal paren per variabele (Holm).",
    "logrank.title": "Log-ranktoets: tijd tot eerste artikel 60 naar intakecohort en naar traject",
    "logrank.note": "Multivariate log-ranktoets (lifelines) van gelijke curves over alle groepen; df = aantal "
    "groepen - 1.",
    "cox.title": "Cox-model: tijd tot eerste artikel 60 (hazard ratio's)",
    "cox.note": "Cox proportional-hazardsmodel (lifelines, Efron-methode voor ties); hazard ratio > 1: sneller een "
    "eerste art. 60 dan de referentiecategorie. {events} gebeurtenissen; concordantie {c}.",
    "cox.global_title": "Globale toetsen van het Cox-model (alle coëfficiënten 0)",
    "cox.global_note": "Likelihood-ratio-, Wald- en scoretoets (log-rank) dat geen enkel kenmerk samenhangt met de "
    "tijd tot het eerste artikel 60, zoals R's coxph ze geeft (Efron bij gelijke tijden).",
    "cox.test_likelihood_ratio": "Likelihood-ratio",
    "cox.test_wald": "Wald",
    "cox.test_score": "Score (log-rank)",
    "cox.ph_title": "Cox-model: toets van de proportionele hazards per covariaat",
    "cox.ph_note": "Toets op Schoenfeld-residuen met rang-getransformeerde tijd (lifelines "
    "proportional_hazard_test); 'geschonden bij 5%' betekent p < 0,05: de hazard ratio van die "
    "categorie verandert met de tijd.",
    "cox.forest_title": "Cox-model: hazard ratio's voor een eerste art. 60",
    "cox.verdict_ok": "ok",
    "cox.verdict_violated": "geschonden bij 5%",
    "logit.title": "Logistische regressie: werk op de referentiedatum (odds ratio's)",
    "logit.note": "Uitkomst: werk (VDAB-status hercodeerd als Werk{ref}); Geen werk en Onbekend tellen als geen "
    "werk, zoals in het rapport. {k} van {n} cliënten met werk. Statsmodels Logit; pseudo-R² "
    "(McFadden) {r2}.",
    "model.failed": "Model niet geschat: {error}",
    "model.reference": "Referentiecategorieën: {items}.",
    "model.pooled": "Groepering {var}: {items}.",
    "model.set_missing": "{var}: {level} ({n} cliënten, minder dan {min}) als ontbrekend behandeld.",
    "model.fallback": "{var}: de gewone referentiecategorie komt niet voor; de grootste groep is referentie.",
    "model.dropped_absent": "{var} niet in het model: geen gegevens.",
    "model.dropped_single": "{var} niet in het model: slechts één categorie.",
    "model.excluded": "N gebruikt: {used}; {excluded} cliënten weggelaten wegens ontbrekende waarden{detail}.",
    # --- figures (survival.kaplan_meier, survival.forest) ---------------------------------------------
    "plot.km.xlabel": "Maanden sinds intake",
    "plot.km.ylabel": "Aandeel gestart met art. 60 (%)",
    "plot.km.title": "Tijd van intake tot eerste art. 60",
    "plot.km.censored": "gecensureerd",
    "plot.km.band": "{level}-betrouwbaarheidsinterval",
    "plot.km.footnote": "Gecensureerd: nog geen art. 60 op het\neinde van de observatie.",
    "plot.km.truncated": "Curven stoppen waar minder dan\n{k} cliënten at risk zijn.",
    "plot.km.at_risk": "Aantal at risk",
    "plot.forest.hr": "Hazard ratio (95%-BI, log-schaal)",
    "plot.forest.odds_ratio": "Odds ratio (95%-BI, log-schaal)",
    "plot.forest.ref": "referentie",
    # --- the longitudinal view (longitudinal.texts, longitudinal.run) ---------------------------------
    "longitudinal.needs_snapshots": "Deze tabel vraagt twee of meer VDAB-momentopnames (referentiedata); de "
    "gegevens bevatten er {n}{dates}. Voeg exports van andere referentiedata toe "
    "aan de VDAB-export.",
    "longitudinal.needs_snapshots_figure": "Minstens twee VDAB-momentopnames nodig\n(de gegevens bevatten er "
    "{n}{dates}).",
    "longitudinal.no_changes": "Geen export van trajectwijzigingen (trajectory_changes): de wijzigingen na de "
    "screening zijn niet bekend. Voeg de export toe in de configuratie "
    "(exports.trajectory_changes).",
    "longitudinal.before_intake": "{n} VDAB-statussen van vóór de intake van de cliënt zijn niet gebruikt.",
    "longitudinal.missing_group": "{n} cliënten zonder {var} zijn niet opgenomen in de rijen per {var}.",
    "longitudinal.sbm_title": "VDAB-status per intakecohort naar maanden sinds intake",
    "longitudinal.sbm_months": "Maanden sinds intake: hele maanden (afgerond, 1 maand = 30,4375 dagen) van de "
    "mediane intakedatum van het cohort tot de momentopname. Een momentopname telt voor "
    "een cohort alleen als alle cliënten van het cohort toen al ingestroomd waren.",
    "longitudinal.sbm_groups": "Werk, Geen werk en Onbekend volgens de hercoderingstabel; Uitgeschreven: elke code "
    "in de categorie 'uitgeschreven' (76-79), ook 78 'uitgeschreven wegens werk', die "
    "het rapport en de andere tabellen als Werk tellen (kolom n_recoded_work). Onbekend: "
    "ook geen VDAB-record op die datum. pct: van het cohort op die momentopname.",
    "longitudinal.sbm_no_category": "Het statuspanel heeft geen kolom status_category: Uitgeschreven kan niet apart "
    "getoond worden en zit in Werk of Geen werk.",
    "longitudinal.sbm_partial": "Weggelaten omdat het cohort toen nog maar deels ingestroomd was: {items}.",
    "longitudinal.sbm_figure_title": "VDAB-status naar maanden sinds intake, per intakecohort",
    "longitudinal.sbm_xlabel": "Maanden sinds intake (mediaan van het cohort)",
    "longitudinal.sbm_ylabel": "Aandeel van het cohort",
    "longitudinal.sbm_legend": "VDAB-status",
    "longitudinal.sbm_figure_note": "Uitgeschreven: codes 76-79, ook 78\n'uitgeschreven wegens werk' (het "
    "rapport\ntelt 78 als werk). Onbekend: ook geen\nVDAB-record. Een momentopname "
    "telt\npas als het hele cohort ingestroomd is.",
    "longitudinal.tr_title": "Overgangen tussen opeenvolgende VDAB-momentopnames: werk, geen werk, onbekend",
    "longitudinal.tr_note": "Per paar opeenvolgende momentopnames de cliënten met een intake op of vóór de eerste "
    "datum; pct: van de rij (from_status), bv. Werk -> Werk: aandeel van wie werkte dat op "
    "de volgende momentopname nog werkt. Werk volgens de hercoderingstabel (78 telt als "
    "Werk); Onbekend: ook geen VDAB-record.",
    "longitudinal.dw_title": "Duurzaam werk per intakecohort en per traject",
    "longitudinal.dw_rule_consecutive": "Definitie duurzaam werk (config durable_work): werk (VDAB-status "
    "hercodeerd als Werk) op {k} opeenvolgende momentopnames na de intake; een "
    "momentopname zonder VDAB-record onderbreekt de reeks.",
    "longitudinal.dw_rule_still": "Definitie duurzaam werk (config durable_work): nog werk (VDAB-status hercodeerd "
    "als Werk) op de eerste momentopname minstens {months} maanden na de eerste "
    "momentopname met werk.",
    "longitudinal.dw_columns": "n_evaluable: cliënten met genoeg momentopnames om de definitie te toetsen "
    "({evaluable}); pct_durable: van n_evaluable; pct_durable_of_work_ever: van de "
    "beoordeelbare cliënten die ooit werk hadden op een momentopname.",
    "longitudinal.dw_evaluable_consecutive": "minstens {k} momentopnames na de intake",
    "longitudinal.dw_evaluable_still": "na de eerste momentopname met werk (of, zonder werk, na de eerste "
    "momentopname) nog een momentopname minstens {months} maanden later",
    "longitudinal.dw_rule_no_return": "Definitie duurzaam werk (config durable_work): na de eerste momentopname "
    "met werk (VDAB-status hercodeerd als Werk) geen momentopname zonder werk (een VDAB-record hercodeerd als "
    "Geen werk) binnen {months} maanden; een momentopname zonder VDAB-record telt niet.",
    "longitudinal.dw_evaluable_no_return": "na de eerste momentopname met werk (of, zonder werk, na de eerste "
    "momentopname) nog een momentopname minstens {months} maanden later, of eerder een momentopname zonder werk",
    "longitudinal.ret_title": "Werk behouden: aandeel nog aan het werk na de eerste momentopname met werk, per "
    "intakecohort en per traject (Kaplan-Meier)",
    "longitudinal.ret_definition": "Definitie: vanaf de eerste momentopname waarop een cliënt aan het werk is "
    "(VDAB-status hercodeerd als Werk) de tijd tot de eerste latere momentopname zonder werk (een VDAB-record "
    "hercodeerd als Geen werk): werk verloren. Wie daarna niet zonder werk gezien wordt, is gecensureerd op de "
    "laatste momentopname met werk. Een momentopname zonder VDAB-record beëindigt noch verlengt de periode.",
    "longitudinal.ret_method": "Product-limietschatting (Kaplan-Meier) op maanden sinds de eerste momentopname "
    "met werk (1 maand = 30,4375 dagen), met log(-log) 95%-betrouwbaarheidsintervallen. Werkverlies wordt pas "
    "op een momentopname gezien: het gebeurde tussen de vorige momentopname en die; de aandelen liggen daardoor "
    "tot één interval tussen momentopnamen te hoog.",
    "longitudinal.ret_columns": "pct_kept_Xm: geschat aandeel (%) dat X maanden na de eerste momentopname met "
    "werk nog aan het werk is; leeg voorbij de langste opvolging van de groep. median_months: de eerste tijd "
    "waarop dat aandeel op of onder 50% komt.",
    "longitudinal.km_title": "Tijd van intake tot eerste waargenomen werk, per intakecohort en per traject "
    "(intervalgecensureerde Kaplan-Meier)",
    "longitudinal.km_intervals": "Werk is alleen zichtbaar op de momentopnames: het eerste werk valt tussen de "
    "laatste momentopname zonder werk (of de intake) en de eerste met werk; wie nooit "
    "werk had is rechts-gecensureerd op de laatste momentopname zonder werk. Werk "
    "tussen twee momentopnames dat vóór de volgende stopte, is niet zichtbaar.",
    "longitudinal.km_method": "Niet-parametrische maximum-likelihoodschatting (Turnbull, EM-algoritme); binnen een "
    "Turnbull-interval ligt de massa niet vast: pct_work_Xm is de schatting met de massa "
    "gelijk verdeeld over het interval, _min en _max de grenzen. Geen "
    "betrouwbaarheidsintervallen. Vóór de eerste momentopname van de meeste cliënten rust "
    "de schatting op weinig waarnemingen: de NPMLE legt de massa van wie al op de eerste "
    "momentopname werkte zo vroeg als de gegevens toelaten. 1 maand = 30,4375 dagen.",
    "longitudinal.km_columns": "pct_work_Xm: geschat aandeel (%) met werk gezien binnen X maanden na intake; leeg "
    "wanneer de opvolging in de groep korter is. Mediaan leeg: niet bereikt.",
    "longitudinal.km_figure_title": "Tijd van intake tot eerste waargenomen werk, {per}",
    "longitudinal.per_cohort": "per intakecohort",
    "longitudinal.per_trajectory": "per traject",
    "longitudinal.km_xlabel": "Maanden sinds intake",
    "longitudinal.km_ylabel": "Aandeel met werk gezien (%)",
    "longitudinal.km_band": "bereik door intervalcensurering",
    "longitudinal.km_at_risk": "Nog zonder werk",
    "longitudinal.km_footnote": "Nog zonder werk: cliënten met een momentopname\nzonder werk op of na dat tijdstip "
    "(en nog geen\nwerk eerder). Lijn: massa gelijk verdeeld over\nelk "
    "Turnbull-interval. Werk is alleen zichtbaar\nop de momentopnames: het begin van de "
    "curve\nrust op weinig waarnemingen.",
    "longitudinal.km_truncated": "Curven stoppen waar minder dan\n{k} cliënten nog zonder werk zijn.",
    "longitudinal.tcm_title": "Trajectwijzigingen na de screening: van welk naar welk traject",
    "longitudinal.tcm_note": "Eén rij per wijziging: van het traject ervoor (bij de eerste wijziging het traject "
    "van de screening) naar het nieuwe. pct: van de rij. {n_changes} wijzigingen bij "
    "{n_clients} cliënten.",
    "longitudinal.tcm_same": "{n} wijzigingen naar hetzelfde traject (op de diagonaal).",
    "longitudinal.tcs_title": "Trajectwijzigingen en art. 60 per traject van de screening",
    "longitudinal.tcs_note": "Rijen: het traject van de screening (de tabellen van het rapport gebruiken dat). "
    "pct_changed: aandeel met minstens één wijziging; days_*: dagen van de intake tot de "
    "eerste wijziging (SD met n - 1; kwartielen volgens SPSS). pct_art60: aandeel dat een "
    "art. 60 startte (het rapport: 44% van de VDAB-trajecten), ook apart voor wie wel en "
    "niet van traject veranderde.",
    "longitudinal.tc_excluded": "{n} wijzigingen van cliënten buiten de populatie of vóór de intake niet gebruikt.",
    "longitudinal.snapshots": "Momentopnames: {dates}.",
    "longitudinal.sample_note": "Berekend op een willekeurige steekproef van {n} cliënten (op pseudoniem; "
    "longitudinal_max_clients = {limit}).",
}

# Labels of canonical values are the Dutch values themselves, as are the recoding table's labels.
VALUES: dict[str, str] = {}
RECODING_LABELS: dict[str, str] = {}
