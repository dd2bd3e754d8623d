import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test certificates made with Debian's openssl at test time (installed with apt-get when
 * missing and the machine allows it). Two CAs: the cluster's, and a stranger's for the "wrong
 * certificate" tests.
 */
export interface TestPki {
  dir: string;
  /** The cluster CA's certificate (what clients pass as --cacert). */
  caFile: string;
  /** The stranger CA's certificate. */
  strangerCaFile: string;
  /**
   * Files of a certificate signed by `ca` naming `name` (CN and DNS SAN) and, for a server,
   * the IP addresses clients dial (`ips`, e.g. ['127.0.0.1']: an https client checks the
   * server's certificate against the address it dialled); usable as server and client.
   */
  cert(
    name: string,
    options?: { ca?: 'cluster' | 'stranger'; ips?: readonly string[] },
  ): { certFile: string; keyFile: string };
  /** `cert(name, { ca })` plus the cluster CA every node trusts, as a transport's TLS options. */
  node(
    name: string,
    ca?: 'cluster' | 'stranger',
  ): { certFile: string; keyFile: string; caFile: string };
  remove(): void;
}

function ensureOpenssl(): void {
  if (spawnSync('openssl', ['version']).status === 0) return;
  if (process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    execFileSync(
      'bash',
      [
        '-c',
        'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl',
      ],
      { stdio: 'ignore' },
    );
    if (spawnSync('openssl', ['version']).status === 0) return;
  }
  throw new Error("the TLS tests need Debian's openssl: apt-get install openssl");
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

export function makeTestPki(): TestPki {
  ensureOpenssl();
  const dir = mkdtempSync(join(tmpdir(), 'raftkit-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['cluster', 'stranger']) {
    openssl(dir, [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${ca}-ca.key`,
      '-out',
      `${ca}-ca.crt`,
      '-subj',
      `/CN=raftkit ${ca} CA`,
      '-days',
      '2',
    ]);
  }
  const made = new Set<string>();
  const pki: TestPki = {
    dir,
    caFile: join(dir, 'cluster-ca.crt'),
    strangerCaFile: join(dir, 'stranger-ca.crt'),
    cert(name, { ca = 'cluster', ips = [] } = {}) {
      const base = `${name}.${ca}`;
      if (!made.has(base)) {
        const san = [`DNS:${name}`, ...ips.map((ip) => `IP:${ip}`)].join(',');
        writeFileSync(
          join(dir, `${base}.ext`),
          `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\n`,
        );
        openssl(dir, [
          'req',
          ...ec,
          '-keyout',
          `${base}.key`,
          '-out',
          `${base}.csr`,
          '-subj',
          `/CN=${name}`,
        ]);
        openssl(dir, [
          'x509',
          '-req',
          '-in',
          `${base}.csr`,
          '-CA',
          `${ca}-ca.crt`,
          '-CAkey',
          `${ca}-ca.key`,
          '-CAcreateserial',
          '-out',
          `${base}.crt`,
          '-days',
          '2',
          '-extfile',
          `${base}.ext`,
        ]);
        made.add(base);
      }
      return { certFile: join(dir, `${base}.crt`), keyFile: join(dir, `${base}.key`) };
    },
    node(name, ca = 'cluster') {
      return { ...pki.cert(name, { ca }), caFile: pki.caFile };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return pki;
}
