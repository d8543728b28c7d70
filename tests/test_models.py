import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from factories import COHORTS, TRAJECTORIES, make_clients

from cob_analysis.stats.concordance import concordance_index
from cob_analysis.survival.analyses import FIGURE_IDS, TABLE_IDS, run_analyses
from cob_analysis.survival.cox import CoxModel
from cob_analysis.survival.kaplan_meier import time_to_art60
from cob_analysis.survival.logit import LogitModel
from cob_analysis.survival.models import (
    ModelFitError,
    ModelInputError,
    SeparationError,
    SingularDesignError,
    covariate_notes,
    nt2_group,
    prepare_covariates,
)
from cob_analysis.tables_io import read_table

END = dt.date(2020, 3, 31)


@pytest.fixture(scope="module")
def clients():
    return make_clients(400, seed=11)


@pytest.fixture(scope="module")
def prepared(clients):
    return prepare_covariates(clients, cohort_order=COHORTS, trajectory_order=TRAJECTORIES)


@pytest.fixture(scope="module")
def tte(clients):
    return time_to_art60(clients, END)


# -- covariate preparation ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "group"),
    [
        ("0", "0 of <1.1"),
        ("<1.1", "0 of <1.1"),
        ("1.1", "1.x"),
        ("1.2", "1.x"),
        ("1.4", "1.x"),
        ("2.1", "2.x en hoger"),
        ("3.2", "2.x en hoger"),
        ("4,2", "2.x en hoger"),
        (None, None),
        (np.nan, None),
        ("", None),
    ],
)
def test_nt2_groups(value, group):
    assert nt2_group(value) == group


def test_nt2_unknown_level_is_refused():
    with pytest.raises(ModelInputError, match="A2"):
        nt2_group("A2")


def test_references_and_groupings(prepared, clients):
    refs = {c.name: c.reference for c in prepared.covariates}
    assert refs == {
        "trajectory": "VDAB",
        "gender": "Man",
        "age_group": "18-24j",
        "household": "Alleenstaande",
        "schooling": "Geen of laag",
        "nt2_level": "0 of <1.1",
        "continent": "Azië",
        "cohort": "Voorjaar 2017",
    }
    by_name = {c.name: c for c in prepared.covariates}
    assert by_name["cohort"].levels == COHORTS
    assert by_name["trajectory"].levels == TRAJECTORIES
    assert by_name["nt2_level"].levels == ["0 of <1.1", "1.x", "2.x en hoger"]
    # Geen has fewer than 10 clients: pooled with Laag
    assert (clients["schooling"] == "Geen").sum() < 10
    assert by_name["schooling"].pooled == {"Geen of laag": ["Geen", "Laag"]}
    # small continents pooled into Overige, which is last
    assert by_name["continent"].levels[-1] == "Overige"
    assert set(by_name["continent"].pooled["Overige"]) == {"Amerika", "Europa"}


def test_complete_case_counts(prepared, clients):
    missing_any = clients[["gender", "age_group", "nt2_level"]].isna().any(axis=1)
    unknown_small = (clients["household"] == "Onbekend").sum()
    assert 0 < unknown_small < 10  # treated as missing
    assert prepared.set_missing == {"household": {"Onbekend": int(unknown_small)}}
    excluded = missing_any | (clients["household"] == "Onbekend")
    assert prepared.n_complete == int((~excluded).sum())
    assert prepared.n_total == len(clients)


def test_notes_state_groupings_references_and_exclusions(prepared):
    nl = " ".join(covariate_notes(prepared, "nl"))
    assert "Referentiecategorieën: Traject VDAB, Geslacht Man" in nl
    assert "0 of <1.1 = 0, <1.1" in nl and "2.x en hoger = 2.1" in nl
    assert "Overige = Amerika, Europa" in nl
    assert f"N gebruikt: {prepared.n_complete}; {prepared.n_total - prepared.n_complete}" in nl
    en = " ".join(covariate_notes(prepared, "en"))
    assert "Reference categories: Trajectory VDAB, Gender Man" in en
    assert "Other = America, Europe" in en and "None or low = None, Low" in en


