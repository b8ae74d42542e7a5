//! What a visit to a firm needs: specialties, lead tier, team size, time on site,
//! and how often the firm may be inspected in a year (DOMAIN.md defaults, per-firm overrides).

use crate::model::{Enterprise, Hours, Instance, Policy, Risk, Sector, Specialty, Tier};

/// The derived needs of one firm's visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// Specialties the crew must cover together.
    pub specialties: Vec<Specialty>,
    /// Tier the crew's highest-tier expert must reach.
    pub min_tier: Tier,
    /// Experts the crew must have at least.
    pub team_size: u32,
    /// Minutes on site.
    pub duration_min: u32,
    /// Opening hours.
    pub hours: Hours,
    /// Most inspections of any kind in a calendar year.
    pub annual_cap: u32,
}

/// Specialties a sector needs by default (DOMAIN.md).
///
/// Non-coal mines need `mining`; a mine that blasts needs `blasting` as well, which the
/// registry cannot tell, so planners add it with the `required_specialties` override.
pub fn sector_specialties(sector: Sector) -> &'static [Specialty] {
    use Specialty as S;
    match sector {
        Sector::HazardousChemicals => &[S::Process, S::Equipment, S::Electrical],
        Sector::Fireworks => &[S::Fireworks],
        Sector::NonCoalMining => &[S::Mining],
        Sector::Metallurgy => &[S::Metallurgy, S::Equipment],
        Sector::SpecialEquipment => &[S::SpecialEquipment],
        Sector::Construction => &[S::Construction],
        Sector::CrowdedVenue => &[S::FireSafety, S::Electrical],
        Sector::OccupationalHealth => &[S::OccupationalHealth],
        Sector::DangerousGoodsTransport => &[S::Transport, S::Process],
        Sector::CityGas => &[S::Gas, S::Equipment],
    }
}

/// The firm's primary specialty, which its team leader should hold: the first of the
/// override if given, else the sector's first (process for hazardous chemicals).
pub fn primary_specialty(firm: &Enterprise) -> Option<Specialty> {
    match &firm.required_specialties {
        Some(list) => list.first().copied(),
        None => sector_specialties(firm.sector).first().copied(),
    }
}

/// A hazardous-chemicals firm that runs a key process or has a major hazard source of
/// level 1–2: it needs safety management and a larger team by default (DOMAIN.md).
pub fn is_major_chemical(firm: &Enterprise) -> bool {
    firm.sector == Sector::HazardousChemicals
        && (!firm.processes.is_empty() || matches!(firm.major_hazard_level, 1 | 2))
}

/// The specialties a visit needs: the override if given, else the sector's, with safety
/// management for a major chemical firm when the policy asks for it and `max_team` has
/// room for it.
pub fn required_specialties(policy: &Policy, firm: &Enterprise) -> Vec<Specialty> {
    let mut specs = match &firm.required_specialties {
        Some(list) => list.clone(),
        None => {
            let mut specs = sector_specialties(firm.sector).to_vec();
            // Only where a crew can hold one expert a specialty: a bureau whose crews
            // have at most three experts keeps the sector's three (a team is at least as
            // large as its specialties, E1507).
            if policy.major_chemical_safety_management
                && is_major_chemical(firm)
                && specs.len() < policy.max_team as usize
            {
                specs.push(Specialty::SafetyManagement);
            }
            specs
        }
    };
    specs.sort();
    specs.dedup();
    specs
}

/// Tier of the lead: provincial for red firms, major hazard sources of level 1–2, or
/// any key process; otherwise city. The override wins.
pub fn min_tier(firm: &Enterprise) -> Tier {
    firm.min_tier.unwrap_or_else(|| {
        let demanding = firm.risk == Risk::Red
            || matches!(firm.major_hazard_level, 1 | 2)
            || !firm.processes.is_empty();
        if demanding {
            Tier::Provincial
        } else {
            Tier::City
        }
    })
}

/// Minutes on site: a full day (420) for chemical firms with a key process or a major
/// hazard source, 240 for other chemical, mining and metallurgy firms, 150 otherwise.
pub fn duration_min(firm: &Enterprise) -> u32 {
    firm.duration_min.unwrap_or(match firm.sector {
        Sector::HazardousChemicals if !firm.processes.is_empty() || firm.major_hazard_level > 0 => {
            420
        }
        Sector::HazardousChemicals | Sector::NonCoalMining | Sector::Metallurgy => 240,
        _ => 150,
    })
}

/// Most inspections a year (一省 2025): chemical and metallurgy firms by standardisation
/// grade 1/2/3/ungraded at 2/4/8/12, other firms at 1/2/4/6.
pub fn annual_cap(firm: &Enterprise) -> u32 {
    let strict = matches!(firm.sector, Sector::HazardousChemicals | Sector::Metallurgy);
    match (strict, firm.standardization) {
        (true, Some(1)) => 2,
        (true, Some(2)) => 4,
        (true, Some(3)) => 8,
        (true, _) => 12,
        (false, Some(1)) => 1,
        (false, Some(2)) => 2,
        (false, Some(3)) => 4,
        (false, _) => 6,
    }
}

/// Everything a visit to `firm` needs under the instance's policy.
pub fn derive(instance: &Instance, firm: &Enterprise) -> Requirement {
    let policy = &instance.policy;
    let specialties = required_specialties(policy, firm);
    // Capped at max_team: a bureau whose crews are smaller sends its largest crew.
    let default_team = if is_major_chemical(firm) {
        policy.major_chemical_team.min(policy.max_team)
    } else {
        0
    };
    let team_size = firm
        .team_size
        .unwrap_or(default_team)
        .max(specialties.len() as u32)
        .max(policy.min_team);
    Requirement {
        min_tier: min_tier(firm),
        team_size,
        duration_min: duration_min(firm),
        hours: instance.hours(firm),
        annual_cap: annual_cap(firm),
        specialties,
    }
}
