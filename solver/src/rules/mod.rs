//! The hard rules the solver obeys, one module each, in the order of DOMAIN.md's rules.
//!
//! Each module answers, for the move it governs, whether it may be made (may this expert
//! join a crew on this day, may this officer take this firm, does this team qualify, does
//! this day fit), and where the rule alone rules a due firm out for the whole horizon, it
//! gives the stable code and the sentence of the unscheduled firm ([`Never`]). The
//! construction, the search, the explanation of unscheduled firms and the bounds all ask
//! here, so a rule is written once; adding one is adding a module, its test, a call from the
//! move it governs and, if it can rule a firm out alone, a line in [`never`].
//!
//! The checker (`crate::checker`) re-checks the same rules from the raw instance with
//! code of its own: these modules decide, the checker verifies.
//!
//! | module | rule |
//! |---|---|
//! | [`calendar`] | a visit is on a sweep day the firm is open (rule 1) |
//! | [`crew`] | one officer, a team of at least the firm's size and at most `max_team` (rule 2) |
//! | [`people`] | nobody works when unavailable or uncertified, nor past `max_days` (rules 3, 4) |
//! | [`qualification`] | the team covers the specialties and one reaches the lead tier (rule 5) |
//! | [`seat`] | every expert holds a specialty some visit of the crew-day requires |
//! | [`avoidance`] | no expert checks a firm they must avoid (rule 6) |
//! | [`timing`] | the day fits opening hours and the policy's day, base to base (rule 7) |
//! | [`lunch`] | a day that spans the lunch window has its break inside it |
//! | [`frequency`] | room under the annual cap (rule 8) |
//! | [`follow_up`] | a re-check on or after its rectification deadline |
//! | [`scope`] | an officer accompanies visits in their own district, or anywhere if city-level |
//! | [`workload`] | an officer out at most so many sweep days a week and in a row |
//! | [`reserve`] | a share of the last week's officers kept free for re-planning |
//! | [`budget`] | the roster's CNY and expert-days within the policy's budget |

pub mod avoidance;
pub mod budget;
pub mod calendar;
pub mod crew;
pub mod follow_up;
pub mod frequency;
pub mod lunch;
pub mod people;
pub mod qualification;
pub mod reserve;
pub mod scope;
pub mod seat;
pub mod timing;
pub mod workload;

use crate::context::Context;

/// Why no roster at all can visit a due firm: the first rule, in the documented order
/// (docs/codes.md), that alone rules out every visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Never {
    /// The stable code of the unscheduled firm (`unscheduled[].code`).
    pub code: &'static str,
    /// The sentence naming the rule and the firm.
    pub message: String,
}

/// Whether due firm `d` may be visited on sweep day `day`: open (rule 1), with room under
/// its annual cap (rule 8), and, for a re-check, on or after its deadline.
pub fn may_visit_on(ctx: &Context<'_>, d: usize, day: usize) -> bool {
    open_with_cap_room(ctx, d, day) && follow_up::on_or_after_deadline(ctx, d, day)
}

/// Whether due firm `d` is open on sweep day `day` with room under its annual cap: every
/// condition of [`may_visit_on`] but the re-check's deadline.
pub fn open_with_cap_room(ctx: &Context<'_>, d: usize, day: usize) -> bool {
    calendar::open(ctx, d, day) && frequency::cap_room(ctx, d, day)
}

/// The sweep days on which due firm `d` may be visited.
pub fn visit_days(ctx: &Context<'_>, d: usize) -> Vec<usize> {
    (0..ctx.days.len())
        .filter(|&day| may_visit_on(ctx, d, day))
        .collect()
}

