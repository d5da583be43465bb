/** OpenSSL and Node codes of a server certificate that does not verify against the trusted CAs. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

/** The innermost error with a `code`: node-redis wraps socket errors (`originalError`). */
function rootCause(error: unknown): { code?: string; message: string } {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    if (typeof current !== 'object' || current === null) break;
    const { code, originalError, cause } = current as {
      code?: unknown;
      originalError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') return { code, message: (current as Error).message };
    current = originalError ?? cause;
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * Explains why a first connect failed, naming the TLS setting to fix when TLS is the reason: a
 * certificate that does not verify, a name it does not carry, a server that wants a client
 * certificate, or TLS on one side only.
 * @param cause - What the connect threw.
 * @param tls - Whether the connection uses TLS.
 * @returns The reason, for `cannot connect to Redis at <target>: <reason>`.
 */
export function connectFailureReason(cause: unknown, tls: boolean): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  const refusal = explainRefusal(message);
  if (refusal !== undefined) return refusal;
  const root = rootCause(cause);
  const code = root.code ?? '';
  if (UNTRUSTED.has(code)) {
    return `TLS certificate verification failed: ${root.message} (${code}); trust the server's CA with tls.ca or REDIS_TLS_CA_FILE`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS certificate verification failed: ${root.message}; connect by a name the certificate carries, or set tls.servername or REDIS_TLS_SERVERNAME`;
  }
  if (/certificate required/i.test(root.message)) {
    return `the server requires a client certificate (mutual TLS): set tls.cert and tls.key, or REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE (${root.message})`;
  }
  // Under TLS 1.3 the server checks the client certificate after the client's handshake is
  // done, so a refusal often arrives as a reset of the next write rather than as the alert.
  if (tls && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return `the server closed the TLS connection (${root.message}); if it requires a client certificate (mutual TLS), set tls.cert and tls.key, or REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE`;
  }
  if (tls && /wrong version number|packet length too long|unknown protocol/i.test(root.message)) {
    return `the server does not speak TLS, is it a plaintext port? (${root.message})`;
  }
  if (tls && /no answer within|timeout/i.test(message)) {
    return `${message} (TLS is on: a plaintext port never completes the TLS handshake)`;
  }
  if (!tls && code === 'ECONNRESET') {
    return `${message} (TLS is off: a TLS-only port resets a plaintext client; use rediss:// or tls)`;
  }
  return message;
}

/** Refusals of the handshake, each with what the user should change. */
const AUTH_REFUSALS: readonly [RegExp, string][] = [
  [
    /^NOAUTH\b/,
    'the server needs a password: set `password` (REDIS_PASSWORD), and `username` (REDIS_USERNAME) for an ACL user, or put them in the URL',
  ],
  [
    /^WRONGPASS\b/,
    'the server refused the credentials: the password is wrong, or the user is unknown or disabled',
  ],
  [
    /^ERR AUTH .*without any password configured/,
    'a password was given but the server has none set for the default user: drop `password`, or give the ACL `username` it belongs to',
  ],
  [/^NOPERM\b/, 'the user may not run PING: its ACL needs at least +ping (see docs/operations.md)'],
];

/**
 * Says why the first connect failed, in the user's terms when the server refused the
 * credentials (the raw reply follows in parentheses).
 * @param message - The message of what opening threw.
 * @returns The reason, or `undefined` when the server did not refuse the credentials.
 */
function explainRefusal(message: string): string | undefined {
  const refusal = AUTH_REFUSALS.find(([pattern]) => pattern.test(message));
  return refusal === undefined ? undefined : `${refusal[1]} (${message})`;
}