def test_schooling_geen_stays_apart_with_10_clients():
    frame = pd.DataFrame({"schooling": ["Geen"] * 10 + ["Laag"] * 12 + ["Hoog"] * 5})
    cov = prepare_covariates(frame, covariates=["schooling"]).covariates[0]
    assert cov.reference == "Laag" and cov.levels == ["Laag", "Geen", "Hoog"] and not cov.pooled


def test_absent_and_single_level_covariates_are_dropped():
    frame = pd.DataFrame({"gender": ["Man", "Vrouw", None, "Man"], "cohort": ["X"] * 4})
    prep = prepare_covariates(frame, covariates=["gender", "cohort", "continent"])
    assert prep.dropped == {"continent": "absent", "cohort": "single level"}
    assert [c.name for c in prep.covariates] == ["gender"]
    assert prep.n_complete == 3


def test_absent_preferred_reference_falls_back_to_largest():
    frame = pd.DataFrame({"gender": ["Vrouw"] * 5 + ["X"] * 3})
    cov = prepare_covariates(frame, covariates=["gender"]).covariates[0]
    assert cov.reference == "Vrouw" and cov.reference_fallback


def test_small_overige_takes_in_the_next_smallest_continent():
    # the demo data: America 9 alone is too small; Europe (22) joins it
    frame = pd.DataFrame(
        {"continent": ["Azië"] * 40 + ["Afrika"] * 35 + ["Europa"] * 22 + ["Amerika"] * 9}
    )
    cov = prepare_covariates(frame, covariates=["continent"]).covariates[0]
    assert cov.levels == ["Azië", "Afrika", "Overige"]
    assert cov.pooled == {"Overige": ["Amerika", "Europa"]}
    assert cov.counts["Overige"] == 31


def test_small_overige_that_cannot_grow_leaves_continent_out():
    frame = pd.DataFrame({"continent": ["Afrika"] * 20 + ["Europa"] * 3, "gender": ["Man"] * 23})
    frame.loc[:4, "gender"] = "Vrouw"
    prep = prepare_covariates(frame, covariates=["gender", "continent"])
    assert prep.dropped == {"continent": "single level"} and prep.set_missing == {}
    assert prep.n_complete == 23  # nobody is left out for a covariate that is not in the model
    assert "Continent niet in het model" in " ".join(covariate_notes(prep))


# -- Cox ---------------------------------------------------------------------------------------
def test_cox_matches_statsmodels_phreg_efron(prepared, tte):
    tte = tte.copy()
    same_day = tte.index[tte["event"]][:4]
    tte.loc[same_day, "duration_days"] = 0  # art. 60 on the intake day: events at day 0
    cox = CoxModel().fit(prepared, tte["duration_days"], tte["event"])
    design = prepared.design()
    assert cox.n_used == len(design) and cox.n_excluded == prepared.n_total - len(design)
    assert tte["duration_days"].loc[design.index].duplicated().any()  # ties are present
    reference = sm.PHReg(
        tte["duration_days"].loc[design.index].to_numpy(float),
        design.to_numpy(),
        status=tte["event"].loc[design.index].astype(int).to_numpy(),
        ties="efron",
    ).fit()
    np.testing.assert_allclose(
        cox.params_.loc[design.columns].to_numpy(), reference.params, atol=1e-4
    )
    np.testing.assert_allclose(
        cox.fitter_.standard_errors_.loc[design.columns].to_numpy(), reference.bse, atol=1e-4
    )


def test_cox_hazard_ratio_table(prepared, tte):
    cox = CoxModel().fit(prepared, tte["duration_days"], tte["event"])
    hr = cox.hazard_ratios_
    assert list(hr.columns) == [
        "variable",
        "level",
        "reference",
        "n",
        "events",
        "hr",
        "ci_low",
        "ci_high",
        "p",
    ]
    refs = hr[hr["reference"]]
    assert (refs["hr"] == 1.0).all() and refs["ci_low"].isna().all()
    assert len(refs) == len(prepared.covariates)
    est = hr[~hr["reference"]]
    assert ((est["ci_low"] < est["hr"]) & (est["hr"] < est["ci_high"])).all()
    row = est[(est["variable"] == "trajectory") & (est["level"] == "SD/Activering")].iloc[0]
    assert row["hr"] == pytest.approx(np.exp(cox.params_["trajectory=SD/Activering"]))
    assert row["hr"] > 1  # the factory makes SD/Activering fastest
    assert hr.groupby("variable")["n"].sum().unique().tolist() == [cox.n_used]
    assert hr.groupby("variable")["events"].sum().unique().tolist() == [cox.n_events]


