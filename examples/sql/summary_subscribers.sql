-- Per-customer summary with a subscriber export, DuckDB dialect: the equivalent of
--   clv summarize -t TRANSACTIONS -s SUBSCRIBERS
-- (tested: examples/sql/duckcheck).
--
-- Same columns, order and definitions as summary.sql, with two differences that
-- come from the subscriber export:
--   * tenure_days counts from the activation date (or the first transaction, if
--     earlier or the subscriber is unknown);
--   * every subscriber activated by as_of has a row, also without transactions
--     in the window: empty first_date and last_date, zero counts and amounts,
--     recency_days = tenure_days = as_of - activation_date, x = 0, t_x = 0 and
--     T = (as_of - activation_date) / unit_days.
-- Customers with transactions keep T = (as_of - first_date) / unit_days: the
-- BTYD models start the clock at the first purchase.
--
-- Input: a table or view `transactions(customer_id VARCHAR, date DATE, amount DOUBLE)`
-- as for summary.sql, and a table or view `subscribers(customer_id VARCHAR,
-- activation_date DATE)` with one row per subscriber, e.g.
--   CREATE VIEW subscribers AS
--     SELECT subscriber_id::VARCHAR AS customer_id, activation_date::DATE AS activation_date
--     FROM read_csv('examples/telecom/subscribers.csv', types = {'subscriber_id': 'VARCHAR'});
--
-- Parameters, as for summary.sql (as_of defaults to the latest transaction date):
--   SET VARIABLE as_of = DATE '2024-06-30';
--   SET VARIABLE unit = 'month';
WITH params AS (
    SELECT
        COALESCE(CAST(getvariable('as_of') AS DATE),
                 (SELECT max(CAST(date AS DATE)) FROM transactions)) AS as_of,
        CASE lower(COALESCE(CAST(getvariable('unit') AS VARCHAR), 'day'))
            WHEN 'day' THEN CAST(1 AS DOUBLE)
            WHEN 'week' THEN CAST(7 AS DOUBLE)
            WHEN 'month' THEN CAST(365.25 AS DOUBLE) / 12
            ELSE error('unit must be day, week or month')
        END AS unit_days
),
days AS (                      -- one row per customer and transaction day
    SELECT t.customer_id,
           CAST(t.date AS DATE) AS d,
           count(*) AS n,
           sum(CAST(t.amount AS DOUBLE)) AS amount
    FROM transactions t, params p
    WHERE CAST(t.date AS DATE) <= p.as_of
    GROUP BY t.customer_id, CAST(t.date AS DATE)
),
customers AS (
    SELECT customer_id,
           min(d) AS first_date,
           max(d) AS last_date,
           sum(n) AS transactions,
           count(*) AS periods,
           sum(amount) AS total_amount,
           arg_min(amount, d) AS first_day_amount
    FROM days
    GROUP BY customer_id
),
joined AS (
    SELECT COALESCE(c.customer_id, s.customer_id) AS customer_id,
           c.first_date, c.last_date, c.transactions, c.periods, c.total_amount, c.first_day_amount,
           CAST(s.activation_date AS DATE) AS activation_date,
           -- the start of tenure: the activation date, or the first transaction if earlier
           CASE WHEN c.first_date IS NULL THEN CAST(s.activation_date AS DATE)
                WHEN s.activation_date IS NULL THEN c.first_date
                ELSE least(CAST(s.activation_date AS DATE), c.first_date)
           END AS start_date
    FROM customers c
    FULL OUTER JOIN subscribers s ON s.customer_id = c.customer_id
)
SELECT j.customer_id,
       j.first_date,
       j.last_date,
       CAST(COALESCE(j.transactions, 0) AS BIGINT) AS transactions,
       CAST(COALESCE(j.periods, 0) AS BIGINT) AS transaction_days,
       COALESCE(j.total_amount, 0.0) AS total_amount,
       COALESCE(j.total_amount / j.transactions, 0.0) AS mean_amount,
       CAST(p.as_of - COALESCE(j.last_date, j.start_date) AS BIGINT) AS recency_days,
       CAST(p.as_of - j.start_date AS BIGINT) AS tenure_days,
       CAST(COALESCE(j.periods - 1, 0) AS BIGINT) AS x,
       COALESCE((j.last_date - j.first_date) / p.unit_days, 0.0) AS t_x,
       (p.as_of - COALESCE(j.first_date, j.start_date)) / p.unit_days AS "T",
       CASE WHEN j.periods > 1
            THEN (j.total_amount - j.first_day_amount) / (j.periods - 1)
            ELSE 0.0
       END AS monetary,
       CAST(COALESCE(j.periods, 0) AS BIGINT) AS periods  -- deprecated copy of transaction_days, kept for one release
FROM joined j, params p
WHERE j.first_date IS NOT NULL          -- transacted in the window
   OR j.activation_date <= p.as_of      -- or subscribed by as_of
ORDER BY j.customer_id;
