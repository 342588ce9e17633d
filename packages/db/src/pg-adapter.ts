import { PrismaPg } from "@prisma/adapter-pg";

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type PgTransaction = Awaited<ReturnType<PgAdapter["startTransaction"]>>;

/** The statements with which Prisma's transaction manager ends a transaction. */
const closingStatement = /^\s*(COMMIT|ROLLBACK)\s*$/i;

/**
 * `PrismaPg`, except that a transaction whose closing COMMIT or ROLLBACK fails still hands its
 * connection back to the pool.
 *
 * Prisma's transaction manager (6.19, with adapter-pg 7.10) ends an interactive or batch
 * transaction by sending COMMIT or ROLLBACK and only then calling the adapter's commit() or
 * rollback(), which is what releases the pg client. When that statement fails because the
 * connection died mid-transaction (Postgres restarting, a dropped route), neither is called: the
 * pool keeps counting the dead client as checked out. Ten such failures (the pool's size) exhaust
 * it for good, every later query waiting for a connection that never frees, and pool.end() — so
 * `$disconnect()` — waits for them forever. test/postgres-restart.int.test.ts reproduces both.
 */
export class PrismaPgReleasingBrokenTransactions extends PrismaPg {
  override async connect(): Promise<PgAdapter> {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releaseWhenClosingFails(await startTransaction(isolationLevel));
    return adapter;
  }
}

function releaseWhenClosingFails(transaction: PgTransaction): PgTransaction {
  // adapter-pg's commit() and rollback() send nothing (Prisma sent the statement): they release the
  // client, which pg's pool drops instead of reusing once its connection has failed.
  const commit = transaction.commit.bind(transaction);
  const release = transaction.rollback.bind(transaction);
  const executeRaw = transaction.executeRaw.bind(transaction);
  let released = false;
  const once = async (end: () => Promise<void>) => {
    if (released) return;
    released = true;
    await end();
  };
  transaction.commit = () => once(commit);
  transaction.rollback = () => once(release);
  transaction.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (closingStatement.test(query.sql)) await once(release);
      throw error;
    }
  };
  return transaction;
}
