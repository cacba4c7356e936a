// Package synth generates a deterministic synthetic telecom subscriber base:
// a subscriber export (id, activation date, churn date, plan, customer type,
// region) and a transaction export (id, date, amount) shaped like the exports
// a telecom operator's billing system produces. It exists so that every
// command of the toolkit can be run, tested and benchmarked on realistic data
// without shipping real customer records.
//
// # Determinism
//
// All randomness comes from math/rand/v2 PCG streams derived from the seed:
// candidate subscriber k draws from its own stream (seed, k), so the same
// Options always give byte-identical output, and (for bases of more than 300
// subscribers, where key accounts sit at fixed positions) a base of N
// subscribers is a prefix of a larger base with the same seed, window and end.
//
// # Model
//
// The observation window is the Months calendar months ending with the month
// of End; transactions are dated inside the window and never after End.
//
//   - Plans: prepaid 45%, postpaid 33%, family 12%, business 10%. Business
//     customers are "sme" (80%) or "enterprise" (20%); every other customer
//     is a "consumer". About one subscriber in 600 (at least one) is a key
//     account: a business subscriber with customer type "key_account",
//     monthly bills in the tens of thousands and very low churn.
//   - Tenure heterogeneity: a candidate is activated either before the window
//     (uniformly in the 72 months before it) or inside it. Candidates that
//     churned before the window opened never reach the export and are
//     redrawn, so the stock activated before the window is survivor-biased
//     towards low churn, as in a real base.
//   - Churn (shifted-beta-geometric): subscriber i has a constant monthly churn
//     probability theta_i ~ Beta(a, b) with a plan-specific (a, b)
//     (mean a/(a+b): prepaid 0.059, postpaid 0.024, family 0.016, business
//     0.014, key account 0.004). Churn can happen from the month after
//     activation on; the churn date is a uniform day of the churn month (not
//     before activation). A churn date after End is left empty (active).
//   - Spend level: a log-normal monthly ARPU per subscriber (medians: prepaid
//     18, postpaid 42, family 85, sme 240, enterprise 900, key account 12000;
//     log-sd 0.45, 0.35 for key accounts), times 1.15 in the central region.
//   - Lifecycle shape: spend ramps up over the first three months after
//     activation (factors 0.55, 0.70, 0.85, then 1) and declines over the
//     three months before churn (0.85, 0.70, 0.55); a mild seasonality lifts
//     December (1.10) and July-August (1.04) and lowers January (0.95).
//   - Postpaid, family and business subscribers receive one bill a month on
//     their billing-cycle day (1, 5, 10, 15, 20 or 25); the first bill is
//     prorated by the days since activation, the last bill is dated on the
//     churn date and prorated by the days used. Bills carry log-normal noise
//     (log-sd 0.12, 0.20 for business) and, with probability 0.06, an
//     overage of 30-100%. About 0.4% of bills are followed by a credit note
//     (a negative amount between 2 and 25) a few days later.
//   - Prepaid subscribers top up irregularly: the number of top-ups in a month
//     is Poisson(lambda_i * f) with lambda_i ~ Gamma(shape 1.3, scale 1.4) per
//     month and f the lifecycle and seasonal factor, on uniform days of the
//     active part of the month; each top-up is a round voucher value
//     (5, 10, 15, 20, 30, 50 or 100) near ARPU / lambda_i.
//
// Amounts are rounded to cents. Transactions are ordered by date, then
// subscriber id, like a billing export; subscribers by id.
package synth
