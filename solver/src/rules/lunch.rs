//! Workable days: a crew whose day spans the policy's lunch window takes its break inside
//! the window (`policy.lunch_break`: 60 minutes within 11:30–13:30 by default), unless it
//! can eat at its base, i.e. it leaves `minutes` after the window opens or later, or is
//! back `minutes` before it closes or sooner.
//!
//! The break is one stretch of `minutes`, never taken while driving: at a firm before
//! driving on, on arrival before the check, or during a check, which then ends that much
//! later (the experts stop work; the firm's hours must still hold the longer check).
//! [`crate::rules::timing`] times a day with the break where it brings the crew back
//! soonest; the bound's pricer extends routes by the same steps.

use crate::context::Context;

/// The lunch window of the policy, minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lunch {
    /// The window opens.
    pub from: u32,
    /// The window closes.
    pub until: u32,
    /// Minutes of rest.
    pub minutes: u32,
}

/// The policy's lunch break, `None` when it has none (`minutes` 0).
pub fn of(ctx: &Context<'_>) -> Option<Lunch> {
    let policy = ctx.instance.policy.lunch_break;
    (policy.minutes > 0).then_some(Lunch {
        from: policy.from.minutes(),
        until: policy.until.minutes(),
        minutes: policy.minutes,
    })
}

impl Lunch {
    /// Whether a crew out of its base from `depart` to `back` must break on the road:
    /// the window leaves no `minutes` at the base before it leaves or after it is back.
    pub fn needed(&self, depart: u32, back: u32) -> bool {
        depart < self.from + self.minutes && back + self.minutes > self.until
    }

    /// The earliest start of a break for a crew free from `ready`, or `None` when the
    /// break would then end after the window.
    pub fn earliest(&self, ready: u32) -> Option<u32> {
        let start = ready.max(self.from);
        (start + self.minutes <= self.until).then_some(start)
    }

    /// When a crew that eats at its base before leaving may leave at the earliest.
    pub fn after_eating_at_base(&self, day_start: u32) -> u32 {
        day_start.max(self.from + self.minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOON: Lunch = Lunch {
        from: 690,
        until: 810,
        minutes: 60,
    };

    #[test]
    fn a_crew_breaks_on_the_road_only_when_it_cannot_eat_at_its_base() {
        // Out 08:00–17:00: the whole window is on the road.
        assert!(NOON.needed(480, 1020));
        // Leaves at 12:30 (ate 11:30–12:30 at the base) or is back by 12:30.
        assert!(!NOON.needed(750, 1020));
        assert!(!NOON.needed(480, 750));
        // Leaves at 12:29 or is back at 12:31: no full hour at the base.
        assert!(NOON.needed(749, 1020));
        assert!(NOON.needed(480, 751));
    }

    #[test]
    fn a_break_starts_when_the_crew_is_free_and_inside_the_window() {
        assert_eq!(NOON.earliest(600), Some(690));
        assert_eq!(NOON.earliest(700), Some(700));
        assert_eq!(NOON.earliest(750), Some(750));
        assert_eq!(NOON.earliest(751), None);
        assert_eq!(NOON.after_eating_at_base(480), 750);
    }
}
