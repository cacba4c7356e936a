-- Customer x period spend panel for clv, Spark SQL dialect (Spark 2.4 or later).
--
-- Parameters (variable substitution); all three must be set (as_of and from may be empty):
--   SET as_of=   SET from_date=   SET period=month
-- or: spark-sql --hivevar as_of= --hivevar from_date= --hivevar period=month -f panel_spark.sql
-- The logic matches panel.sql (DuckDB); examples/sql/duckcheck runs this file's
-- logic in DuckDB, with the dialect differences translated, against clv.
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
    SELECT min(CAST(t.`date` AS DATE)) AS first_tx, max(CAST(t.`date` AS DATE)) AS last_tx FROM transactions t
),
params AS (
    SELECT CASE WHEN '${as_of}' = '' THEN b.last_tx ELSE CAST('${as_of}' AS DATE) END AS as_of,
           CASE WHEN '${from_date}' = '' THEN b.first_tx ELSE CAST('${from_date}' AS DATE) END AS from_day,
           CASE lower('${period}') WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 END AS k
    FROM tx_bounds b
),
cells AS (
    SELECT t.customer_id,
           CAST(floor((year(CAST(t.`date` AS DATE)) * 12 + month(CAST(t.`date` AS DATE)) - 1) / p.k) AS BIGINT) AS pi,
           p.k,
           sum(CAST(t.amount AS DOUBLE)) AS amount,
           count(*) AS transactions
    FROM transactions t
    CROSS JOIN params p
    WHERE CAST(t.`date` AS DATE) >= p.from_day AND CAST(t.`date` AS DATE) <= p.as_of
      AND (assert_true(p.k IS NOT NULL) IS NULL)
    GROUP BY t.customer_id, CAST(floor((year(CAST(t.`date` AS DATE)) * 12 + month(CAST(t.`date` AS DATE)) - 1) / p.k) AS BIGINT), p.k
)
SELECT customer_id,
       CAST(concat(CAST(CAST(floor(pi * k / 12) AS BIGINT) AS STRING), '-',
                   lpad(CAST(CAST(pi * k % 12 + 1 AS BIGINT) AS STRING), 2, '0'), '-01') AS DATE) AS period,
       amount,
       CAST(transactions AS BIGINT) AS transactions
FROM cells
ORDER BY customer_id, period;
