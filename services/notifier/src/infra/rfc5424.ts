/**
 * A small RFC 5424 formatter:
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID PARAM="value" …] MSG
 * and the RFC 6587 octet-counting frame for TCP.
 */
export const SYSLOG_FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'audit', 'alert', 'clock',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;
export type SyslogFacility = (typeof SYSLOG_FACILITIES)[number];

/** RFC 5424 severities, 0 (emergency) to 7 (debug). */
export const SyslogSeverity = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, informational: 6, debug: 7 } as const;
export type SyslogSeverityName = keyof typeof SyslogSeverity;

export type SdValue = string | number | boolean | null | undefined;

export interface StructuredDataElement {
  /** e.g. `costwatch@32473` (a name plus a private enterprise number). */
  id: string;
  params: Readonly<Record<string, SdValue>>;
}

export interface SyslogMessage {
  facility: SyslogFacility;
  severity: SyslogSeverityName;
  timestamp: Date;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: readonly StructuredDataElement[];
  message: string;
}

const NILVALUE = '-';
const BOM = '\uFEFF';

/** Header fields are PRINTUSASCII (33–126) of bounded length; anything else becomes "_". */
function headerField(value: string, maxLength: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return printable.length > 0 ? printable : NILVALUE;
}

/** SD-NAME: PRINTUSASCII except `=`, space, `]` and `"`; at most 32 characters. */
function sdName(value: string): string {
  return value.replace(/[^\x21-\x7e]|[=\]"]/g, '_').slice(0, 32);
}

/** PARAM-VALUE escapes `"`, `\` and `]` with a backslash (RFC 5424 §6.3.3). */
export function escapeParamValue(value: string): string {
  return value.replace(/["\\\]]/g, (char) => `\\${char}`);
}

function structuredData(elements: readonly StructuredDataElement[]): string {
  if (elements.length === 0) return NILVALUE;
  return elements
    .map(({ id, params }) => {
      const pairs = Object.entries(params)
        .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== null)
        .map(([name, value]) => ` ${sdName(name)}="${escapeParamValue(String(value))}"`);
      return `[${sdName(id)}${pairs.join('')}]`;
    })
    .join('');
}

/** UTF-8 text starts with a BOM, as RFC 5424 asks; plain ASCII stays as is. One line: newlines become spaces. */
function messageText(message: string): string {
  const oneLine = message.replace(/[\r\n]+/g, ' ');
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(oneLine) ? `${BOM}${oneLine}` : oneLine;
}

export function syslogPriority(facility: SyslogFacility, severity: SyslogSeverityName): number {
  return SYSLOG_FACILITIES.indexOf(facility) * 8 + SyslogSeverity[severity];
}

export function formatRfc5424(m: SyslogMessage): string {
  const header = [
    `<${syslogPriority(m.facility, m.severity)}>1`,
    m.timestamp.toISOString(),
    headerField(m.hostname, 255),
    headerField(m.appName, 48),
    headerField(m.procId, 128),
    headerField(m.msgId, 32),
    structuredData(m.structuredData),
  ].join(' ');
  return m.message.length > 0 ? `${header} ${messageText(m.message)}` : header;
}

/** RFC 6587 §3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export function frameOctetCounting(line: string): Buffer {
  const body = Buffer.from(line, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