def test_cox_ph_check(prepared, tte):
    from lifelines.statistics import proportional_hazard_test

    cox = CoxModel().fit(prepared, tte["duration_days"], tte["event"])
    ph = cox.ph_check_
    assert list(ph.columns) == ["variable", "level", "statistic", "p", "verdict"]
    assert len(ph) == len(prepared.design().columns)
    assert set(ph["verdict"]) <= {"ok", "violated at 5%"}
    assert ((ph["p"] < 0.05) == (ph["verdict"] == "violated at 5%")).all()
    direct = proportional_hazard_test(cox.fitter_, cox.design_, time_transform="rank").summary
    columns = prepared.design().columns
    assert ph["statistic"].to_numpy() == pytest.approx(
        direct.loc[columns, "test_statistic"].to_numpy()
    )


def test_cox_level_without_events_raises_separation():
    frame = pd.DataFrame({"trajectory": ["VDAB"] * 20 + ["Lineair"] * 20})
    prep = prepare_covariates(frame, covariates=["trajectory"])
    durations = pd.Series(np.arange(40) + 1)
    events = pd.Series([True, False] * 10 + [False] * 20)
    with pytest.raises(SeparationError, match="trajectory=Lineair"):
        CoxModel().fit(prep, durations, events)


@pytest.mark.parametrize("share_men", [0.3, 0.7])  # identical dummies / dummies summing to 1
def test_cox_collinear_covariates_raise_singular_design(share_men):
    rng = np.random.default_rng(0)
    gender = np.where(np.arange(60) < 60 * share_men, "Man", "Vrouw")
    frame = pd.DataFrame({"gender": gender, "copy": np.where(gender == "Man", "a", "b")})
    prep = prepare_covariates(frame, covariates=["gender", "copy"])
    with pytest.raises(SingularDesignError, match="collinear"):
        CoxModel().fit(prep, pd.Series(rng.integers(1, 100, 60)), pd.Series(rng.random(60) < 0.6))


def test_cox_refuses_misaligned_input(prepared, tte):
    with pytest.raises(ModelInputError, match="aligned"):
        CoxModel().fit(
            prepared, tte["duration_days"].reset_index(drop=True).iloc[::-1], tte["event"]
        )
    with pytest.raises(ModelInputError, match="values for"):
        CoxModel().fit(prepared, [1, 2, 3], [True, False, True])


# -- logit -------------------------------------------------------------------------------------
def test_logit_matches_statsmodels_glm(prepared, clients):
    work = clients["work_status"].eq("Werk")
    logit = LogitModel().fit(prepared, work)
    design = prepared.design()
    glm = sm.GLM(
        work.loc[design.index].astype(float), sm.add_constant(design), family=sm.families.Binomial()
    ).fit()
    table = logit.odds_ratios_[~logit.odds_ratios_["reference"]]
    np.testing.assert_allclose(
        table["odds_ratio"].to_numpy(), np.exp(glm.params[design.columns]).to_numpy(), rtol=1e-6
    )
    np.testing.assert_allclose(
        table["p"].to_numpy(), glm.pvalues[design.columns].to_numpy(), rtol=1e-5
    )
    assert logit.n_used == len(design) and logit.n_excluded == len(clients) - len(design)
    assert logit.n_outcome == int(work.loc[design.index].sum())
    gender = logit.odds_ratios_.set_index(["variable", "level"]).loc[("gender", "Vrouw")]
    assert gender["odds_ratio"] < 1  # the factory gives women less work
    # fitted on covariate patterns; fit and test statistics as a row per client
    per_client = sm.Logit(work.loc[design.index].astype(float), sm.add_constant(design)).fit(disp=0)
    assert logit.pseudo_r2_ == pytest.approx(per_client.prsquared, rel=1e-8)
    assert logit.llr_p_ == pytest.approx(per_client.llr_pvalue, rel=1e-6)
    np.testing.assert_allclose(
        table["ci_low"].to_numpy(),
        np.exp(per_client.conf_int()[0][design.columns]).to_numpy(),
        rtol=1e-6,
    )


