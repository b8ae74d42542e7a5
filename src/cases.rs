//! Small named instances, each showing one rule (written to fixtures/cases/ by
//! `hazard-sweep cases`); tests/cases.rs asserts what each one shows.

use chrono::NaiveDate;
use sweep_solver::model::*;

fn date(s: &str) -> NaiveDate {
    s.parse().expect("valid date")
}

fn at(lat: f64, lon: f64) -> Location {
    Location { lat, lon }
}

fn expert(id: &str, name: &str, tier: Tier, title: Title, specialties: &[Specialty]) -> Expert {
    Expert {
        id: id.into(),
        name: name.into(),
        tier,
        title,
        specialties: specialties.to_vec(),
        certified_until: date("2029-06-30"),
        home: at(38.30, 116.85),
        unavailable: Vec::new(),
        max_days: None,
        day_rate: None,
        avoid_enterprises: Vec::new(),
        avoid_groups: Vec::new(),
        city: None,
    }
}

/// A firm with no sweep on record (so it is overdue unless blue), near its district's base.
fn firm(id: &str, district: &str, sector: Sector, risk: Risk, offset: f64) -> Enterprise {
    let (base, officer) = if district == "D1" {
        (at(38.31, 116.86), "O1")
    } else {
        (at(38.08, 116.58), "O2")
    };
    Enterprise {
        id: id.into(),
        name: format!("{id} 有限公司"),
        district: district.into(),
        location: at(base.lat + offset, base.lon + offset * 1.3),
        group: None,
        sector,
        risk,
        major_hazard_level: 0,
        processes: Vec::new(),
        standardization: Some(2),
        blacklisted: false,
        officer: officer.into(),
        hours: None,
        closed_dates: Vec::new(),
        required_specialties: None,
        min_tier: None,
        team_size: None,
        duration_min: None,
    }
}

/// Two districts, three officers (one city-level), seven experts, no firms yet.
fn base(name: &str) -> Instance {
    use Specialty as S;
    Instance {
        name: name.into(),
        horizon: Horizon {
            start: date("2027-03-01"),
            end: date("2027-03-12"),
        },
        calendar: Calendar::default(),
        policy: Policy {
            random_share: 0.0,
            seed: 7,
            ..Policy::default()
        },
        districts: vec![
            District {
                id: "D1".into(),
                name: "运河区".into(),
                base: at(38.31, 116.86),
                city: None,
            },
            District {
                id: "D2".into(),
                name: "泊头市".into(),
                base: at(38.08, 116.58),
                city: None,
            },
        ],
        officers: vec![
            Officer {
                id: "O1".into(),
                name: "王强".into(),
                district: "D1".into(),
                base: None,
                unavailable: Vec::new(),
                max_days: None,
                city: None,
            },
            Officer {
                id: "O2".into(),
                name: "赵敏".into(),
                district: "D2".into(),
                base: None,
                unavailable: Vec::new(),
                max_days: None,
                city: None,
            },
            Officer {
                id: "O3".into(),
                name: "孙杰".into(),
                district: CITY_LEVEL.into(),
                base: Some(at(38.30, 116.84)),
                unavailable: Vec::new(),
                max_days: None,
                city: None,
            },
        ],
        experts: vec![
            expert(
                "E1",
                "李明",
                Tier::City,
                Title::Senior,
                &[S::Process, S::SafetyManagement],
            ),
            expert(
                "E2",
                "张伟",
                Tier::City,
                Title::Intermediate,
                &[S::Equipment],
            ),
            expert(
                "E3",
                "刘洋",
                Tier::City,
                Title::AssociateSenior,
                &[S::Electrical, S::FireSafety],
            ),
            expert(
                "E4",
                "陈静",
                Tier::Provincial,
                Title::Senior,
                &[S::Process, S::Equipment],
            ),
            expert(
                "E5",
                "杨磊",
                Tier::City,
                Title::Intermediate,
                &[S::Construction],
            ),
            expert(
                "E6",
                "黄涛",
                Tier::City,
                Title::AssociateSenior,
                &[S::Construction, S::Electrical],
            ),
            expert(
                "E7",
                "周超",
                Tier::National,
                Title::Senior,
                &[S::Electrical, S::Process],
            ),
        ],
        enterprises: Vec::new(),
        history: Vec::new(),
        findings: Vec::new(),
        travel: None,
    }
}

