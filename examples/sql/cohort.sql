-- Cohort table for clv, DuckDB dialect (tested: examples/sql/duckcheck).
--
-- Parameters (DuckDB variables; leave unset for the defaults):
--   SET VARIABLE as_of = '2024-12-31';     -- last day, inclusive (default: the latest date in the inputs)
--   SET VARIABLE period = 'month';         -- cohort and tenure period: month (default), quarter or year
--   SET VARIABLE observed_from = 'auto';   -- auto (default), none, or a date such as '2023-01-01'
--
-- Produces the columns of `clv cohort -t ... --by ...`, in its order (without --by,
-- clv prints no group column; here the whole base has group ''):
--   cohort, group, tenure, subscribers, active, survival, censored, revenue,
--   revenue_per_subscriber, arpu
--
-- Input: the subscribers and transactions of kpi.sql (grp NULL for no groups).
--
-- Definitions (as `clv cohort --help`): a cohort is the calendar period of the
-- activation date; the k-th anniversary of activation day a is a + k periods, the
-- day of month kept and clamped to the month's length (31 Jan + 1 month = 28/29 Feb),
-- so "whole months from a to d" is the month difference, minus 1 when d's day is
-- before min(a's day, d's month length). active = churn date empty or after the
-- k-th anniversary (churn dates after as_of are not known yet); censored = k-th
-- anniversary after as_of; revenue = amounts dated in [anniversary k-1, anniversary k)
-- (not after as_of); revenue_per_subscriber = cumulative revenue / subscribers;
-- arpu = revenue / members in service at the start of period k. A cohort has rows
-- up to the largest tenure any member reached by as_of. Cohorts that start before
-- the observation start (see kpi.sql) are left out; usable rows as in kpi.sql.
WITH valid AS (                -- rows with a usable activation and churn date
    SELECT customer_id, activation_date AS a, churn_date AS c,
           CASE WHEN grp = '' THEN '(blank)' ELSE grp END AS grp   -- NULL: no group
    FROM subscribers
    WHERE activation_date IS NOT NULL AND (churn_date IS NULL OR churn_date >= activation_date)
),
tx_bounds AS (
    SELECT min(CAST(t."date" AS DATE)) AS first_tx, max(CAST(t."date" AS DATE)) AS last_tx FROM transactions t
),
sub_bounds AS (                -- over every row of the export, as clv
    SELECT min(activation_date) AS first_activation, max(activation_date) AS last_activation,
           min(churn_date) AS first_churn, max(churn_date) AS last_churn, count(*) AS n
    FROM subscribers
),
params AS (
    SELECT CASE WHEN COALESCE(CAST(getvariable('as_of') AS VARCHAR), '') = ''
                THEN greatest(COALESCE(s.last_activation, DATE '0001-01-01'), COALESCE(s.last_churn, DATE '0001-01-01'),
                              COALESCE(t.last_tx, DATE '0001-01-01'))
                ELSE TRY_CAST(COALESCE(CAST(getvariable('as_of') AS VARCHAR), '') AS DATE) END AS as_of,
           CASE lower(COALESCE(CAST(getvariable('period') AS VARCHAR), 'month')) WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 END AS k,
           lower(COALESCE(CAST(getvariable('observed_from') AS VARCHAR), 'auto')) AS observed_from,
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
               WHEN p.observed_from <> 'auto' THEN TRY_CAST(p.observed_from AS DATE)
               -- activations before the first transaction and no churn before it
               WHEN p.first_tx IS NOT NULL THEN
                   CASE WHEN p.first_activation < p.first_tx AND NOT COALESCE(p.first_churn < p.first_tx, FALSE)
                             AND p.first_tx <= p.as_of THEN p.first_tx END
               -- without transactions: the month of the earliest churn, when over a fifth
               -- of the subscribers were activated more than a year before it
               WHEN p.first_churn IS NOT NULL AND date_diff('day', p.first_activation, p.first_churn) >= 366 AND 5 * e.n >= p.n
                   THEN p.churn_month
           END AS from_day
    FROM params p CROSS JOIN early e
),
subs AS (                      -- usable at as_of; churn dates after it are not known yet
    SELECT v.customer_id, v.a, CASE WHEN v.c <= p.as_of THEN v.c END AS c, v.grp,
           CAST(floor((year(v.a) * 12 + month(v.a) - 1) / p.k) AS BIGINT) AS pa
    FROM valid v CROSS JOIN params p
    WHERE v.a <= p.as_of AND (CASE WHEN p.k IS NOT NULL THEN TRUE ELSE error('period must be month, quarter or year') END)
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
cohorts AS (                   -- members of the reported cohorts, in the whole base and their group
    SELECT m.g, m.customer_id, m.a, m.pa AS co,
           CAST(floor(((year(b.as_of) - year(m.a)) * 12 + month(b.as_of) - month(m.a)
                 - CASE WHEN day(b.as_of) < least(day(m.a), day(last_day(b.as_of))) THEN 1 ELSE 0 END) / b.k) AS BIGINT) AS obs,
           CASE WHEN m.c IS NULL THEN b.last_p - b.first_p + 1
                WHEN m.c = m.a THEN 0
                ELSE least(b.last_p - b.first_p + 1,
                           CAST(floor(((year((m.c - 1)) - year(m.a)) * 12 + month((m.c - 1)) - month(m.a)
                                 - CASE WHEN day((m.c - 1)) < least(day(m.a), day(last_day((m.c - 1)))) THEN 1 ELSE 0 END) / b.k) AS BIGINT))
           END AS through
    FROM (SELECT '' AS g, s.customer_id, s.a, s.c, s.pa FROM subs s
          UNION ALL
          SELECT s.grp AS g, s.customer_id, s.a, s.c, s.pa FROM subs s WHERE s.grp IS NOT NULL) m
    CROSS JOIN bounds b
    WHERE m.a >= b.s0
),
sizes AS (
    SELECT g, co, count(*) AS subscribers, max(obs) AS tenures FROM cohorts GROUP BY g, co
),
active_hist AS (               -- members active through exactly `through` tenures
    SELECT g, co, through, count(*) AS n FROM cohorts GROUP BY g, co, through
),
observed_hist AS (             -- members with exactly `obs` anniversaries by as_of
    SELECT g, co, obs, count(*) AS n FROM cohorts GROUP BY g, co, obs
),
cells AS (
    SELECT z.g, z.co, r.k, z.subscribers
    FROM sizes z
    CROSS JOIN (SELECT unnest(range(1, w.last_p - w.first_p + 1 + 1)) AS k FROM window_ w) r
    WHERE r.k <= z.tenures
),
active_ AS (
    SELECT c.g, c.co, c.k, sum(CASE WHEN h.through >= c.k THEN h.n ELSE 0 END) AS active
    FROM cells c JOIN active_hist h ON h.g = c.g AND h.co = c.co
    GROUP BY c.g, c.co, c.k
),
censored_ AS (
    SELECT c.g, c.co, c.k, sum(CASE WHEN h.obs < c.k THEN h.n ELSE 0 END) AS censored
    FROM cells c JOIN observed_hist h ON h.g = c.g AND h.co = c.co
    GROUP BY c.g, c.co, c.k
),
tenure_revenue AS (            -- members' amounts by tenure period
    SELECT m.g, m.co,
           CAST(floor(((year(CAST(t."date" AS DATE)) - year(m.a)) * 12 + month(CAST(t."date" AS DATE)) - month(m.a)
                 - CASE WHEN day(CAST(t."date" AS DATE)) < least(day(m.a), day(last_day(CAST(t."date" AS DATE)))) THEN 1 ELSE 0 END) / b.k) AS BIGINT) + 1 AS k,
           sum(CAST(t.amount AS DOUBLE)) AS revenue
    FROM transactions t
    JOIN cohorts m ON m.customer_id = t.customer_id
    CROSS JOIN bounds b
    WHERE CAST(t."date" AS DATE) >= m.a AND CAST(t."date" AS DATE) <= b.as_of
    GROUP BY m.g, m.co,
           CAST(floor(((year(CAST(t."date" AS DATE)) - year(m.a)) * 12 + month(CAST(t."date" AS DATE)) - month(m.a)
                 - CASE WHEN day(CAST(t."date" AS DATE)) < least(day(m.a), day(last_day(CAST(t."date" AS DATE)))) THEN 1 ELSE 0 END) / b.k) AS BIGINT) + 1
),
table_ AS (
    SELECT c.g, c.co, c.k, c.subscribers, a.active, x.censored, COALESCE(r.revenue, 0) AS revenue
    FROM cells c
    JOIN active_ a ON a.g = c.g AND a.co = c.co AND a.k = c.k
    JOIN censored_ x ON x.g = c.g AND x.co = c.co AND x.k = c.k
    LEFT JOIN tenure_revenue r ON r.g = c.g AND r.co = c.co AND r.k = c.k
)
SELECT CAST(concat(CAST(CAST(floor(t.co * b.k / 12) AS BIGINT) AS STRING), '-',
                   lpad(CAST(CAST(t.co * b.k % 12 + 1 AS BIGINT) AS STRING), 2, '0'), '-01') AS DATE) AS cohort,
       t.g AS "group",
       CAST(t.k AS BIGINT) AS tenure,
       CAST(t.subscribers AS BIGINT) AS subscribers,
       CAST(t.active AS BIGINT) AS active,
       t.active / CAST(t.subscribers AS DOUBLE) AS survival,
       CAST(t.censored AS BIGINT) AS censored,
       CAST(t.revenue AS DOUBLE) AS revenue,
       sum(t.revenue) OVER (PARTITION BY t.g, t.co ORDER BY t.k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
           / CAST(t.subscribers AS DOUBLE) AS revenue_per_subscriber,
       COALESCE(t.revenue / NULLIF(CAST(lag(t.active, 1, t.subscribers) OVER (PARTITION BY t.g, t.co ORDER BY t.k) AS DOUBLE), 0), 0) AS arpu,
       t.active / CAST(t.subscribers AS DOUBLE) AS retention  -- deprecated copy of survival, kept for one release
FROM table_ t
CROSS JOIN bounds b
ORDER BY "group", cohort, tenure;
