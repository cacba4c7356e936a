-- Per-customer summary for clv, Spark SQL dialect (Spark 2.4 or later).
--
-- Produces exactly the columns of `clv summarize`, in its order:
--   customer_id, first_date, last_date, transactions, transaction_days, total_amount,
--   mean_amount, recency_days, tenure_days, x, t_x, T, monetary, periods (deprecated copy
--   of transaction_days, kept for one release)
-- Save the result as Parquet (prefix the query with
--   CREATE TABLE clv_summary USING parquet AS
-- or write the DataFrame with .write.parquet(PATH): a folder of part files is fine)
-- and read it with `clv <model> --summary PATH`.
--
-- Input: a table or temporary view named `transactions` with columns
--   customer_id STRING, `date` DATE, amount DOUBLE
-- e.g. CREATE TEMPORARY VIEW transactions AS
--        SELECT CAST(msisdn AS STRING) AS customer_id, to_date(bill_date) AS `date`,
--               CAST(fee AS DOUBLE) AS amount
--        FROM dw.monthly_bills
--
-- Parameters (variable substitution, spark.sql.variable.substitute=true, the default):
--   SET as_of=1997-09-30    last day of the window, inclusive (SET as_of= for the latest date)
--   SET unit=week           day, week or month (= 365.25/12 days)
-- or: spark-sql --hivevar as_of=1997-09-30 --hivevar unit=week -f summary_spark.sql
-- Both must be set (as_of may be empty).
--
-- Definitions (Fader-Hardie / BTYD convention, exactly as clv):
--   rows after as_of are left out, transactions = rows, transaction_days = distinct days,
--   mean_amount = total_amount / transactions,
--   recency_days = as_of - last_date, tenure_days = as_of - first_date (days),
--   transactions on the same day are merged (amounts summed), x = periods - 1,
--   t_x = (last_date - first_date) / unit_days, T = (as_of - first_date) / unit_days.
--   monetary = mean amount of the repeat days (first day left out), 0 when x = 0.
--
-- The logic matches summary.sql (DuckDB). examples/sql/duckcheck runs this
-- file's logic in DuckDB, with the dialect differences translated, against clv.
WITH bounds AS (
    SELECT max(CAST(`date` AS DATE)) AS max_date
    FROM transactions
),
params AS (
    SELECT
        CASE WHEN '${as_of}' = '' THEN b.max_date ELSE CAST('${as_of}' AS DATE) END AS as_of,
        CASE lower('${unit}')
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
)
SELECT c.customer_id,
       c.first_date,
       c.last_date,
       CAST(c.transactions AS BIGINT) AS transactions,
       CAST(c.periods AS BIGINT) AS transaction_days,
       c.total_amount,
       c.total_amount / c.transactions AS mean_amount,
       CAST(datediff(p.as_of, c.last_date) AS BIGINT) AS recency_days,
       CAST(datediff(p.as_of, c.first_date) AS BIGINT) AS tenure_days,
       CAST(c.periods - 1 AS BIGINT) AS x,
       datediff(c.last_date, c.first_date) / p.unit_days AS t_x,
       datediff(p.as_of, c.first_date) / p.unit_days AS `T`,
       CASE WHEN c.periods > 1
            THEN (c.total_amount - c.first_day_amount) / (c.periods - 1)
            ELSE CAST(0 AS DOUBLE)
       END AS monetary,
       CAST(c.periods AS BIGINT) AS periods  -- deprecated copy of transaction_days, kept for one release
FROM customers c
CROSS JOIN params p
ORDER BY c.customer_id;
