//! Officer portfolios on the Cangzhou fixture: every firm held by an officer who may
//! serve it, within the cap, no worse than today's portfolios, with a proven bound.

mod common;

use std::time::Duration;

use sweep_solver::model::CITY_LEVEL;
use sweep_solver::portfolios::assign;

#[test]
fn cangzhou_portfolios_respect_districts_and_the_cap() {
    let instance = common::import_month(&common::root().join("fixtures/cangzhou"), "2027-03");
    let plan = assign(&instance, Duration::from_secs(1), 1).unwrap();
    assert_eq!(plan.assignment.len(), instance.enterprises.len());
    for (firm, (officer, km)) in instance.enterprises.iter().zip(&plan.assignment) {
        let o = instance.officers.iter().find(|o| &o.id == officer).unwrap();
        assert!(
            o.district == CITY_LEVEL || o.district == firm.district,
            "{} given to {officer}",
            firm.id
        );
        assert!(km.is_finite());
    }
    let cap = instance.policy.max_firms_per_officer;
    assert!(
        plan.loads.iter().all(|(_, n)| *n <= cap),
        "{:?}",
        plan.loads
    );
    assert!(plan.lower_bound <= plan.total_km + 1e-6);
    assert!(
        plan.total_km <= plan.current_km,
        "{} km proposed vs {} km today",
        plan.total_km,
        plan.current_km
    );
    assert!(
        (plan.total_km - plan.lower_bound) / plan.total_km < 0.01,
        "within 1 % of the bound"
    );
}