def test_logit_separation_is_named():
    frame = pd.DataFrame({"gender": ["Man"] * 30 + ["Vrouw"] * 12})
    prep = prepare_covariates(frame, covariates=["gender"])
    outcome = pd.Series([True, False] * 15 + [False] * 12)
    with pytest.raises(SeparationError, match="gender=Vrouw"):
        LogitModel().fit(prep, outcome)


def test_logit_refuses_non_binary_outcome(prepared, clients):
    with pytest.raises(ModelInputError, match="0/1"):
        LogitModel().fit(prepared, pd.Series(2, index=clients.index))


# -- edge function -----------------------------------------------------------------------------
def _run(frame, out, language="nl"):
    return run_analyses(
        frame,
        observation_end=END,
        language=language,
        tables_dir=out / "tables",
        figures_dir=out / "figures",
        cohort_order=COHORTS,
        trajectory_order=TRAJECTORIES,
    )


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def nl_run(tmp_path_factory):
    frame = make_clients(500, seed=7)
    root = tmp_path_factory.mktemp("run_nl")
    return frame, root, _run(frame, root)


def test_run_analyses_writes_everything_byte_stable(nl_run, tmp_path):
    frame, root, ids = nl_run
    assert ids == list(TABLE_IDS)
    first = _files(root)
    for table_id in TABLE_IDS:
        assert f"tables/{table_id}.csv" in first and f"tables/meta/{table_id}.json" in first
    for figure_id in FIGURE_IDS:
        for ext in ("png", "svg"):
            assert len(first[f"figures/{figure_id}.{ext}"]) > 1000
    assert b"<dc:date>" not in first["figures/km_art60_cohort.svg"]
    assert b"Software" not in first["figures/km_art60_cohort.png"]
    _run(frame, tmp_path)
    second = _files(tmp_path)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_run_analyses_tables_content(nl_run):
    frame, root, _ids = nl_run
    tables = root / "tables"
    for table_id in TABLE_IDS:
        meta = json.loads((tables / "meta" / f"{table_id}.json").read_text("utf-8"))
        assert meta["id"] == table_id and meta["kind"] == "stats" and meta["title"]
    timing, meta = read_table(tables, "art60_timing_trajectory")
    assert timing["group"].tolist() == [*TRAJECTORIES, "Totaal"]
    assert "Duurtijd" in meta["title"]
    assert int(timing["n"].iloc[-1]) == int(frame["art60_started"].sum())
    km, meta = read_table(tables, "km_art60_cohort")
    assert km["group"].tolist() == [*COHORTS, "Totaal"]
    assert "2020-03-31" in meta["notes"][0]
    at_risk, _ = read_table(tables, "km_art60_cohort_at_risk")
    assert list(at_risk.columns[:4]) == ["group", "0", "6", "12"]
    logrank, _ = read_table(tables, "km_art60_logrank")
    assert logrank["variable"].tolist() == ["cohort", "trajectory"]
    cox, meta = read_table(tables, "cox_art60")
    assert meta["extra"]["ties"] == "efron"
    assert meta["extra"]["n_used"] + meta["extra"]["n_excluded"] == len(frame)
    assert any("Referentiecategorieën" in n for n in meta["notes"])
    assert any("weggelaten" in n for n in meta["notes"])
    ph, _ = read_table(tables, "cox_art60_ph_check")
    assert set(ph["verdict"]) <= {"ok", "geschonden bij 5%"}
    logit, meta = read_table(tables, "logit_work")
    assert list(logit.columns) == [
        "variable",
        "covariate",
        "level",
        "reference",
        "n",
        "n_work",
        "odds_ratio",
        "ci_low",
        "ci_high",
        "p",
    ]
    # Onbekend counts as no work: clients with Onbekend are used, only Werk counts as work
    complete = prepare_covariates(
        frame, cohort_order=COHORTS, trajectory_order=TRAJECTORIES
    ).complete
    assert (frame.loc[complete, "work_status"] == "Onbekend").any()
    assert meta["extra"]["n_used"] == int(complete.sum())
    assert meta["extra"]["n_work"] == int((frame.loc[complete, "work_status"] == "Werk").sum())


