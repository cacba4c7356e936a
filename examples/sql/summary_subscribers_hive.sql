-- Per-customer summary with a subscriber export, HiveQL dialect (Hive 2.x or
-- later): the equivalent of clv summarize -t TRANSACTIONS -s SUBSCRIBERS.
--
-- Same as summary_hive.sql (columns, parameters, definitions), plus a table or
-- view `subscribers(customer_id STRING, activation_date DATE)` with one row per
-- subscriber. tenure_days counts from the activation date (or the first
-- transaction, if earlier), and every subscriber activated by as_of has a row,
-- also without transactions in the window: empty first_date and last_date, zero
-- counts and amounts, recency_days = tenure_days, x = 0, t_x = 0 and
-- T = (as_of - activation_date) / unit_days. Customers with transactions keep
-- T = (as_of - first_date) / unit_days.
--
-- Parameters (Hive variables, both must be set, as_of may be empty for the latest date):
--   hive --hivevar as_of=2024-06-30 --hivevar unit=month -f summary_subscribers_hive.sql
--
-- examples/sql/duckcheck runs this file's logic in DuckDB, with the dialect
-- differences translated, against clv summarize -s.
WITH bounds AS (
    SELECT max(CAST(`date` AS DATE)) AS max_date
    FROM transactions
),
params AS (
    SELECT
        CASE WHEN '${hivevar:as_of}' = '' THEN b.max_date ELSE CAST('${hivevar:as_of}' AS DATE) END AS as_of,
        CASE lower('${hivevar:unit}')
            WHEN 'day' THEN CAST(1 AS DOUBLE)
            WHEN 'week' THEN CAST(7 AS DOUBLE)
            WHEN 'month' THEN CAST(365.25 AS DOUBLE) / 12
        END AS unit_days
    FROM bounds b
),
days AS (                      -- one row per customer and transaction day
    SELECT t.customer_id,
           CAST(t.`date` AS DATE) AS d,
           count(*) AS n,
           sum(CAST(t.amount AS DOUBLE)) AS amount
    FROM transactions t
    CROSS JOIN params p
    WHERE CAST(t.`date` AS DATE) <= p.as_of
      AND assert_true(p.unit_days IS NOT NULL) IS NULL   -- fails unless unit is day, week or month
    GROUP BY t.customer_id, CAST(t.`date` AS DATE)
),
ranked AS (
    SELECT customer_id, d, n, amount,
           min(d) OVER (PARTITION BY customer_id) AS first_d
    FROM days
),
customers AS (
    SELECT customer_id,
           min(d) AS first_date,
           max(d) AS last_date,
           sum(n) AS transactions,
           count(*) AS periods,
           sum(amount) AS total_amount,
           sum(CASE WHEN d = first_d THEN amount ELSE CAST(0 AS DOUBLE) END) AS first_day_amount
    FROM ranked
    GROUP BY customer_id
),
joined AS (
    SELECT COALESCE(c.customer_id, s.customer_id) AS customer_id,
           c.first_date, c.last_date, c.transactions, c.periods, c.total_amount, c.first_day_amount,
           CAST(s.activation_date AS DATE) AS activation_date,
           -- the start of tenure: the activation date, or the first transaction if earlier
           CASE WHEN c.first_date IS NULL THEN CAST(s.activation_date AS DATE)
                WHEN s.activation_date IS NULL THEN c.first_date
                WHEN CAST(s.activation_date AS DATE) < c.first_date THEN CAST(s.activation_date AS DATE)
                ELSE c.first_date
           END AS start_date,
           -- recency counts from the last transaction, or the activation without one
           COALESCE(c.last_date, CAST(s.activation_date AS DATE)) AS recency_from,
           -- the model clock (T) starts at the first transaction, or the activation without one
           COALESCE(c.first_date, CAST(s.activation_date AS DATE)) AS clock_start
    FROM customers c
    FULL OUTER JOIN subscribers s ON s.customer_id = c.customer_id
)
SELECT j.customer_id,
       j.first_date,
       j.last_date,
       CAST(COALESCE(j.transactions, 0) AS BIGINT) AS transactions,
       CAST(COALESCE(j.periods, 0) AS BIGINT) AS transaction_days,
       COALESCE(j.total_amount, CAST(0 AS DOUBLE)) AS total_amount,
       COALESCE(j.total_amount / j.transactions, CAST(0 AS DOUBLE)) AS mean_amount,
       CAST(datediff(p.as_of, j.recency_from) AS BIGINT) AS recency_days,
       CAST(datediff(p.as_of, j.start_date) AS BIGINT) AS tenure_days,
       CAST(COALESCE(j.periods - 1, 0) AS BIGINT) AS x,
       COALESCE(datediff(j.last_date, j.first_date) / p.unit_days, CAST(0 AS DOUBLE)) AS t_x,
       datediff(p.as_of, j.clock_start) / p.unit_days AS `T`,
       CASE WHEN j.periods > 1
            THEN (j.total_amount - j.first_day_amount) / (j.periods - 1)
            ELSE CAST(0 AS DOUBLE)
       END AS monetary,
       CAST(COALESCE(j.periods, 0) AS BIGINT) AS periods  -- deprecated copy of transaction_days, kept for one release
FROM joined j
CROSS JOIN params p
WHERE j.first_date IS NOT NULL               -- transacted in the window
   OR j.activation_date <= p.as_of           -- or subscribed by as_of
-- No ORDER BY: a global sort runs on one reducer, and clv does not need sorted input.
;
