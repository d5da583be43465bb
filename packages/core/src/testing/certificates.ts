import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError } from '../errors.js';

const run = promisify(execFile);

/** How to get `openssl`, printed when it is not on `PATH`. */
const OPENSSL_INSTALL_HINT =
  'openssl was not found on PATH (needed to make test certificates). Debian/Ubuntu: sudo apt-get install -y openssl; macOS: brew install openssl';

/** Certificates made for one test run, as PEM files in a temporary directory. */
export interface TestCertificates {
  /** The directory holding every file; {@link TestCertificates.remove} deletes it. */
  readonly dir: string;
  /** The test CA's certificate: what clients trust. */
  readonly caFile: string;
  /** A server certificate signed by the CA, for `localhost` and `127.0.0.1` (SAN). */
  readonly serverCertFile: string;
  /** The server certificate's key. */
  readonly serverKeyFile: string;
  /** A client certificate signed by the CA (mutual TLS). */
  readonly clientCertFile: string;
  /** The client certificate's key. */
  readonly clientKeyFile: string;
  /** A second CA that signed nothing here: trusting it alone must fail verification. */
  readonly otherCaFile: string;
  /** Deletes the directory. */
  remove(): void;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ConfigurationError('openssl', OPENSSL_INSTALL_HINT, { cause });
    throw cause;
  }
}

/** `openssl req` options for a new unencrypted EC P-256 key. */
const NEW_EC_KEY = ['-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

/** A self-signed CA certificate and key (EC P-256, valid two days). */
async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(
    [
      'req',
      '-x509',
      ...NEW_EC_KEY,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-subj',
      `/CN=fullon test ${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

/** A leaf certificate signed by `ca.crt`, with the given extensions. */
async function makeLeaf(dir: string, name: string, extensions: string): Promise<void> {
  await openssl(
    [
      'req',
      ...NEW_EC_KEY,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name === 'server' ? 'localhost' : 'fullon test client'}`,
    ],
    dir,
  );
  writeFileSync(join(dir, `${name}.ext`), extensions);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
}

/**
 * Makes a CA, a server certificate for `localhost`/`127.0.0.1`, a client certificate and an
 * unrelated second CA, with the `openssl` command, into a fresh temporary directory. Node has
 * no API that issues X.509 certificates, hence `openssl` (present on Debian and macOS; `.ci/run`
 * installs it when missing). Nothing is committed: every run makes its own.
 * @returns The file paths, and `remove()` to delete them.
 * @throws {ConfigurationError} with install instructions when `openssl` is not on `PATH`.
 */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = mkdtempSync(join(tmpdir(), 'fullon-tls-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await makeCa(dir, 'ca');
    await makeCa(dir, 'other-ca');
    await makeLeaf(
      dir,
      'server',
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n',
    );
    await makeLeaf(dir, 'client', 'extendedKeyUsage=clientAuth\n');
  } catch (error) {
    remove();
    throw error;
  }
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    serverCertFile: join(dir, 'server.crt'),
    serverKeyFile: join(dir, 'server.key'),
    clientCertFile: join(dir, 'client.crt'),
    clientKeyFile: join(dir, 'client.key'),
    otherCaFile: join(dir, 'other-ca.crt'),
    remove,
  };
}
