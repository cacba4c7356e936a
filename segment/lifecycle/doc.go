// Package lifecycle assigns customers to the states of a Markov chain from a
// customer × period panel (clv/dataset.Panel), estimates the chain from every
// consecutive pair of periods, and derives per-state rewards from the spend
// observed in each state. It is the customer-facing layer over package markov,
// which knows nothing about customers.
//
// Three state schemes are offered:
//
//   - Recency: periods since the last purchase, "0" (bought in the period),
//     "1", ..., "k−1", and "lapsed" (k or more periods without a purchase).
//     This is the recency chain of Pfeifer & Carraway (2000). A customer
//     enters the chain in the period of the first purchase (or of
//     activation, when a subscriber export gives one; a subscriber who never
//     bought counts periods from activation). After a recorded churn the
//     customer is "lapsed". No state is absorbing: lapsed customers may come
//     back; "expected periods until churn" are first-passage times into
//     "lapsed".
//   - Stages: the five lifecycle stages acquisition, growth, maturity,
//     decline, churned, assigned by segment.StageRules (the same rules as the
//     segment report; see package segment for the exact thresholds). Churned
//     is absorbing by definition: its row of P is fixed to a self-loop, while
//     the observed win-backs stay visible in the counts.
//   - Value: spend tiers plus "inactive" and "churned". A period with spend
//     is put in a tier by the quantiles of all positive customer-period
//     spends in the window (tier cut points c₁ < … < c_{k−1} are the
//     lower i/k sample quantiles; a spend s is in tier 1 + #{cᵢ < s}).
//     Quantiles that coincide, or equal the largest spend, give no cut, so
//     skewed or lumpy spend can yield fewer than k tiers. A
//     period without spend is "inactive", or "churned" once LapsePeriods
//     periods have passed without a purchase or after a recorded churn.
//     Churned is absorbing as in Stages.
//
// With a subscriber export, a customer's relationship starts at activation.
// Activation before the panel counts toward tenure (so a long-standing
// subscriber is not "acquisition" in the first column), but the purchase
// history before the panel is unknown: until the first purchase in the panel,
// periods since purchase are counted from the panel's first column.
//
// A purchase is a period with positive spend (as in package segment), so a
// customer whose only transactions have zero or negative amounts never
// enters the chain.
//
// Transitions are counted over all consecutive periods in which the customer
// has a state. A period that is not complete at the as-of date (the last
// column of a panel whose AsOf is not the period's last day) is dropped, so a
// half-observed month does not read as a drop in spend.
//
// Rewards: the reward of state i is
//
//	R[i] = MarginRate × (mean spend per customer-period observed in state i) − Cost[i]
//
// (for the absorbing churned state of Stages and Value, R = −Cost: the chain
// never leaves it, so spend seen there would otherwise be earned forever),
// and the value of a customer in state i is markov's discounted value
// Σ_{t=0..T} [(1+d)⁻¹ P]ᵗ R (or its infinite-horizon limit).
package lifecycle