/// The first rule that rules out every visit to due firm `d`, or `None` when some roster
/// could visit it. `None` means that on one sweep day the firm is open, a serving officer
/// whose crew makes the visit within the day is on duty, and so are experts who may check
/// it and form a qualified team; capacity (other firms taking the people) is left to the
/// caller. Exact, assuming legs obey the triangle inequality (a crew that cannot make the
/// one visit within the day cannot make it on a longer round: true of road networks and
/// great-circle distances, assumed of a user matrix); `tests/exhaustive.rs` holds it
/// against every valid one-crew roster of random small instances.
pub fn never(ctx: &Context<'_>, d: usize) -> Option<Never> {
    let days = visit_days(ctx, d);
    if days.is_empty() {
        return Some(follow_up::never(ctx, d).unwrap_or_else(|| {
            let mut never = calendar::never(ctx, d);
            if let Some(pending) = follow_up::pending_note(ctx, d) {
                never.message.push_str(&pending);
            }
            never
        }));
    }
    if let Some(never) = scope::never(ctx, d) {
        return Some(never);
    }
    if let Some(never) = qualification::never_in_pool(ctx, d) {
        return Some(never);
    }
    // The common case first, stopping at the first day that has it all: an officer who
    // can take the firm out, then a qualified team (the dearer test).
    if days.iter().any(|&day| {
        people::officer_available(ctx, d, day) && qualification::team_exists_on(ctx, d, day)
    }) {
        return None;
    }
    let team_days: Vec<usize> = days
        .iter()
        .copied()
        .filter(|&day| qualification::team_exists_on(ctx, d, day))
        .collect();
    if team_days.is_empty() {
        return Some(qualification::never_team(ctx, d, &days));
    }
    if let Some(never) = timing::never(ctx, d) {
        return Some(never);
    }
    people::never_together(ctx, d, &team_days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Clock, Instance, Risk, Specialty, Tier};
    use crate::route::schedule;

    fn two_firms() -> Instance {
        serde_json::from_str(crate::examples::TWO_FIRMS).expect("the example reads")
    }

    #[test]
    fn the_smallest_cover_is_found_where_a_greedy_cover_takes_one_expert_more() {
        use Specialty::*;
        let mut instance = two_firms();
        // A red firm (provincial lead) needing six specialties.
        let firm = &mut instance.enterprises[0];
        firm.risk = Risk::Red;
        firm.required_specialties = Some(vec![
            Construction,
            FireSafety,
            Electrical,
            Process,
            Equipment,
            Gas,
        ]);
        // E1 (provincial) holds four of them: a greedy cover takes it first, then needs
        // E2 for equipment and E3 for gas. E2 (provincial, lead) and E3 hold all six.
        let specs = [
            vec![Construction, FireSafety, Electrical, Process],
            vec![Construction, FireSafety, Equipment],
            vec![Electrical, Process, Gas],
        ];
        for (expert, specs) in instance.experts.iter_mut().zip(specs) {
            expert.specialties = specs;
        }
        instance.experts[0].tier = Tier::Provincial;
        instance.experts[1].tier = Tier::Provincial;
        instance.experts[2].tier = Tier::City;
        let ctx = Context::new(&instance).unwrap();
        let f1 = ctx.due_index("F1").unwrap();
        let mut cover = qualification::smallest_cover(&ctx, f1, &[], &[0, 1, 2]).unwrap();
        cover.sort_unstable();
        assert_eq!(cover, vec![1, 2]);
        // From a crew that already holds E3, E2 alone completes it.
        assert_eq!(
            qualification::smallest_cover(&ctx, f1, &[2], &[0, 1]),
            Some(vec![1])
        );
        // Without E2 nobody holds equipment: no cover at all.
        assert_eq!(qualification::smallest_cover(&ctx, f1, &[], &[0, 2]), None);
    }

    #[test]
    fn the_leader_reaches_the_lead_tier_and_holds_the_primary_specialty_where_one_can() {
        use Specialty::*;
        let mut instance = two_firms();
        // A red firm (provincial lead) whose primary specialty is process.
        let firm = &mut instance.enterprises[0];
        firm.risk = Risk::Red;
        firm.required_specialties = Some(vec![Process, Equipment]);
        instance.experts[0].specialties = vec![Equipment];
        instance.experts[1].specialties = vec![Process];
        instance.experts[2].specialties = vec![Process, Equipment];
        instance.experts[0].tier = Tier::National;
        instance.experts[1].tier = Tier::Provincial;
        instance.experts[2].tier = Tier::City;
        let ctx = Context::new(&instance).unwrap();
        let f1 = ctx.due_index("F1").unwrap();
        // E2 holds process and reaches provincial: it leads, ahead of the national E1.
        assert_eq!(qualification::lead(&ctx, &[0, 1, 2], &[f1]), Some(1));
        // E3 holds process but is city tier: E1, the only one of the tier, leads.
        assert_eq!(qualification::lead(&ctx, &[0, 2], &[f1]), Some(0));
        // Nobody of the tier: no leader.
        assert_eq!(qualification::lead(&ctx, &[2], &[f1]), None);
    }

    #[test]
    fn a_lone_visit_fits_the_day_exactly_when_the_routing_engine_can_time_it() {
        // Around the latest return that still lets the crew back, the rule's own test and
        // the engine's timing of the one-visit day agree minute by minute.
        let instance = two_firms();
        let ctx = Context::new(&instance).unwrap();
        let base = ctx.officer_loc[0].unwrap();
        let alone = schedule(&ctx, base, &[0]).unwrap();
        for day_end in alone.ret - 3..alone.ret + 3 {
            let mut short = two_firms();
            short.policy.day_end = Clock(day_end);
            let ctx = Context::new(&short).unwrap();
            assert_eq!(
                timing::reaches_alone(&ctx, base, 0),
                schedule(&ctx, base, &[0]).is_some(),
                "day_end {day_end}"
            );
            assert_eq!(
                timing::reaches_alone(&ctx, base, 0),
                day_end >= alone.ret,
                "day_end {day_end}"
            );
        }
    }

    #[test]
    fn a_firm_no_rule_rules_out_is_possible_and_each_static_rule_names_itself() {
        let instance = two_firms();
        let ctx = Context::new(&instance).unwrap();
        assert_eq!(never(&ctx, 0), None);

        // The only provincial expert (E3) must avoid F1, which is red: no lead.
        let mut no_lead = two_firms();
        no_lead.enterprises[0].risk = Risk::Red;
        no_lead.experts[2].avoid_enterprises = vec!["F1".into()];
        let ctx = Context::new(&no_lead).unwrap();
        let f1 = ctx.due_index("F1").unwrap();
        let got = never(&ctx, f1).expect("no team");
        assert_eq!(got.code, "no_qualified_team");
        assert!(
            got.message.contains("provincial-tier lead"),
            "{}",
            got.message
        );

        // The officer is out on the days the experts are in, and the other way round.
        let mut apart = two_firms();
        let days: Vec<_> = ctx.days.clone();
        apart.officers[0].unavailable = days[..2].to_vec();
        for expert in &mut apart.experts {
            expert.unavailable = days[2..].to_vec();
        }
        let ctx = Context::new(&apart).unwrap();
        assert_eq!(never(&ctx, 0).map(|n| n.code), Some("crew_capacity"));
    }
}
