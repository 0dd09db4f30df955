# SPDX-License-Identifier: Apache-2.0
"""Certificates for the secure transports' tests, made at test time with the openssl command
(no key is ever committed): a test CA, and server or client certificates it signs, with subject
alternative names, chosen validity (an expired one too), as PEM files and PKCS#12 stores.

    pki = TestPki(directory)
    server = pki.issue("server", sans=["DNS:localhost", "IP:127.0.0.1"])
    server.cert, server.key, server.chain_pem (cert + key + CA), server.p12 (password "changeit")
    pki.ca_pem  # the CA to trust
"""
import os
import subprocess

P12_PASSWORD = "changeit"

_CA_CONFIG = """
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
default_md = sha256
policy = anything
copy_extensions = none
unique_subject = no
[ anything ]
commonName = supplied
[ req ]
distinguished_name = dn
[ dn ]
"""


class Issued:
    def __init__(self, base):
        self.cert = base + ".crt"
        self.key = base + ".key"
        self.chain_pem = base + "-store.pem"  # certificate, CA, private key: a PEM key store
        self.p12 = base + ".p12"


class TestPki:
    def __init__(self, directory, name="Sluice Test CA"):
        self.dir = os.path.abspath(directory)
        os.makedirs(os.path.join(self.dir, "issued"), exist_ok=True)
        with open(os.path.join(self.dir, "index.txt"), "w"):
            pass
        with open(os.path.join(self.dir, "serial"), "w") as f:
            f.write("1000\n")
        self.config = os.path.join(self.dir, "ca.cnf")
        with open(self.config, "w") as f:
            f.write(_CA_CONFIG.format(dir=self.dir))
        self.ca_key = os.path.join(self.dir, "ca.key")
        self.ca_pem = os.path.join(self.dir, "ca.pem")
        self._openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.ca_key,
                      "-out", self.ca_pem, "-days", "3", "-subj", "/CN=" + name,
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def _openssl(self, *arguments):
        result = subprocess.run(["openssl"] + list(arguments), cwd=self.dir,
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError("openssl %s failed: %s" % (arguments[0], result.stderr))

    def issue(self, name, common_name="localhost", sans=("DNS:localhost", "IP:127.0.0.1"),
              client=False, expired=False, days=2):
        """A certificate signed by this CA; expired=True makes one whose validity ended
        yesterday."""
        issued = Issued(os.path.join(self.dir, name))
        csr = os.path.join(self.dir, name + ".csr")
        self._openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", issued.key,
                      "-out", csr, "-subj", "/CN=" + common_name)
        extensions = os.path.join(self.dir, name + ".ext")
        with open(extensions, "w") as f:
            f.write("basicConstraints=CA:FALSE\n")
            f.write("extendedKeyUsage=%s\n" % ("clientAuth" if client else "serverAuth"))
            if sans:
                f.write("subjectAltName=%s\n" % ",".join(sans))
        dates = (["-startdate", "20200101000000Z", "-enddate", "20200102000000Z"] if expired
                 else ["-days", str(days)])
        self._openssl("ca", "-batch", "-config", self.config, "-cert", self.ca_pem,
                      "-keyfile", self.ca_key, "-in", csr, "-out", issued.cert,
                      "-extfile", extensions, "-notext", *dates)
        with open(issued.chain_pem, "w") as out:
            for part in (issued.cert, self.ca_pem, issued.key):
                with open(part) as f:
                    out.write(f.read())
        self._openssl("pkcs12", "-export", "-in", issued.cert, "-inkey", issued.key,
                      "-certfile", self.ca_pem, "-out", issued.p12,
                      "-passout", "pass:" + P12_PASSWORD)
        return issued
