import { MongoClient, type Db } from 'mongodb';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
}

/**
 * Connects with Int64 values read back as bigint (`useBigInt64`): money is stored as
 * integer nano-units in Int64 fields because FerretDB has no Decimal128, and a JS number
 * would silently lose digits above 2^53.
 */
export async function connectMongo(url: string, dbName: string): Promise<MongoConnection> {
  const client = new MongoClient(url, {
    useBigInt64: true,
    ignoreUndefined: true,
    serverSelectionTimeoutMS: 5_000,
    appName: 'costwatch',
  });
  await client.connect();
  return { client, db: client.db(dbName) };
}

/** Readiness probe: the server answers a ping. */
export async function pingMongo(db: Db): Promise<void> {
  await db.command({ ping: 1 });
}
