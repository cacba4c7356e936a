-- Base movement per period for clv, HiveQL dialect (Hive 2 or later).
--
-- Parameters: hive --hivevar as_of= --hivevar period=month --hivevar observed_from=auto -f kpi_hive.sql
--   as_of          last day, inclusive (empty: the latest date in the inputs)
--   period         month, quarter or year
--   observed_from  auto, none, or a date such as 2023-01-01
-- The logic matches kpi.sql (DuckDB); examples/sql/duckcheck runs this file's
-- logic in DuckDB, with the dialect differences translated, against clv.
--
-- Produces exactly the columns of `clv kpi -t ...`, in its order:
--   period, group, opening_base, gross_adds, churners, net_adds, closing_base,
--   churn_rate, revenue, arpu, arppu, paying_share, new_arpu, paying_subscribers
-- one row per period for the whole base (group '') and, with grp, per group.
--
-- Input:
--   subscribers(customer_id STRING, activation_date DATE, churn_date DATE, grp STRING)
--     grp is the group of `clv kpi --by` (e.g. plan, or concat(plan, '/', region));
--     NULL everywhere for the whole base only; '' becomes '(blank)'. Ids must be
--     unique, as clv requires.
--   transactions(customer_id STRING, date DATE, amount DOUBLE)
--     (an empty table for the base movement without revenue).
--
-- Definitions (as `clv kpi --help`): the churn date is the first day without service;
-- rows with a churn date before the activation date, subscribers activated after
-- as_of and churn dates after as_of are left out (not known yet), as are
-- transactions after as_of and of customers who are not (usable) subscribers. For
-- a period [s, e] (e = as_of in a partial last period): opening_base = activated
-- before s, churn empty or >= s; gross_adds = activation in [s, e]; churners =
-- churn in [s, e]; closing_base = opening_base + gross_adds - churners; churn_rate,
-- arpu and paying_share divide by the average of opening and closing base; arppu
-- divides by paying_subscribers (amounts in the period summing to more than 0);
-- new_arpu = revenue of the period's gross adds / gross_adds; a ratio with a zero
-- denominator is 0. The first period is that of the earliest activation, or, with
-- an observation start, the first period starting on or after it. observed_from =
-- auto, as every clv command: when subscribers were activated before the first
-- transaction date and none churned before it, that date is the observation start
-- (a left-truncated export); without transactions, the start of the month of the
-- earliest churn, when over a fifth of the subscribers were activated over a year
-- before it.
WITH valid AS (                -- rows with a usable activation and churn date
    SELECT customer_id, activation_date AS a, churn_date AS c,
           CASE WHEN grp = '' THEN '(blank)' ELSE grp END AS grp   -- NULL: no group
    FROM subscribers
    WHERE activation_date IS NOT NULL AND (churn_date IS NULL OR churn_date >= activation_date)
),
tx_bounds AS (
    SELECT min(CAST(t.`date` AS DATE)) AS first_tx, max(CAST(t.`date` AS DATE)) AS last_tx FROM transactions t
),
sub_bounds AS (                -- over every row of the export, as clv
    SELECT min(activation_date) AS first_activation, max(activation_date) AS last_activation,
           min(churn_date) AS first_churn, max(churn_date) AS last_churn, count(*) AS n
    FROM subscribers
),
params AS (
    SELECT CASE WHEN '${hivevar:as_of}' = ''
                THEN greatest(COALESCE(s.last_activation, DATE '0001-01-01'), COALESCE(s.last_churn, DATE '0001-01-01'),
                              COALESCE(t.last_tx, DATE '0001-01-01'))
                ELSE CAST('${hivevar:as_of}' AS DATE) END AS as_of,
           CASE lower('${hivevar:period}') WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 END AS k,
           lower('${hivevar:observed_from}') AS observed_from,
           t.first_tx, s.first_activation, s.first_churn, s.n,
           CAST(concat(CAST(year(s.first_churn) AS STRING), '-', lpad(CAST(month(s.first_churn) AS STRING), 2, '0'), '-01') AS DATE)
               AS churn_month   -- start of the month of the earliest churn
    FROM tx_bounds t CROSS JOIN sub_bounds s
),
early AS (                     -- subscribers activated before that month
    SELECT count(*) AS n FROM subscribers x CROSS JOIN params p WHERE x.activation_date < p.churn_month
),
start_day AS (                 -- the observation start (the rule of every clv command), or NULL
    SELECT CASE
               WHEN p.observed_from = 'none' THEN CAST(NULL AS DATE)
               WHEN p.observed_from <> 'auto' THEN CAST(p.observed_from AS DATE)
               -- activations before the first transaction and no churn before it
               WHEN p.first_tx IS NOT NULL THEN
                   CASE WHEN p.first_activation < p.first_tx AND NOT COALESCE(p.first_churn < p.first_tx, FALSE)
                             AND p.first_tx <= p.as_of THEN p.first_tx END
               -- without transactions: the month of the earliest churn, when over a fifth
               -- of the subscribers were activated more than a year before it
               WHEN p.first_churn IS NOT NULL AND datediff(p.first_churn, p.first_activation) >= 366 AND 5 * e.n >= p.n
                   THEN p.churn_month
           END AS from_day
    FROM params p CROSS JOIN early e
),
subs AS (                      -- usable at as_of; churn dates after it are not known yet
    SELECT v.customer_id, v.a, CASE WHEN v.c <= p.as_of THEN v.c END AS c, v.grp,
           CAST(floor((year(v.a) * 12 + month(v.a) - 1) / p.k) AS BIGINT) AS pa
    FROM valid v CROSS JOIN params p
    WHERE v.a <= p.as_of AND (assert_true(p.k IS NOT NULL) IS NULL)
),
first_activation AS (
    SELECT min(pa) AS pa FROM subs
),
window_ AS (                   -- first and last reported period index
    SELECT CASE WHEN s.from_day IS NULL THEN f.pa
                ELSE greatest(f.pa,
                              CAST(floor((year(s.from_day) * 12 + month(s.from_day) - 1) / p.k) AS BIGINT)
                              + CASE WHEN day(s.from_day) = 1 AND (month(s.from_day) - 1) % p.k = 0 THEN 0 ELSE 1 END)
           END AS first_p,
           CAST(floor((year(p.as_of) * 12 + month(p.as_of) - 1) / p.k) AS BIGINT) AS last_p,
           p.k, p.as_of
    FROM first_activation f CROSS JOIN params p CROSS JOIN start_day s
),
bounds AS (                    -- the first reported day
    SELECT w.first_p, w.last_p, w.k, w.as_of,
           CAST(concat(CAST(CAST(floor(w.first_p * w.k / 12) AS BIGINT) AS STRING), '-',
                       lpad(CAST(CAST(w.first_p * w.k % 12 + 1 AS BIGINT) AS STRING), 2, '0'), '-01') AS DATE) AS s0
    FROM window_ w
),
periods AS (
    SELECT r.pi,
           CAST(concat(CAST(CAST(floor(r.pi * b.k / 12) AS BIGINT) AS STRING), '-',
                       lpad(CAST(CAST(r.pi * b.k % 12 + 1 AS BIGINT) AS STRING), 2, '0'), '-01') AS DATE) AS period_start
    FROM (SELECT w.first_p + sq.pos AS pi FROM window_ w LATERAL VIEW posexplode(split(space(CAST(w.last_p - w.first_p AS INT)), ' ')) sq AS pos, val) r CROSS JOIN bounds b
),
groups_ AS (
    SELECT '' AS g FROM bounds
    UNION ALL
    SELECT DISTINCT CASE WHEN grp = '' THEN '(blank)' ELSE grp END AS g FROM subscribers WHERE grp IS NOT NULL
),
members AS (                   -- every subscriber in the whole base and in its group
    SELECT '' AS g, s.customer_id, s.a, s.c, s.pa FROM subs s
    UNION ALL
    SELECT s.grp AS g, s.customer_id, s.a, s.c, s.pa FROM subs s WHERE s.grp IS NOT NULL
),
opening0 AS (
    SELECT m.g, count(*) AS n
    FROM members m CROSS JOIN bounds b
    WHERE m.a < b.s0 AND (m.c IS NULL OR m.c >= b.s0)
    GROUP BY m.g
),
adds AS (
    SELECT m.g, m.pa AS pi, count(*) AS n
    FROM members m CROSS JOIN bounds b
    WHERE m.a >= b.s0
    GROUP BY m.g, m.pa
),
churns AS (
    SELECT m.g, CAST(floor((year(m.c) * 12 + month(m.c) - 1) / b.k) AS BIGINT) AS pi, count(*) AS n
    FROM members m CROSS JOIN bounds b
    WHERE m.c >= b.s0
    GROUP BY m.g, CAST(floor((year(m.c) * 12 + month(m.c) - 1) / b.k) AS BIGINT)
),
spend AS (                     -- per group, period and customer
    SELECT m.g, CAST(floor((year(CAST(t.`date` AS DATE)) * 12 + month(CAST(t.`date` AS DATE)) - 1) / b.k) AS BIGINT) AS pi,
           m.customer_id, m.pa, sum(CAST(t.amount AS DOUBLE)) AS amount
    FROM transactions t
    JOIN members m ON m.customer_id = t.customer_id
    CROSS JOIN bounds b
    WHERE CAST(t.`date` AS DATE) >= b.s0 AND CAST(t.`date` AS DATE) <= b.as_of
    GROUP BY m.g, CAST(floor((year(CAST(t.`date` AS DATE)) * 12 + month(CAST(t.`date` AS DATE)) - 1) / b.k) AS BIGINT),
             m.customer_id, m.pa
),
revenue AS (
    SELECT g, pi, sum(amount) AS revenue,
           sum(CASE WHEN pa = pi THEN amount ELSE 0 END) AS new_revenue,
           sum(CASE WHEN amount > 0 THEN 1 ELSE 0 END) AS payers
    FROM spend
    GROUP BY g, pi
),
movement AS (
    SELECT gr.g, pe.pi, pe.period_start,
           COALESCE(o.n, 0) AS opening0,
           COALESCE(ad.n, 0) AS gross_adds,
           COALESCE(ch.n, 0) AS churners,
           COALESCE(r.revenue, 0) AS revenue,
           COALESCE(r.new_revenue, 0) AS new_revenue,
           COALESCE(r.payers, 0) AS payers
    FROM groups_ gr
    CROSS JOIN periods pe
    LEFT JOIN opening0 o ON o.g = gr.g
    LEFT JOIN adds ad ON ad.g = gr.g AND ad.pi = pe.pi
    LEFT JOIN churns ch ON ch.g = gr.g AND ch.pi = pe.pi
    LEFT JOIN revenue r ON r.g = gr.g AND r.pi = pe.pi
),
based AS (
    SELECT g, pi, period_start, gross_adds, churners, revenue, new_revenue, payers,
           opening0 + COALESCE(sum(gross_adds - churners) OVER (PARTITION BY g ORDER BY pi
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS opening_base
    FROM movement
)
SELECT period_start AS period,
       g AS `group`,
       CAST(opening_base AS BIGINT) AS opening_base,
       CAST(gross_adds AS BIGINT) AS gross_adds,
       CAST(churners AS BIGINT) AS churners,
       CAST(gross_adds - churners AS BIGINT) AS net_adds,
       CAST(opening_base + gross_adds - churners AS BIGINT) AS closing_base,
       COALESCE(churners / NULLIF((2 * opening_base + gross_adds - churners) / CAST(2 AS DOUBLE), 0), 0) AS churn_rate,
       CAST(revenue AS DOUBLE) AS revenue,
       COALESCE(revenue / NULLIF((2 * opening_base + gross_adds - churners) / CAST(2 AS DOUBLE), 0), 0) AS arpu,
       COALESCE(revenue / NULLIF(payers, 0), 0) AS arppu,
       COALESCE(payers / NULLIF((2 * opening_base + gross_adds - churners) / CAST(2 AS DOUBLE), 0), 0) AS paying_share,
       COALESCE(new_revenue / NULLIF(gross_adds, 0), 0) AS new_arpu,
       CAST(payers AS BIGINT) AS paying_subscribers
FROM based
ORDER BY `group`, period;