def test_run_analyses_in_english(tmp_path):
    ids = _run(make_clients(300, seed=8), tmp_path, language="en")
    assert ids == list(TABLE_IDS)
    timing, meta = read_table(tmp_path / "tables", "art60_timing_cohort")
    assert timing["group"].tolist()[0] == "Spring 2017" and timing["group"].iloc[-1] == "Total"
    assert meta["title"].startswith("Days from intake")
    cox, meta = read_table(tmp_path / "tables", "cox_art60")
    assert "Trajectory" in set(cox["covariate"])
    assert any(n.startswith("Reference categories") for n in meta["notes"])


def test_run_analyses_writes_a_note_when_a_model_cannot_be_fitted(tmp_path):
    frame = make_clients(300, seed=9)
    lineair = frame["trajectory"] == "Lineair"
    frame.loc[lineair, ["art60_started"]] = False
    frame.loc[lineair, "art60_first_start"] = None
    frame.loc[lineair, "days_to_art60"] = pd.NA
    with pytest.warns(RuntimeWarning, match="Cox model not estimated"):
        ids = _run(frame, tmp_path)
    assert ids == list(TABLE_IDS)
    cox, meta = read_table(tmp_path / "tables", "cox_art60")
    assert len(cox) == 0 and "trajectory=Lineair" in meta["extra"]["error"]
    assert meta["notes"][0].startswith("Model niet geschat")
    for figure_id in FIGURE_IDS:  # the workflow expects every figure, even without a model
        assert (tmp_path / "figures" / f"{figure_id}.png").exists()
    logit, _ = read_table(tmp_path / "tables", "logit_work")
    assert len(logit) > 0


def test_run_analyses_refuses_intake_after_observation_end(tmp_path):
    from cob_analysis.survival.kaplan_meier import IntakeAfterObservationEndError

    frame = make_clients(100, seed=3)
    with pytest.raises(IntakeAfterObservationEndError):
        run_analyses(
            frame,
            observation_end=dt.date(2018, 6, 30),
            language="nl",
            tables_dir=tmp_path / "t",
            figures_dir=tmp_path / "f",
            cohort_order=None,
            trajectory_order=None,
        )


def test_run_analyses_refuses_unknown_language(tmp_path):
    with pytest.raises(ValueError, match="language"):
        run_analyses(
            make_clients(50),
            observation_end=END,
            language="fr",
            tables_dir=tmp_path,
            figures_dir=tmp_path,
            cohort_order=None,
            trajectory_order=None,
        )


def test_vectorised_scaled_schoenfeld_matches_lifelines_with_ties():
    import numpy as np
    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

    from cob_analysis.stats.schoenfeld import scaled_schoenfeld_residuals

    rng = np.random.default_rng(7)
    n = 300
    design = pd.DataFrame(
        {
            "a": rng.integers(0, 2, n).astype(float),
            "b": rng.normal(size=n),
            "c": rng.integers(0, 2, n).astype(float),
        }
    )
    frame = design.assign(
        T=np.ceil(rng.exponential(15 * np.exp(-0.5 * design["a"]), n)), E=rng.random(n) < 0.7
    )  # whole days: many ties
    fitter = CoxPHFitter().fit(frame, "T", "E")
    reference = fitter.compute_residuals(frame, "scaled_schoenfeld")
    mine = scaled_schoenfeld_residuals(fitter, design, frame["T"], frame["E"])
    assert list(mine.index) == list(reference.index)
    assert np.allclose(mine.to_numpy(), reference.to_numpy(), atol=1e-10)
    expected = proportional_hazard_test(fitter, frame, time_transform="rank").summary
    got = proportional_hazard_test(
        fitter, frame, time_transform="rank", precomputed_residuals=mine
    ).summary
    assert np.allclose(got.to_numpy(), expected.to_numpy(), atol=1e-10)


# -- concordance -----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_concordance_counts_like_lifelines(seed):
    from lifelines.utils import concordance_index as lifelines_concordance

    rng = np.random.default_rng(seed)
    n = 3000
    times = rng.integers(0, 60, n).astype(float)  # many tied times
    scores = rng.integers(0, 25, n) / 7.0  # many tied scores
    events = rng.random(n) < 0.4
    expected = lifelines_concordance(times, scores, events)
    assert concordance_index(times, scores, events) == pytest.approx(expected, abs=1e-15)
    # the fallback for nearly continuous data gives the same count
    assert concordance_index(times, scores, events, max_cells=10) == pytest.approx(
        expected, abs=1e-15
    )


