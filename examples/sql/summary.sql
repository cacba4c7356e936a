-- Per-customer summary for clv, DuckDB dialect (tested: examples/sql/duckcheck).
--
-- Produces exactly the columns of `clv summarize`, in its order, so the result
-- can be saved as CSV or Parquet and read back with `clv <model> --summary FILE`:
--
--   customer_id, first_date, last_date, transactions, transaction_days, total_amount,
--   mean_amount, recency_days, tenure_days, x, t_x, T, monetary, periods (deprecated copy
--   of transaction_days, kept for one release)
--
-- Input: a table or view named `transactions` with columns
--   customer_id VARCHAR, date DATE, amount DOUBLE
-- for example (keep ids as text so leading zeros survive):
--   CREATE VIEW transactions AS
--     SELECT customer_id::VARCHAR AS customer_id, date::DATE AS date, amount::DOUBLE AS amount
--     FROM read_csv('examples/cdnow/cdnow_sample.csv', types = {'customer_id': 'VARCHAR'});
--
-- Parameters (DuckDB variables; leave unset for the defaults):
--   SET VARIABLE as_of = DATE '1997-09-30';  -- last day of the window, inclusive (default: latest date)
--   SET VARIABLE unit = 'week';              -- day (default), week, or month (= 365.25/12 days)
--
-- Definitions (Fader-Hardie / BTYD convention, as in clv):
--   rows after as_of are left out;
--   transactions = rows; transaction_days = distinct transaction days;
--   mean_amount = total_amount / transactions;
--   recency_days = as_of - last_date; tenure_days = as_of - first_date (days);
--   transactions on the same day are merged (amounts summed);
--   x = periods - 1 (repeat transaction days);
--   t_x = (last_date - first_date) / unit_days; T = (as_of - first_date) / unit_days;
--   monetary = mean amount of the repeat days (first day excluded), 0 when x = 0.
--
-- Run: duckdb -c "CREATE VIEW ...; SET VARIABLE unit = 'week'; .read examples/sql/summary.sql"
-- or COPY (<this query>) TO 'summary.parquet' for a file clv reads with --summary.
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
)
SELECT c.customer_id,
       c.first_date,
       c.last_date,
       CAST(c.transactions AS BIGINT) AS transactions,
       CAST(c.periods AS BIGINT) AS transaction_days,
       c.total_amount,
       c.total_amount / c.transactions AS mean_amount,
       CAST(p.as_of - c.last_date AS BIGINT) AS recency_days,
       CAST(p.as_of - c.first_date AS BIGINT) AS tenure_days,
       CAST(c.periods - 1 AS BIGINT) AS x,
       (c.last_date - c.first_date) / p.unit_days AS t_x,
       (p.as_of - c.first_date) / p.unit_days AS "T",
       CASE WHEN c.periods > 1
            THEN (c.total_amount - c.first_day_amount) / (c.periods - 1)
            ELSE 0.0
       END AS monetary,
       CAST(c.periods AS BIGINT) AS periods  -- deprecated copy of transaction_days, kept for one release
FROM customers c, params p
ORDER BY c.customer_id;