/// Every case, by file name.
pub fn all() -> Vec<(&'static str, Instance)> {
    vec![
        ("conflict_of_interest", conflict_of_interest()),
        (
            "certification_expires_mid_month",
            certification_expires_mid_month(),
        ),
        ("blackout_week", blackout_week()),
        ("annual_cap_reached", annual_cap_reached()),
        ("district_officer_bound", district_officer_bound()),
        ("follow_up_after_deadline", follow_up_after_deadline()),
        ("recheck_after_horizon", recheck_after_horizon()),
        ("follow_up_at_annual_cap", follow_up_at_annual_cap()),
        ("overdue_follow_ups_first", overdue_follow_ups_first()),
        ("officer_week_limits", officer_week_limits()),
        ("lunch_break", lunch_break()),
        ("daily_load_spread", daily_load_spread()),
        ("last_week_reserve", last_week_reserve()),
        ("every_expert_earns_a_seat", every_expert_earns_a_seat()),
        ("major_chemical_team", major_chemical_team()),
        ("budget_limits_the_month", budget_limits_the_month()),
        ("afternoon_opening_hours", afternoon_opening_hours()),
        ("random_draw", random_draw()),
        ("expert_days_run_out", expert_days_run_out()),
        ("shared_experts_two_cities", shared_experts_two_cities()),
    ]
}

/// F-A (chemicals, group 渤海化工集团) is avoided by E1 and, by group, by E4: the crew
/// takes E7's process skill instead. F-B (construction) is avoided by both construction
/// experts, so it cannot be visited (`no_qualified_team`).
fn conflict_of_interest() -> Instance {
    let mut i = base("conflict-of-interest");
    let mut a = firm("F-A", "D1", Sector::HazardousChemicals, Risk::Yellow, 0.02);
    a.group = Some("渤海化工集团".into());
    i.enterprises = vec![
        a,
        firm("F-B", "D1", Sector::Construction, Risk::Yellow, -0.02),
    ];
    i.experts[0].avoid_enterprises = vec!["F-A".into()];
    i.experts[3].avoid_groups = vec!["渤海化工集团".into()];
    i.experts[4].avoid_enterprises = vec!["F-B".into()];
    i.experts[5].avoid_enterprises = vec!["F-B".into()];
    i
}

/// The only provincial-tier-or-higher expert available, E4, is certified until 03-10; the
/// red chemical firm F-R needs a provincial lead, so it is visited by 03-10. F-LATE, also
/// red, is closed until 03-10, so no qualified lead is left for it.
fn certification_expires_mid_month() -> Instance {
    let mut i = base("certification-expires-mid-month");
    i.horizon.end = date("2027-03-31");
    i.experts[3].certified_until = date("2027-03-10");
    i.experts[6].unavailable = i.horizon.days().collect();
    let red = firm("F-R", "D1", Sector::HazardousChemicals, Risk::Red, 0.03);
    let mut late = firm("F-LATE", "D1", Sector::HazardousChemicals, Risk::Red, -0.03);
    late.closed_dates = date("2027-03-01").iter_days().take(10).collect();
    i.enterprises = vec![red, late];
    i
}

/// A blackout period covers 03-08 to 03-12: every visit falls in the first week.
fn blackout_week() -> Instance {
    let mut i = base("blackout-week");
    i.calendar.periods = vec![Period {
        name: "重大会议保障".into(),
        start: date("2027-03-08"),
        end: date("2027-03-12"),
        kind: PeriodKind::Blackout,
        sectors: Vec::new(),
        boost: 0.0,
    }];
    i.enterprises = (0..4)
        .map(|k| {
            firm(
                &format!("F-{k}"),
                "D1",
                Sector::CrowdedVenue,
                Risk::Yellow,
                0.01 * k as f64,
            )
        })
        .collect();
    i
}

