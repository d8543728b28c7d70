"""The calibrated population: the 1662 clients, their art. 60 contracts and TWE trajectories, and
the extra rows the pipeline must drop (out-of-window intakes, duplicates, non-clients)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cob_demo.calibration import ART60_MEAN_OFFSET, ART60_SD_OFFSET, CALIBRATION
from cob_demo.draws import (
    allocate,
    calibrated_days,
    check_rounding,
    deal,
    draw_ages,
    draw_birth_dates,
    gender_household_work,
    on_weekdays,
    random_weekdays,
    to_weekday,
)
from cob_demo.layout import RAW_HOUSEHOLD, RAW_TRAJECTORY, REFERENCE_DATE, WINDOW_FROM, WINDOW_TO
from cob_demo.plausibility import (
    N_EARLIER_CLOSED_TWE,
    NATIONALITIES,
    OTHER_BIRTH_COUNTRY,
    OTHER_EMPLOYERS,
    SHARE_SECOND_CONTRACT,
)


def draw_clients(rng: np.random.Generator) -> pd.DataFrame:
    cal = CALIBRATION
    n_no = sum(v[0] for v in cal["cohort_work"].values())
    n_w = sum(v[1] for v in cal["cohort_work"].values())
    work = np.r_[np.zeros(n_no, np.int64), np.ones(n_w, np.int64)]
    n = len(work)

    # gender x household x work (and the two clients without gender, household Onbekend)
    households = list(cal["household_work"])
    ghw = gender_household_work()
    gender = np.full(n, None, dtype=object)
    household = np.full(n, None, dtype=object)
    for stratum in (0, 1):
        idx = np.flatnonzero(work == stratum)
        g_cells = [None] + [g for g in ("Man", "Vrouw") for h in households]
        h_cells = ["Onbekend"] + [h for g in ("Man", "Vrouw") for h in households]
        counts = [1] + [
            int(ghw[gi, hi, stratum]) for gi in range(2) for hi in range(len(households))
        ]
        idx = rng.permutation(idx)
        gender[idx] = np.repeat(np.array(g_cells, dtype=object), counts)
        household[idx] = np.repeat(np.array(h_cells, dtype=object), counts)
    no_gender = np.array([g is None for g in gender])
    woman = gender == "Vrouw"
    single = household == "Alleenstaande"
    family = household == "Aanvragers met gezin ten laste"

    # trajectory: youth first (never the two without birth date), Lineair gets what is left
    trajectories = list(cal["trajectory_work"])
    w = np.ones((n, len(trajectories)))
    w[:, 3] = np.where(no_gender, 0.0, np.where(single, 1.6, np.where(family, 0.25, 1.0)))
    w[:, 0] *= np.where(woman, 0.6, 1.0)
    w[:, 1] *= np.where(family, 1.5, 1.0)
    order = [3, 0, 1, 2]
    trajectory = deal(
        rng,
        work,
        {trajectories[i]: cal["trajectory_work"][trajectories[i]] for i in order},
        w[:, order],
    )
    youth = trajectory == "Jongerenproject (ESF)"

    # age group (the two without gender have no birth date either)
    groups = ["18-24j", "30+", "25-30j"]
    w = np.ones((n, 3))
    w[:, 0] = np.where(youth, 1e12, np.where(family, 0.3, 1.0))
    w[:, 1] = np.where(family, 3.0, np.where(trajectory == "Lineair", 1.3, 1.0))
    age_group = deal(rng, work, {g: cal["agegroup_work"][g] for g in groups}, w, among=~no_gender)
    age_group[no_gender] = None
    older = age_group == "30+"
    younger = age_group == "18-24j"

    # nationality (not published: same probabilities in both strata, so about half of each
    # continent works); a few born in a neighbouring country of the same continent
    nat_probs = np.array([x[3] for x in NATIONALITIES])
    nat = rng.choice(len(NATIONALITIES), n, p=nat_probs / nat_probs.sum())
    nationality = np.array([NATIONALITIES[i][0] for i in nat], dtype=object)
    birth_country = np.array([NATIONALITIES[i][1] for i in nat], dtype=object)
    continent = np.array([NATIONALITIES[i][2] for i in nat], dtype=object)
    elsewhere = rng.random(n) < 0.06
    for country, other in OTHER_BIRTH_COUNTRY.items():
        birth_country[elsewhere & (birth_country == country)] = other
    small_continent = np.isin(continent, ["Europa", "Amerika"])

    # schooling: women, the small continents and VDAB clients more often highly schooled
    levels = ["Geen", "Hoog", "Midden", "Laag"]
    w = np.ones((n, 4))
    w[:, 1] = (
        np.where(woman, 2.5, 1.0)
        * np.where(small_continent, 6.0, 1.0)
        * np.select([trajectory == "VDAB", trajectory == "Lineair"], [1.8, 0.6], 1.0)
    )
    w[:, 2] = np.where(trajectory == "VDAB", 1.4, 1.0) * np.where(youth, 1.2, 1.0)
    w[:, 0] = np.where(trajectory == "Lineair", 3.0, 1.0)
    schooling = deal(rng, work, {lv: cal["schooling_work"][lv] for lv in levels}, w)

    # NT2 at intake: higher levels with more schooling and for VDAB; not registered: Lineair
    nt2_table = cal["nt2_work"]
    nt2_levels = [lv for lv in nt2_table if lv is not None]
    rank = {
        lv: i
        for i, lv in enumerate(
            ["0", "<1.1", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.2"]
        )
    }
    score = (
        pd.Series(schooling).map({"Geen": 0.0, "Laag": 0.0, "Midden": 1.0, "Hoog": 2.0}).to_numpy()
    )
    score = (
        score
        + pd.Series(trajectory)
        .map({"VDAB": 1.0, "SD/Activering": 0.5, "Lineair": 0.0, "Jongerenproject (ESF)": 0.5})
        .to_numpy()
    )
    order = [None] + sorted(nt2_levels, key=lambda lv: -rank[lv])  # highest first, "0" last
    w = np.ones((n, len(order)))
    for j, lv in enumerate(order):
        w[:, j] = (
            np.where(trajectory == "Lineair", 3.0, 1.0)
            if lv is None
            else np.exp(0.35 * rank[lv] * score)
        )
    nt2 = deal(rng, work, {lv: nt2_table[lv] for lv in order}, w)

    # VDAB status code: women and 30+ more often 5, men more often 0, 30+ less often 78,
    # the young more often in training or studies (85, 97)
    codes = {code: label_n[1] for code, label_n in cal["vdab_status"].items()}
    work_codes = set(cal["work_codes"])
    code_order = [97, 77, 76, 2, 85, 3, 79, 0, 5, 10, 93, 80, 89, 90, 78]
    table = {c: ((0, codes[c]) if c in work_codes else (codes[c], 0)) for c in code_order}
    w = np.ones((n, len(code_order)))
    for j, c in enumerate(code_order):
        if c in (85, 97, 77):
            w[:, j] = np.where(younger, 3.0, 1.0)
        elif c == 0:
            w[:, j] = np.where(woman, 0.35, 1.0) * np.where(older, 0.6, 1.0)
        elif c == 90:
            w[:, j] = np.where(older, 1.6, 1.0) * np.where(woman, 1.3, 1.0)
        elif c == 89:
            w[:, j] = np.where(younger, 1.5, 1.0)
    status_code = deal(rng, work, table, w).astype(np.int64)

    # intake half-year and date (weekdays), age and birth date
    cohorts = list(cal["cohort_work"])
    cohort = deal(rng, work, cal["cohort_work"], np.ones((n, len(cohorts))))
    intake = np.empty(n, dtype="datetime64[D]")
    spans = {
        "Voorjaar 2017": ("2017-01-02", "2017-06-30"),
        "Najaar 2017": ("2017-07-03", "2017-12-29"),
        "Voorjaar 2018": ("2018-01-02", "2018-06-29"),
        "Najaar 2018": ("2018-07-02", "2018-12-31"),
    }
    for label, (start, end) in spans.items():
        sel = cohort == label
        intake[sel] = random_weekdays(rng, start, end, int(sel.sum()))
    assert ((intake >= WINDOW_FROM) & (intake <= WINDOW_TO)).all()
    age = np.full(n, -1, dtype=np.int64)
    age[~no_gender] = draw_ages(rng, age_group[~no_gender])
    birth = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    birth[~no_gender] = draw_birth_dates(rng, intake[~no_gender], age[~no_gender])

    frame = pd.DataFrame(
        {
            "work": work,
            "intake_date": intake,
            "cohort": cohort,
            "trajectory": trajectory,
            "gender": gender,
            "age_group": age_group,
            "birth_date": birth,
            "nationality": nationality,
            "country_of_birth": birth_country,
            "continent": continent,
            "household": household,
            "nt2_level": nt2,
            "schooling": schooling,
            "status_code": status_code,
        }
    )
    # a random row order, so that nothing downstream depends on how the strata were built
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# art. 60 contracts
# --------------------------------------------------------------------------------------------
def calibrated_employer_names() -> list[str]:
    """The 77 last employers: the 25 of Tabel 10 and the invented ones named 1..4 times."""
    listed = CALIBRATION["art60_last_employers"]
    assert len(listed) + len(OTHER_EMPLOYERS) == CALIBRATION["n_last_employers"]
    assert not set(OTHER_EMPLOYERS) & set(listed)
    return list(listed) + list(OTHER_EMPLOYERS)


def _employer_pool(rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """The 77 last employers and how often each is the last employer (Tabel 10 + invented)."""
    cal = CALIBRATION
    listed = cal["art60_last_employers"]
    n_other = len(OTHER_EMPLOYERS)
    remaining = cal["art60_total"][0] - sum(listed.values())
    counts = np.ones(n_other, dtype=np.int64)
    for _ in range(remaining - n_other):
        open_ = np.flatnonzero(counts < 4)
        counts[open_[rng.integers(0, len(open_))]] += 1
    return calibrated_employer_names(), np.r_[np.array(list(listed.values())), counts]


def draw_art60(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    """Contracts (one row each) of the art. 60 clients, calibrated to Tabel 7, 8 and 10.
    Adds ``art60_first`` and ``art60_last_employer`` to ``clients`` in place."""
    cal = CALIBRATION
    intake = clients["intake_date"].to_numpy().astype("datetime64[D]")
    available = (REFERENCE_DATE - intake).astype(np.int64).astype(float)
    first = np.full(len(clients), np.datetime64("NaT"), dtype="datetime64[D]")
    for trajectory, (n_art60, mean, sd) in cal["art60"].items():
        idx = np.flatnonzero(clients["trajectory"].to_numpy() == trajectory)
        # clients with more time since intake are likelier to have started one
        weight = (available[idx] / available.max()) ** 1.5
        key = np.log(rng.random(len(idx))) / weight
        chosen = idx[np.argsort(-key, kind="stable")[:n_art60]]
        chosen = np.sort(chosen)
        # the latest possible start, a little before the snapshot for some (no pile-up on it)
        cap = np.maximum(available[chosen] - rng.integers(0, 60, len(chosen)), 0.0)
        # and the earliest: a few weeks for screening and matching, rarely the intake day itself
        lowest = np.where(rng.random(len(chosen)) < 0.01, 0.0, rng.integers(5, 36, len(chosen)))
        lowest = np.minimum(lowest, cap)
        days = calibrated_days(rng, lowest, cap, mean + ART60_MEAN_OFFSET, sd + ART60_SD_OFFSET)
        days = on_weekdays(days, intake[chosen], available[chosen], sd + ART60_SD_OFFSET)
        first[chosen] = intake[chosen] + days
        realised = days.mean(), days.std(ddof=1)
        check_rounding(realised[0], mean, f"art. 60 mean days, {trajectory}")
        check_rounding(realised[1], sd, f"art. 60 sd days, {trajectory}")
    has = ~np.isnat(first)
    all_days = (first[has] - intake[has]).astype(np.int64)
    n_total, mean_total, sd_total = cal["art60_total"]
    assert len(all_days) == n_total
    check_rounding(all_days.mean(), mean_total, "art. 60 mean days, total")
    check_rounding(all_days.std(ddof=1), sd_total, "art. 60 sd days, total")

    # contract chains: a second (and sometimes third) contract after the first has ended
    people = np.flatnonzero(has)
    starts = [first[people]]

    def durations(k: int) -> np.ndarray:  # about 6 to 24 months, most near a year
        return np.floor(rng.triangular(182, 365, 730, k) + 0.5).astype(np.int64)

    ends = [starts[0] + durations(len(people)) - 1]
    owners = [people]
    n_second = int(round(SHARE_SECOND_CONTRACT * len(people)))
    for share in (n_second, int(round(0.25 * n_second))):
        prev_end = ends[-1]
        eligible = np.flatnonzero(prev_end + 31 <= REFERENCE_DATE)
        pick = np.sort(rng.choice(eligible, min(share, len(eligible)), replace=False))
        room = (REFERENCE_DATE - prev_end[pick]).astype(np.int64)
        gap = 1 + np.floor(rng.random(len(pick)) * np.minimum(room - 1, 90)).astype(np.int64)
        start = to_weekday(prev_end[pick] + gap)
        start = np.minimum(start, REFERENCE_DATE)
        starts.append(start)
        ends.append(start + durations(len(pick)) - 1)
        owners.append(owners[-1][pick])
    contracts = pd.DataFrame(
        {
            "row": np.concatenate(owners),
            "start_date": np.concatenate(starts),
            "end_date": np.concatenate(ends),
            "seq": np.concatenate([np.full(len(o), i) for i, o in enumerate(owners)]),
        }
    )
    contracts.loc[contracts["end_date"] > REFERENCE_DATE, "end_date"] = pd.NaT
    last_seq = contracts.groupby("row")["seq"].transform("max")
    is_last = contracts["seq"] == last_seq

    names, counts = _employer_pool(rng)
    last_employer = rng.permutation(np.repeat(np.array(names, dtype=object), counts))
    employer_of = dict(zip(people, last_employer, strict=True))
    contracts["employer"] = contracts["row"].map(employer_of)
    earlier = np.flatnonzero(~is_last.to_numpy())
    draw = rng.choice(len(names), len(earlier), p=counts / counts.sum())
    same = np.array(names, dtype=object)[draw] == contracts["employer"].to_numpy()[earlier]
    draw[same] = (draw[same] + 1 + rng.integers(0, len(names) - 1, same.sum())) % len(names)
    contracts.loc[contracts.index[earlier], "employer"] = np.array(names, dtype=object)[draw]

    clients["art60_first"] = first
    clients["art60_last_employer"] = pd.Series(employer_of).reindex(clients.index)
    return contracts


# --------------------------------------------------------------------------------------------
# TWE trajectories
# --------------------------------------------------------------------------------------------
def draw_twe(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    """One running TWE per art. 60 client, starting around the first art. 60; 179 of them
    closed in 2019-2020 with the results of Tabel 9, some after an earlier closed TWE."""
    cal = CALIBRATION
    people = np.flatnonzero(clients["art60_first"].notna().to_numpy())
    intake = clients["intake_date"].to_numpy().astype("datetime64[D]")[people]
    first = clients["art60_first"].to_numpy().astype("datetime64[D]")[people]
    works = clients["work"].to_numpy()[people]
    start = to_weekday(first + rng.integers(-14, 8, len(people)))
    start = np.minimum(np.maximum(start, intake), REFERENCE_DATE)
    end = np.full(len(people), np.datetime64("NaT"), dtype="datetime64[D]")
    result = np.full(len(people), None, dtype=object)

    latest_end = np.datetime64("2020-03-27")
    window_start = np.datetime64("2019-01-02")
    results = cal["twe_result"]
    n_closed = sum(results.values())
    # closed ones: those whose TWE (8 to 24 months) would end in 2019 or early 2020
    natural_end = start + rng.integers(240, 731, len(people))
    can_close = np.flatnonzero((natural_end >= window_start) & (natural_end <= latest_end))
    if len(can_close) < n_closed:
        raise RuntimeError("TWE: too few trajectories can close in 2019-2020")
    closed = np.sort(rng.choice(can_close, n_closed, replace=False))
    end[closed] = natural_end[closed]
    # results: work in NEC/SE/SEC mostly for clients with work at VDAB
    order = ["NEC", "NEC in SE-bedrijf", "SEC", "Geen werk"]
    w = np.ones((n_closed, 4))
    w[:, :3] = np.where(works[closed] == 1, 8.0, 1.0)[:, None]
    picked = allocate(rng, [results[r] for r in order], w)
    result[closed] = np.array(order, dtype=object)[picked]

    # a few split their span into an earlier closed TWE (mostly without work) and the last one
    span = (end[closed] - start[closed]).astype(np.int64)
    can_split = closed[span >= 120 + 62 + 120]
    split = np.sort(rng.choice(can_split, min(N_EARLIER_CLOSED_TWE, len(can_split)), replace=False))
    span = (end[split] - start[split]).astype(np.int64)
    earlier_end = (
        start[split] + 120 + np.floor(rng.random(len(split)) * (span - 302 + 1)).astype(np.int64)
    )
    earlier_result = rng.choice(["Geen werk", "Geen werk", "Geen werk", "NEC"], len(split))
    earlier = pd.DataFrame(
        {
            "row": people[split],
            "start_date": start[split],
            "end_date": earlier_end,
            "result": earlier_result,
        }
    )
    start[split] = to_weekday(earlier_end + rng.integers(7, 61, len(split)))
    twe = pd.DataFrame({"row": people, "start_date": start, "end_date": end, "result": result})
    twe = pd.concat([earlier, twe], ignore_index=True)
    assert (twe["end_date"].isna() | (twe["end_date"] > twe["start_date"])).all()
    return twe


# --------------------------------------------------------------------------------------------
# Rows the pipeline must drop: out-of-window intakes, duplicates, non-clients
# --------------------------------------------------------------------------------------------
def draw_people(rng: np.random.Generator, n: int, intake: np.ndarray) -> pd.DataFrame:
    """Simple independent attributes for people outside the calibrated population."""
    gender = rng.choice(["Man", "Vrouw"], n, p=[0.8, 0.2]).astype(object)
    trajectory = rng.choice(list(RAW_TRAJECTORY), n, p=[0.3, 0.13, 0.38, 0.19])
    age = np.where(
        trajectory == "Jongerenproject (ESF)", rng.integers(18, 25, n), rng.integers(18, 55, n)
    )
    birth = draw_birth_dates(rng, intake, age)
    nat_probs = np.array([x[3] for x in NATIONALITIES])
    nat = rng.choice(len(NATIONALITIES), n, p=nat_probs / nat_probs.sum())
    return pd.DataFrame(
        {
            "intake_date": intake,
            "trajectory": trajectory,
            "gender": gender,
            "birth_date": birth,
            "nationality": [NATIONALITIES[i][0] for i in nat],
            "country_of_birth": [NATIONALITIES[i][1] for i in nat],
            "continent": [NATIONALITIES[i][2] for i in nat],
            "household": rng.choice(list(RAW_HOUSEHOLD)[:3], n, p=[0.17, 0.74, 0.09]),
            "nt2_level": rng.choice(
                ["0", "<1.1", "1.1", "1.2", "2.1"], n, p=[0.45, 0.2, 0.17, 0.12, 0.06]
            ),
            "schooling": rng.choice(["Laag", "Midden", "Hoog"], n, p=[0.57, 0.22, 0.21]),
        }
    )
