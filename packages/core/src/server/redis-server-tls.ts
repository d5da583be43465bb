import { connect as tlsConnect } from 'node:tls';

/** TLS of a server started by `startRedisServer`: PEM files, and whether clients need a certificate. */
export interface RedisServerTls {
  /** The server's certificate (`--tls-cert-file`). */
  certFile: string;
  /** Its private key (`--tls-key-file`). */
  keyFile: string;
  /** The CA that client certificates must chain to (`--tls-ca-cert-file`). */
  caFile: string;
  /**
   * `--tls-auth-clients`: `no` (any client), `optional` (a certificate, when given, must
   * verify) or `yes` (mutual TLS). Defaults to `no`.
   */
  authClients?: 'no' | 'optional' | 'yes';
}

/**
 * The `redis-server` arguments of a TLS-only server: the plaintext port is off (`--port 0`).
 * @param port - The TLS port.
 * @param tls - Certificate files and client authentication.
 * @returns Arguments for `redis-server`.
 */
export function tlsServerArgs(port: number, tls: RedisServerTls): string[] {
  return [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    tls.certFile,
    '--tls-key-file',
    tls.keyFile,
    '--tls-ca-cert-file',
    tls.caFile,
    '--tls-auth-clients',
    tls.authClients ?? 'no',
  ];
}

/**
 * Sends PING over TLS, to see whether a TLS server is up. The certificate is not checked (this
 * is a readiness probe, not a client).
 * @param host - Host.
 * @param port - TLS port.
 * @param timeoutMs - Give up after this long. Defaults to 500 ms.
 * @returns `true` on `+PONG`, `-NOAUTH`, or a server that demands a client certificate.
 */
export function probeRedisTls(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host, port, rejectUnauthorized: false });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    // Under `--tls-auth-clients yes` the server answers a client without a certificate with an
    // alert: it is up.
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'),
    );
    socket.once('secureConnect', () => socket.write('PING\r\n'));
    socket.once('data', (data: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/**
 * The `redis-cli` arguments to reach a TLS server started with `tls` (the server's own
 * certificate doubles as the client certificate, as Redis does between cluster nodes).
 * @param tls - The server's TLS files.
 * @returns Arguments for `redis-cli`.
 */
export function redisCliTlsArgs(tls: RedisServerTls): string[] {
  return ['--tls', '--cacert', tls.caFile, '--cert', tls.certFile, '--key', tls.keyFile];
}