def test_concordance_hand_computed():
    # events at 1 and 3, a client censored at 1 and one at 4; higher score = longer predicted time
    times, scores, events = [1, 1, 3, 4], [1.0, 2.0, 2.0, 3.0], [True, False, True, False]
    # comparable pairs: (1e, 1c) tie in time -> censored compared with the event: correct (2 > 1);
    # (1e, 3e) correct; (1e, 4c) correct; (3e, 4c) correct -> 4 of 4
    assert concordance_index(times, scores, events) == 1.0
    assert concordance_index(times, [3.0, 2.0, 1.0, 0.0], events) == 0.0


def test_cox_concordance_equals_lifelines(prepared, tte):
    cox = CoxModel().fit(prepared, tte["duration_days"], tte["event"])
    assert cox.concordance_ == pytest.approx(cox.fitter_.concordance_index_, abs=1e-15)


def test_logit_refuses_quasi_separation_by_a_combination_of_levels():
    # every level has both outcomes, but three combinations have one outcome only: the
    # estimates run off to infinity, which must not be reported as a fit
    rng = np.random.default_rng(0)
    rows, outcome = [], []
    for schooling in ("Laag", "Midden", "Hoog"):
        for household in ("Alleenstaande", "Aanvragers met gezin ten laste"):
            for _ in range(40):
                rows.append({"schooling": schooling, "household": household})
                if (schooling, household) in (("Laag", "Alleenstaande"), ("Hoog", "Alleenstaande")):
                    outcome.append(False)
                elif (schooling, household) == ("Midden", "Aanvragers met gezin ten laste"):
                    outcome.append(True)
                else:
                    outcome.append(bool(rng.random() < 0.5))
    frame = pd.DataFrame(rows)
    prep = prepare_covariates(frame, covariates=["schooling", "household"])
    with pytest.raises((ModelFitError, SeparationError)):
        LogitModel().fit(prep, pd.Series(outcome, index=frame.index))


def _efron_score_test_at_zero(durations, events, design):
    """The score test of beta = 0 under Efron's ties, written out naively (one loop per time)."""
    t, e, x = np.asarray(durations, float), np.asarray(events, bool), np.asarray(design, float)
    k = x.shape[1]
    score, information = np.zeros(k), np.zeros((k, k))
    for time in np.unique(t[e]):
        at_risk, dead = t >= time, (t == time) & e
        d = dead.sum()
        s1_r, s1_d = x[at_risk].sum(0), x[dead].sum(0)
        s2_r = x[at_risk].T @ x[at_risk]
        s2_d = x[dead].T @ x[dead]
        score += s1_d
        for ell in range(d):
            weight = at_risk.sum() - ell  # all risk scores are 1 at beta = 0
            mean = (s1_r - ell / d * s1_d) / weight
            score -= mean
            information += (s2_r - ell / d * s2_d) / weight - np.outer(mean, mean)
    return float(score @ np.linalg.solve(information, score))


def test_cox_global_tests_equal_independent_references(prepared, tte):
    cox = CoxModel().fit(prepared, tte["duration_days"], tte["event"])
    design = prepared.design()
    durations, events = tte["duration_days"].loc[design.index], tte["event"].loc[design.index]
    reference = sm.PHReg(
        durations.to_numpy(float), design.to_numpy(float), status=events.to_numpy(int), ties="efron"
    ).fit()
    tests = cox.global_tests_.set_index("test")
    k = design.shape[1]
    assert (tests["df"] == k).all()
    lr = 2 * (reference.llf - reference.model.loglike(np.zeros(k)))
    assert tests.loc["likelihood_ratio", "statistic"] == pytest.approx(lr, rel=1e-4)
    beta = reference.params
    wald = beta @ np.linalg.solve(reference.cov_params(), beta)
    assert tests.loc["wald", "statistic"] == pytest.approx(wald, rel=1e-4)
    assert tests.loc["score", "statistic"] == pytest.approx(
        _efron_score_test_at_zero(durations, events, design), rel=1e-9
    )
