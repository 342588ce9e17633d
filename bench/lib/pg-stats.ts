import pg from "pg";

/**
 * Transactions Postgres has finished in one database (pg_stat_database: commits + rollbacks). A
 * statement outside a transaction is a transaction of its own, so the difference across a run,
 * divided by the requests made, says how many round trips of work each request cost the database.
 */
export async function transactionsFinished(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()");
    return Number(rows[0]?.n ?? NaN);
  } finally {
    await client.end();
  }
}

/**
 * A backend publishes its counts at most once a second (PostgreSQL 15's PGSTAT_MIN_INTERVAL), so
 * the counts of what ran just before a reading may land after it: each reading waits this long.
 */
const STATS_SETTLE_MS = 2_000;

/**
 * Counts the transactions finished in the database while `run` runs (less the first reading's
 * own). Reelay's background work (the relay's scan, the reconciler) adds about one a second.
 */
export async function countTransactions<T>(databaseUrl: string, run: () => Promise<T>): Promise<{ result: T; transactions: number }> {
  const settle = () => new Promise((resolve) => setTimeout(resolve, STATS_SETTLE_MS));
  await settle();
  const before = await transactionsFinished(databaseUrl);
  const result = await run();
  await settle();
  return { result, transactions: (await transactionsFinished(databaseUrl)) - before - 1 };
}