/// F-CAP (standardisation grade 1, cap 1 a year) had an enforcement inspection in January:
/// it is excluded with `annual_cap` although overdue. F-OK, the same without it, is due.
fn annual_cap_reached() -> Instance {
    let mut i = base("annual-cap-reached");
    let mut capped = firm("F-CAP", "D1", Sector::Construction, Risk::Yellow, 0.01);
    capped.standardization = Some(1);
    let mut ok = firm("F-OK", "D1", Sector::Construction, Risk::Yellow, -0.01);
    ok.standardization = Some(1);
    i.enterprises = vec![capped, ok];
    i.history = vec![
        Inspection {
            enterprise: "F-CAP".into(),
            date: date("2025-11-20"),
            experts: vec!["E5".into()],
            kind: InspectionKind::ExpertSweep,
        },
        Inspection {
            enterprise: "F-OK".into(),
            date: date("2025-11-20"),
            experts: vec!["E5".into()],
            kind: InspectionKind::ExpertSweep,
        },
        Inspection {
            enterprise: "F-CAP".into(),
            date: date("2027-01-15"),
            experts: Vec::new(),
            kind: InspectionKind::Enforcement,
        },
    ];
    i
}

/// D2's own officer O2 is away all horizon; D1's officer may not cross into D2, so the
/// city-level officer O3 takes every D2 visit.
fn district_officer_bound() -> Instance {
    let mut i = base("district-officer-bound");
    i.officers[1].unavailable = i.horizon.days().collect();
    i.enterprises = vec![
        firm("F-D1", "D1", Sector::Construction, Risk::Yellow, 0.01),
        firm("F-D2a", "D2", Sector::Construction, Risk::Yellow, 0.01),
        firm("F-D2b", "D2", Sector::CrowdedVenue, Risk::Yellow, -0.01),
    ];
    i
}

/// A blue firm (not due by frequency) with an unrectified major hazard due 03-08 gets a
/// mandatory follow-up, scheduled on or after the deadline.
fn follow_up_after_deadline() -> Instance {
    let mut i = base("follow-up-after-deadline");
    i.enterprises = vec![firm("F-FU", "D1", Sector::Construction, Risk::Blue, 0.01)];
    i.findings = vec![Finding {
        id: "H1".into(),
        enterprise: "F-FU".into(),
        severity: Severity::Major,
        found_on: date("2027-02-06"),
        deadline: date("2027-03-08"),
        rectified: false,
    }];
    i
}

/// An open finding, `severity`, at `firm` with `deadline`.
fn finding(id: &str, firm: &str, severity: Severity, deadline: &str) -> Finding {
    Finding {
        id: id.into(),
        enterprise: firm.into(),
        severity,
        found_on: date("2027-01-20"),
        deadline: date(deadline),
        rectified: false,
    }
}

/// A horizon from Monday 03-01 to Sunday 03-14. F-LATE's finding is due for rectification
/// on Saturday 03-13, after the last sweep day (Friday 03-12): a re-check before it would
/// find nothing rectified, so it is unscheduled (`recheck_after_horizon`) and comes back
/// next month. F-FU's deadline, 03-10, leaves three sweep days: it is re-checked on one.
fn recheck_after_horizon() -> Instance {
    let mut i = base("recheck-after-horizon");
    i.horizon.end = date("2027-03-14");
    i.enterprises = vec![
        firm("F-LATE", "D1", Sector::Construction, Risk::Blue, 0.01),
        firm("F-FU", "D1", Sector::Construction, Risk::Blue, -0.01),
    ];
    i.findings = vec![
        finding("H-LATE", "F-LATE", Severity::Major, "2027-03-13"),
        finding("H-FU", "F-FU", Severity::General, "2027-03-10"),
    ];
    i
}

