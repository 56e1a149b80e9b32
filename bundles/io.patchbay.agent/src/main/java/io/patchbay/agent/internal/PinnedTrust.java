package io.patchbay.agent.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server key: the SHA-256 of the server certificate's SubjectPublicKeyInfo (the public key, as
 * {@code openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256sum} prints it). A pinned key stands in for
 * the trust store, so a self-signed server certificate works; the key survives certificate renewals that keep it.
 * Without a pin the JVM's default trust store is used (on Linux, the system's).
 */
final class PinnedTrust extends X509ExtendedTrustManager {
    private final byte[] pin;

    PinnedTrust(byte[] pin) {
        this.pin = pin.clone();
    }

    static SSLContext context(byte[] pin) throws GeneralSecurityException {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] { new PinnedTrust(pin) }, null);
        return ssl;
    }

    static String keySha256(X509Certificate cert) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    }

    void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        try {
            byte[] actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getPublicKey().getEncoded());
            if (!MessageDigest.isEqual(actual, pin)) {
                throw new CertificateException("the server's public key has SHA-256 " + HexFormat.of().formatHex(actual)
                        + ", not the pinned " + HexFormat.of().formatHex(pin));
            }
            chain[0].checkValidity();
        } catch (GeneralSecurityException e) {
            if (e instanceof CertificateException c) {
                throw c;
            }
            throw new CertificateException(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent does not accept client connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the agent does not accept client connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the agent does not accept client connections");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
