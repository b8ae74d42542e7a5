//! Rule 2: a crew is one officer and a team of experts at least as large as each of its
//! firms' team size and at most the policy's `max_team`.

use crate::context::Context;

/// Whether a team of `size` experts may visit due firm `d`.
pub fn size_fits(ctx: &Context<'_>, size: usize, d: usize) -> bool {
    size >= ctx.reqs[d].team_size as usize && size <= ctx.instance.policy.max_team as usize
}