/// Two firms at their annual cap (grade 1 construction, 1 a year, an enforcement
/// inspection in January) with an open finding whose deadline passed in February. The
/// re-check of F-MAJ's major finding is not stopped by the cap (the policy's
/// `cap_spares_major_follow_ups`); F-GEN's general finding is, and its exclusion names the
/// finding so that the planner takes it up through enforcement.
fn follow_up_at_annual_cap() -> Instance {
    let mut i = base("follow-up-at-annual-cap");
    let mut major = firm("F-MAJ", "D1", Sector::Construction, Risk::Blue, 0.01);
    major.standardization = Some(1);
    let mut general = firm("F-GEN", "D1", Sector::Construction, Risk::Blue, -0.01);
    general.standardization = Some(1);
    i.enterprises = vec![major, general];
    i.history = ["F-MAJ", "F-GEN"]
        .into_iter()
        .map(|f| Inspection {
            enterprise: f.into(),
            date: date("2027-01-15"),
            experts: Vec::new(),
            kind: InspectionKind::Enforcement,
        })
        .collect();
    i.findings = vec![
        finding("H-MAJ", "F-MAJ", Severity::Major, "2027-02-15"),
        finding("H-GEN", "F-GEN", Severity::General, "2027-02-15"),
    ];
    i
}

/// Two re-checks whose deadlines passed in February, a day's work each (420 minutes on
/// site), and one officer for them (D1's; the city's is away): one re-check a day. With `follow_up_within_days` = 1
/// only the first sweep day is on time, and the major finding (F-MAJ, blue) takes it;
/// the general one (F-GEN) goes on the second, although F-GEN, orange, weighs more and is
/// placed first.
fn overdue_follow_ups_first() -> Instance {
    let mut i = base("overdue-follow-ups-first");
    i.policy.follow_up_within_days = 1;
    // Only D1's officer for D1's firms: the city-level officer is away.
    i.officers[2].unavailable = i.horizon.days().collect();
    let mut general = firm("F-GEN", "D1", Sector::Construction, Risk::Orange, 0.01);
    general.duration_min = Some(420);
    let mut major = firm("F-MAJ", "D1", Sector::Construction, Risk::Blue, -0.01);
    major.duration_min = Some(420);
    i.enterprises = vec![general, major];
    i.findings = vec![
        finding("H-GEN", "F-GEN", Severity::General, "2027-02-10"),
        finding("H-MAJ", "F-MAJ", Severity::Major, "2027-02-20"),
    ];
    i
}

/// Ten firms of a day's work each (420 minutes on site) in district D1 over two weeks
/// (ten sweep days) and one officer for them (D1's; the city's is away): at most four days
/// out a week and four in a row (the policy's defaults) leave that officer eight days, so
/// eight firms are visited and two wait (`officer_capacity`), though `max_days` (16)
/// would allow all ten.
fn officer_week_limits() -> Instance {
    let mut i = base("officer-week-limits");
    i.officers[2].unavailable = i.horizon.days().collect();
    i.enterprises = (0..10)
        .map(|k| {
            let mut f = firm(
                &format!("F-{k}"),
                "D1",
                Sector::Construction,
                Risk::Yellow,
                0.002 * k as f64,
            );
            f.duration_min = Some(420);
            f
        })
        .collect();
    i
}

/// F-A and F-B (construction, 240 minutes on site each, open 08:30–17:30) lie a few
/// minutes apart in D1, and O1, the only officer who may go, is free on 03-01 alone. One
/// crew-day held both before the lunch break (08:30–12:30 and 12:35–16:35); with the
/// hour inside 11:30–13:30 the second check would end after 17:30, so one firm is
/// visited, with its break, and the other waits (`officer_capacity`).
fn lunch_break() -> Instance {
    let mut i = base("lunch-break");
    i.officers[2].unavailable = i.horizon.days().collect();
    i.officers[0].unavailable = i.horizon.days().skip(1).collect();
    i.enterprises = ["F-A", "F-B"]
        .iter()
        .enumerate()
        .map(|(k, id)| {
            let mut f = firm(
                id,
                "D1",
                Sector::Construction,
                Risk::Yellow,
                0.02 + 0.002 * k as f64,
            );
            f.duration_min = Some(240);
            f
        })
        .collect();
    i
}

