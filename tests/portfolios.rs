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
    // The LP bound is not clamped to the cost it bounds: above it would be a wrong proof.
    assert!(
        plan.lower_bound <= plan.total_km + 1e-6,
        "bound {} above the proposal {}",
        plan.lower_bound,
        plan.total_km
    );
    // Nor is it vacuous: at least every firm's nearest serving officer's km, which ignores
    // the cap (a relaxation the LP tightens), worked out here from the travel model.
    let model = sweep_solver::travel::TravelModel::new(&instance).unwrap();
    let bases: Vec<_> = instance
        .officers
        .iter()
        .map(|o| {
            instance
                .officer_base(o)
                .expect("every Cangzhou officer has a base")
        })
        .collect();
    let firms: Vec<_> = instance.enterprises.iter().map(|f| f.location).collect();
    let legs = model.legs(&bases, &firms);
    let nearest: f64 = instance
        .enterprises
        .iter()
        .enumerate()
        .map(|(j, firm)| {
            (0..bases.len())
                .filter(|&o| {
                    let officer = &instance.officers[o];
                    officer.district == CITY_LEVEL || officer.district == firm.district
                })
                .filter_map(|o| legs.get(o, j).map(|l| l.km))
                .fold(f64::INFINITY, f64::min)
        })
        .sum();
    assert!(
        plan.lower_bound >= nearest - 1e-3,
        "bound {} below the capless optimum {nearest}",
        plan.lower_bound
    );
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
