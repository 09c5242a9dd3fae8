// Writes SMTP Receive protocol log lines the way Exchange does (exchange-domain.md §7 and §9): the header block,
// one CSV line per event (fields with commas or quotes double-quoted), sequence numbers per session, and the replies
// of pipelined commands after the commands. Used by scripts/generate-logs.mjs (benchmark logs) and
// fixtures/logs/make-org-logs.mjs (the fixture organisations' logs); the reader's own tests use hand-written files.

export const FIELDS =
  '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context';

/** The header block Exchange writes at the top of a file and again after a restart. */
export function headerBlock(version, time) {
  return [
    '#Software: Microsoft Exchange Server',
    `#Version: ${version}`,
    '#Log-type: SMTP Receive Protocol Log',
    `#Date: ${iso(time)}`,
    FIELDS,
  ];
}

export function iso(ms) {
  return new Date(ms).toISOString();
}

/** RFC 4180 quoting, as Exchange's CSV writer does it. */
export function csv(value) {
  if (value === '') return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** "[2001:db8::5]:25" for IPv6 (Exchange writes .NET's IPEndPoint.ToString), "10.1.1.5:25" for IPv4. */
export function endpoint(address, port) {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * One session's events as { time, line } (time in ms). `steps` is a list of exchanges (see the step builders
 * below); each returns the lines it writes after `at` and how long it took.
 */
export function sessionLines({ connector, sessionId, local, remote, start, steps, end = 'Remote' }) {
  const lines = [];
  let sequence = 0;
  let time = start;
  const prefix = `${csv(connector)},${sessionId}`;
  const write = (event, data = '', context = '') => {
    lines.push({
      time,
      line: `${iso(time)},${prefix},${sequence++},${local},${remote},${event},${csv(data)},${csv(context)}`,
    });
  };
  write('+');
  for (const step of steps) {
    for (const [delay, event, data, context] of step) {
      time += delay;
      write(event, data, context);
    }
  }
  if (end !== null) {
    time += 3;
    write('-', '', end);
  }
  return lines;
}

// Step builders: arrays of [delay ms, event, data, context].

export function banner(host, date) {
  return [[0, '>', `220 ${host} Microsoft ESMTP MAIL Service ready at ${date}`]];
}

export function permissions(flags) {
  return [[0, '*', flags, 'Set Session Permissions']];
}

export const ANONYMOUS_PERMISSIONS =
  'SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders';

export function ehlo(
  name,
  host,
  address,
  extensions = [
    'SIZE 37748736',
    'PIPELINING',
    'DSN',
    'ENHANCEDSTATUSCODES',
    'STARTTLS',
    'AUTH NTLM LOGIN',
    '8BITMIME',
    'BINARYMIME',
    'CHUNKING',
  ],
) {
  return [
    [200, '<', `EHLO ${name}`],
    [0, '>', `250-${host} Hello [${address}]`],
    ...extensions.map((extension, index) => [
      0,
      '>',
      `250${index === extensions.length - 1 ? ' ' : '-'}${extension}`,
    ]),
  ];
}

export function helo(name, host, address) {
  return [
    [200, '<', `HELO ${name}`],
    [0, '>', `250 ${host} Hello [${address}]`],
  ];
}

export function starttls(subject) {
  return [
    [40, '<', 'STARTTLS'],
    [0, '>', '220 2.0.0 SMTP server ready'],
    [0, '*', '', 'Sending certificate'],
    [0, '*', subject, 'Certificate subject'],
    [0, '*', subject, 'Certificate issuer name'],
    [
      30,
      '*',
      '',
      'TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits',
    ],
  ];
}

/** AUTH LOGIN: the credentials themselves are never logged; the user is, once authenticated. */
export function authLogin(user, userPermissions) {
  return [
    [60, '<', 'AUTH LOGIN'],
    [0, '>', '334 VXNlcm5hbWU6'],
    [20, '>', '334 UGFzc3dvcmQ6'],
    [40, '*', userPermissions, 'Set Session Permissions'],
    [0, '*', user, 'authenticated'],
    [0, '>', '235 2.7.0 Authentication successful'],
  ];
}

export function authFailed() {
  return [
    [60, '<', 'AUTH LOGIN'],
    [0, '>', '334 VXNlcm5hbWU6'],
    [20, '>', '334 UGFzc3dvcmQ6'],
    [5000, '>', '535 5.7.3 Authentication unsuccessful'],
  ];
}

/**
 * One message with PIPELINING: MAIL FROM and every RCPT TO are sent first, then the replies come in command order.
 * `recipients`: [{ address, reply }] where reply is the full reply text. `message`: { id, bytes, internalId, host }
 * or null when the client gives up before DATA (no recipient accepted). `sessionId` feeds the "receiving message"
 * line.
 */
export function pipelinedMessage({ from, recipients, message, sessionId, counter, time, tarpit = 0 }) {
  const step = [
    [50, '<', `MAIL FROM:<${from}> SIZE=${message?.bytes ?? 1024}`],
    [0, '*', `${sessionId};${iso(time)};${counter}`, 'receiving message'],
    ...recipients.map(({ address }) => [0, '<', `RCPT TO:<${address}>`]),
  ];
  if (tarpit > 0) step.push([0, '*', `Tarpit for '0.00:00:${String(tarpit).padStart(2, '0')}'`, '']);
  step.push([tarpit * 1000, '>', '250 2.1.0 Sender OK']);
  for (const { reply } of recipients) step.push([0, '>', reply]);
  if (message && recipients.some(({ reply }) => reply.startsWith('250'))) step.push(...data(message));
  return step;
}

/** Without PIPELINING (HELO clients, old devices): each command waits for its reply. */
export function plainMessage({ from, recipients, message, sessionId, counter, time }) {
  const step = [
    [50, '<', `MAIL FROM:<${from}>`],
    [0, '*', `${sessionId};${iso(time)};${counter}`, 'receiving message'],
    [0, '>', '250 2.1.0 Sender OK'],
  ];
  for (const { address, reply } of recipients) step.push([30, '<', `RCPT TO:<${address}>`], [0, '>', reply]);
  if (message && recipients.some(({ reply }) => reply.startsWith('250'))) step.push(...data(message));
  return step;
}

function data({ id, bytes, internalId, host, seconds = 0.102 }) {
  const rate = (bytes / 1024 / seconds).toFixed(3).replace('.', ',');
  return [
    [20, '<', 'DATA'],
    [0, '>', '354 Start mail input; end with <CRLF>.<CRLF>'],
    [Math.round(seconds * 1000), '*', '', `receiving message with InternetMessageId <${id}>`],
    [
      0,
      '>',
      // A locale decimal comma in the rate: the reason this line is quoted in real logs.
      `250 2.6.0 <${id}> [InternalId=${internalId}, Hostname=${host}] ${bytes} bytes in ${seconds}, ${rate} KB/sec Queued mail for delivery`,
    ],
  ];
}

export function quit() {
  return [
    [10, '<', 'QUIT'],
    [0, '>', '221 2.0.0 Service closing transmission channel'],
  ];
}

export const RECIPIENT_OK = '250 2.1.5 Recipient OK';
export const RELAY_DENIED_2016 = '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain';
export const RELAY_DENIED_2010 = '550 5.7.1 Unable to relay';
export const NOT_AUTHENTICATED = '530 5.7.1 Client was not authenticated';
export const UNKNOWN_RECIPIENT =
  '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup';

/** The Hub side of a Front End proxy session: XPROXYFROM names the real client. */
export function proxyFrom({ sessionId, client, port, domain, permissions = 0, authSource = 'Anonymous' }) {
  return [
    [
      5,
      '<',
      `XPROXYFROM SID=${sessionId} IP=${client} PORT=${port} DOMAIN=${domain} SEQNUM=1 PERMS=${permissions} AUTHSRC=${authSource}`,
    ],
    [0, '>', '250 XProxyFrom accepted'],
  ];
}

/**
 * Writes the lines of many sessions into one log folder as Exchange does: in time order, one file per hour that
 * has lines (RECVyyyymmddhh-1.LOG), each with its header block, CRLF line ends. Returns the file names.
 */
export function writeLogFolder(folder, sessions, { version = '15.0.0.0', write }) {
  const lines = sessions.flat().sort((a, b) => a.time - b.time);
  const files = new Map();
  for (const { time, line } of lines) {
    const hour = iso(time).slice(0, 13).replace(/[-T]/g, '');
    const name = `RECV${hour}-1.LOG`;
    if (!files.has(name)) files.set(name, [...headerBlock(version, time)]);
    files.get(name).push(line);
  }
  for (const [name, content] of files) write(`${folder}/${name}`, `${content.join('\r\n')}\r\n`);
  return [...files.keys()];
}