/// F-A (construction, O1's) and F-B (fireworks, the city officer O3's) each take a day's
/// work (420 minutes on site) in D1, and their teams share nobody (E5 and E6 hold
/// construction, E8 and E9 fireworks). Both could go on 03-01 at the same cost as on two
/// days; the daily load (crews² per sweep day) puts them on two days, so no day is
/// crowded while another is empty.
fn daily_load_spread() -> Instance {
    let mut i = base("daily-load-spread");
    for (id, name) in [("E8", "吴刚"), ("E9", "郑丽")] {
        i.experts.push(expert(
            id,
            name,
            Tier::City,
            Title::Senior,
            &[Specialty::Fireworks],
        ));
    }
    i.enterprises = [
        ("F-A", Sector::Construction, "O1"),
        ("F-B", Sector::Fireworks, "O3"),
    ]
    .iter()
    .enumerate()
    .map(|(k, (id, sector, officer))| {
        let mut f = firm(id, "D1", *sector, Risk::Yellow, 0.01 + 0.03 * k as f64);
        f.duration_min = Some(420);
        f.officer = (*officer).into();
        f
    })
    .collect();
    i
}

/// Sixteen firms of a day's work each (420 minutes on site) in D1, which O1 and the city
/// officer O3 serve, and four construction experts: two crews a day. Each officer goes
/// out four days a week, so the first week (03-01–03-05) takes eight; the policy keeps
/// half the officers on duty (three, O2 included) in reserve in the horizon's last week
/// (03-06–03-12, sweep days 03-08–03-12), one crew a day: five more, and three firms
/// wait (`last_week_reserve`), though without the reserve all sixteen would go.
fn last_week_reserve() -> Instance {
    let mut i = base("last-week-reserve");
    i.policy.last_week_reserve = 0.5;
    for (id, name) in [("E8", "吴刚"), ("E9", "郑丽")] {
        i.experts.push(expert(
            id,
            name,
            Tier::City,
            Title::Senior,
            &[Specialty::Construction],
        ));
    }
    i.enterprises = (0..16)
        .map(|k| {
            let mut f = firm(
                &format!("F-{k:02}"),
                "D1",
                Sector::Construction,
                Risk::Yellow,
                0.002 * k as f64,
            );
            f.duration_min = Some(420);
            f
        })
        .collect();
    i
}

/// F-FW (fireworks) needs a team of two: the two fireworks experts go, though making up
/// the team with the cheaper equipment or construction expert would cost less; nobody
/// sits in a crew without a specialty its visits require.
fn every_expert_earns_a_seat() -> Instance {
    let mut i = base("every-expert-earns-a-seat");
    for (id, name) in [("E8", "吴刚"), ("E9", "郑丽")] {
        i.experts.push(expert(
            id,
            name,
            Tier::City,
            Title::Senior,
            &[Specialty::Fireworks],
        ));
    }
    i.enterprises = vec![firm("F-FW", "D1", Sector::Fireworks, Risk::Yellow, 0.02)];
    i
}

/// F-KP (chemicals, nitration) is a major chemical firm: it needs safety management
/// besides process, equipment and electrical, and a team of four; E1 is the only safety
/// management expert, so E1 goes. F-OWN (chemicals, a level-2 major hazard) gives its own
/// specialties (process, equipment, safety management) and `team_size` of 3, which
/// replace the policy's.
fn major_chemical_team() -> Instance {
    let mut i = base("major-chemical-team");
    let mut kp = firm("F-KP", "D1", Sector::HazardousChemicals, Risk::Orange, 0.02);
    kp.processes = vec![Process::Nitration];
    let mut own = firm(
        "F-OWN",
        "D2",
        Sector::HazardousChemicals,
        Risk::Orange,
        0.02,
    );
    own.major_hazard_level = 2;
    own.required_specialties = Some(vec![
        Specialty::Process,
        Specialty::Equipment,
        Specialty::SafetyManagement,
    ]);
    own.team_size = Some(3);
    i.enterprises = vec![kp, own];
    i
}

