import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test certificates made with Debian's openssl at test time (installed with
 * apt-get when missing and the machine allows it). Two CAs: the cluster's,
 * and a stranger's for the "wrong certificate" tests.
 */
export interface TestPki {
  dir: string;
  /** Files of a node certificate signed by `ca` ('cluster' or 'stranger'), naming `name`. */
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
      {
        stdio: 'ignore',
      },
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
  return {
    dir,
    node(name, ca = 'cluster') {
      const base = `${name}.${ca}`;
      if (!made.has(base)) {
        writeFileSync(
          join(dir, `${base}.ext`),
          `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth,clientAuth\n`,
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
      return {
        certFile: join(dir, `${base}.crt`),
        keyFile: join(dir, `${base}.key`),
        // Every node trusts the cluster's CA, whoever signed its own certificate.
        caFile: join(dir, 'cluster-ca.crt'),
      };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
