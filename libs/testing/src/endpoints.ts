/**
 * Where the real servers of a test run are. The global setup fills these env vars from the
 * local stack (tools/infra); set them yourself to point the suite at docker compose.
 */
export interface TestEndpoints {
  kafkaBrokers: string[];
  mongoUrl: string;
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  alertmanagerUrl: string;
  syslog: { host: string; port: number; file: string | undefined };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest's integration config (its global setup starts the local stack) or export it`);
  return value;
}

export function testEndpoints(): TestEndpoints {
  return {
    kafkaBrokers: required('KAFKA_BROKERS').split(','),
    mongoUrl: required('MONGO_URL'),
    s3: {
      endpoint: required('S3_ENDPOINT'),
      region: process.env['S3_REGION'] ?? 'us-east-1',
      accessKeyId: required('S3_ACCESS_KEY_ID'),
      secretAccessKey: required('S3_SECRET_ACCESS_KEY'),
    },
    alertmanagerUrl: required('ALERTMANAGER_URL'),
    syslog: { host: required('SYSLOG_HOST'), port: Number(required('SYSLOG_PORT')), file: process.env['SYSLOG_FILE'] },
  };
}
