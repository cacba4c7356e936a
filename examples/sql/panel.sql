-- Customer x period spend panel for clv, DuckDB dialect (tested: examples/sql/duckcheck).
--
-- Parameters (DuckDB variables; leave unset for the defaults):
--   SET VARIABLE as_of = '2024-12-31';   -- last day, inclusive (default: the latest transaction)
--   SET VARIABLE from_date = '2023-01-01';    -- first day (default: the earliest transaction)
--   SET VARIABLE period = 'month';       -- month (default), quarter or year
--
-- Produces exactly the columns of `clv panel`, in its order:
--   customer_id, period, amount, transactions
-- one row per customer and calendar period with at least one transaction between
-- from_date and as_of (both inclusive): period = first day of the period, amount = sum
-- of the amounts, transactions = rows. This is the aggregate behind the lifecycle,
-- Markov and segment analyses; on billions of billing rows, run it where the data
-- lives and keep the result (Parquet or CSV).
--
-- Input: transactions(customer_id STRING, date DATE, amount DOUBLE).
WITH tx_bounds AS (
    SELECT min(CAST(t."date" AS DATE)) AS first_tx, max(CAST(t."date" AS DATE)) AS last_tx FROM transactions t
),
params AS (
    SELECT CASE WHEN COALESCE(CAST(getvariable('as_of') AS VARCHAR), '') = '' THEN b.last_tx ELSE TRY_CAST(COALESCE(CAST(getvariable('as_of') AS VARCHAR), '') AS DATE) END AS as_of,
           CASE WHEN COALESCE(CAST(getvariable('from_date') AS VARCHAR), '') = '' THEN b.first_tx ELSE TRY_CAST(COALESCE(CAST(getvariable('from_date') AS VARCHAR), '') AS DATE) END AS from_day,
           CASE lower(COALESCE(CAST(getvariable('period') AS VARCHAR), 'month')) WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 END AS k
    FROM tx_bounds b
),
cells AS (
    SELECT t.customer_id,
           CAST(floor((year(CAST(t."date" AS DATE)) * 12 + month(CAST(t."date" AS DATE)) - 1) / p.k) AS BIGINT) AS pi,
           p.k,
           sum(CAST(t.amount AS DOUBLE)) AS amount,
           count(*) AS transactions
    FROM transactions t
    CROSS JOIN params p
    WHERE CAST(t."date" AS DATE) >= p.from_day AND CAST(t."date" AS DATE) <= p.as_of
      AND (CASE WHEN p.k IS NOT NULL THEN TRUE ELSE error('period must be month, quarter or year') END)
    GROUP BY t.customer_id, CAST(floor((year(CAST(t."date" AS DATE)) * 12 + month(CAST(t."date" AS DATE)) - 1) / p.k) AS BIGINT), p.k
)
SELECT customer_id,
       CAST(concat(CAST(CAST(floor(pi * k / 12) AS BIGINT) AS STRING), '-',
                   lpad(CAST(CAST(pi * k % 12 + 1 AS BIGINT) AS STRING), 2, '0'), '-01') AS DATE) AS period,
       amount,
       CAST(transactions AS BIGINT) AS transactions
FROM cells
ORDER BY customer_id, period;