/// Twelve construction sites in D1, a day's work each for a crew of two, and a budget of
/// 20 expert-days: ten are visited, the two lightest wait (`budget`), and ten per cent
/// more budget (22 days) would buy one of them.
fn budget_limits_the_month() -> Instance {
    let mut i = base("budget-limits-the-month");
    for (id, name) in [("E8", "冯军"), ("E9", "许静")] {
        i.experts.push(expert(
            id,
            name,
            Tier::City,
            Title::Intermediate,
            &[Specialty::Construction],
        ));
    }
    i.policy.budget = Some(Budget {
        cny: None,
        expert_days: Some(20),
    });
    i.enterprises = (0..12)
        .map(|k| {
            let risk = if k < 6 { Risk::Orange } else { Risk::Yellow };
            let mut f = firm(
                &format!("F-{k:02}"),
                "D1",
                Sector::Construction,
                risk,
                0.002 * k as f64,
            );
            f.duration_min = Some(420);
            f
        })
        .collect();
    i
}

/// F-PM opens 13:00–17:30 and needs 240 minutes: the check runs 13:00–17:00.
fn afternoon_opening_hours() -> Instance {
    let mut i = base("afternoon-opening-hours");
    let mut pm = firm("F-PM", "D1", Sector::Metallurgy, Risk::Yellow, 0.02);
    pm.hours = Some(Hours {
        open: Clock::hm(13, 0),
        close: Clock::hm(17, 30),
    });
    pm.required_specialties = Some(vec![Specialty::Equipment]);
    i.enterprises = vec![pm];
    i
}

/// Twenty blue firms, none due; a 25 % random draw (seed 7) picks five, reproducibly.
fn random_draw() -> Instance {
    let mut i = base("random-draw");
    i.policy.random_share = 0.25;
    i.enterprises = (0..20)
        .map(|k| {
            firm(
                &format!("F-{k:02}"),
                if k % 2 == 0 { "D1" } else { "D2" },
                Sector::CrowdedVenue,
                Risk::Blue,
                0.002 * k as f64,
            )
        })
        .collect();
    i
}

/// Every expert may work one day; eight full-day chemical checks cannot all be staffed,
/// and the ones left over say that expert capacity stopped them.
fn expert_days_run_out() -> Instance {
    let mut i = base("expert-days-run-out");
    for e in &mut i.experts {
        e.max_days = Some(1);
    }
    i.enterprises = (0..8)
        .map(|k| {
            let mut f = firm(
                &format!("F-{k}"),
                "D1",
                Sector::HazardousChemicals,
                Risk::Yellow,
                0.01 * k as f64,
            );
            f.duration_min = Some(420);
            f
        })
        .collect();
    i
}

/// Two cities: D1 (沧州, with city-level officer O3) and D2 (衡水). City experts E1–E3
/// belong to 沧州, E5 and E6 to 衡水; provincial E4 and national E7 are shared. Each city
/// has one red chemical firm needing a provincial lead and process, equipment and
/// electrical skills. 衡水's own pool has only construction and electrical, so the master
/// allocation must send E4 (process, equipment) there and E7 to 沧州.
fn shared_experts_two_cities() -> Instance {
    let mut i = base("shared-experts-two-cities");
    i.districts[0].city = Some("沧州".into());
    i.districts[1].city = Some("衡水".into());
    i.officers[2].city = Some("沧州".into());
    for (e, city) in [
        (0, "沧州"),
        (1, "沧州"),
        (2, "沧州"),
        (4, "衡水"),
        (5, "衡水"),
    ] {
        i.experts[e].city = Some(city.into());
    }
    i.enterprises = vec![
        firm("F-CZ", "D1", Sector::HazardousChemicals, Risk::Red, 0.02),
        firm("F-HS", "D2", Sector::HazardousChemicals, Risk::Red, 0.02),
        firm("F-HS2", "D2", Sector::Construction, Risk::Yellow, -0.02),
    ];
    i
}
