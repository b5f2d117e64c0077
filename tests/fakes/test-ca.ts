import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * A force's own certificate authority, made for one test, and a server certificate it issued: the files a force's
 * administrator would give `npm run server -- --tls-cert --tls-key` and each workstation's `--ca`. Keys come from
 * Node's crypto (forge's own RSA key generation is slow); node-forge builds and signs the certificates.
 */
export interface TestCertificates {
  /** PEM files: the authority's certificate (for --ca), the server's certificate and its private key. */
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Makes a CA named `name` and a certificate from it for localhost and 127.0.0.1, all written to `dir`. */
export function makeTestCertificates(dir: string, name = 'Test Force CA'): TestCertificates {
  const ca = keyPair();
  const caCert = certificate(ca.publicKey, [{ name: 'commonName', value: name }]);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const server = keyPair();
  const serverCert = certificate(server.publicKey, [{ name: 'commonName', value: 'localhost' }]);
  serverCert.setIssuer(caCert.subject.attributes);
  serverCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  serverCert.sign(ca.privateKey, forge.md.sha256.create());

  mkdirSync(dir, { recursive: true });
  const files = { caFile: join(dir, `${slug(name)}.pem`), certFile: join(dir, 'server-cert.pem'), keyFile: join(dir, 'server-key.pem') };
  writeFileSync(files.caFile, forge.pki.certificateToPem(caCert));
  writeFileSync(files.certFile, forge.pki.certificateToPem(serverCert));
  writeFileSync(files.keyFile, server.pem, { mode: 0o600 });
  return files;
}

function keyPair(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function certificate(publicKey: forge.pki.PublicKey, subject: forge.pki.CertificateField[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: the high bit clear, as DER integers are signed.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 60 * 60 * 1000);
  cert.setSubject(subject);
  return cert;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
