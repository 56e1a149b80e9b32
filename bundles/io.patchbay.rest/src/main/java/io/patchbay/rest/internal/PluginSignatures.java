package io.patchbay.rest.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.cert.CertPath;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

import io.patchbay.api.InvalidInputException;

/**
 * Who signed an uploaded plugin jar, verified as {@code jarsigner -verify} does: every entry's digest matches its
 * signature, and every entry but the signature files is signed by the same signers. With trusted certificates
 * configured ({@code patchbay.plugins.trustedCertificates}, a file of PEM or DER X.509 certificates), a jar must be
 * signed by one whose certificate chain holds a trusted certificate.
 */
final class PluginSignatures {
    static final String TRUSTED = "patchbay.plugins.trustedCertificates";
    static final String UNSIGNED = "unsigned";
    private static final String FIELD = "bundle";

    private PluginSignatures() {
    }

    /**
     * The signer to audit the upload under: the subject of the signing certificate, or {@value #UNSIGNED}.
     *
     * @param trustedFile the configured trusted certificates, or null to accept unsigned jars
     * @throws InvalidInputException when the jar is tampered with, partly signed, or not signed by a trusted
     *         certificate while some are configured
     */
    static String verify(byte[] jar, String trustedFile) {
        List<X509Certificate> trusted = trustedFile == null || trustedFile.isBlank() ? null : trusted(trustedFile);
        Set<CertPath> signers = null;
        boolean any = false;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar), true)) {
            byte[] buf = new byte[8192];
            for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                // reading an entry to its end is what checks its digest against the signature
                while (in.read(buf) >= 0) {
                    // discard
                }
                if (e.isDirectory() || isSignatureFile(e.getName())) {
                    continue;
                }
                any = true;
                CodeSigner[] cs = e.getCodeSigners();
                Set<CertPath> these = new LinkedHashSet<>();
                if (cs != null) {
                    for (CodeSigner s : cs) {
                        these.add(s.getSignerCertPath());
                    }
                }
                if (signers == null) {
                    signers = these;
                } else if (!signers.equals(these)) {
                    throw new InvalidInputException(FIELD, e.getName(), "is not signed like the rest of the jar; "
                            + "a jar must be signed as a whole");
                }
            }
        } catch (SecurityException e) {
            throw new InvalidInputException(FIELD, null, "the jar's signature does not match its content: "
                    + e.getMessage());
        } catch (IOException e) {
            return UNSIGNED; // not a jar: the bundle checks that follow say so
        }
        if (!any || signers == null || signers.isEmpty()) {
            if (trusted != null) {
                throw new InvalidInputException(FIELD, null, "the jar is not signed, and only jars signed by a "
                        + "certificate in " + TRUSTED + " may be uploaded");
            }
            return UNSIGNED;
        }
        List<String> names = new ArrayList<>();
        boolean trustedSigner = false;
        for (CertPath path : signers) {
            List<? extends Certificate> chain = path.getCertificates();
            if (!chain.isEmpty() && chain.get(0) instanceof X509Certificate leaf) {
                names.add(leaf.getSubjectX500Principal().getName());
            }
            if (trusted != null && chain.stream().anyMatch(trusted::contains)) {
                trustedSigner = true;
            }
        }
        if (trusted != null && !trustedSigner) {
            throw new InvalidInputException(FIELD, String.join("; ", names), "is not a signer this server trusts "
                    + "(no certificate of its chain is in " + TRUSTED + ")");
        }
        return String.join("; ", names);
    }

    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("META-INF/") && upper.indexOf('/', "META-INF/".length()) < 0
                && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC")
                        || upper.startsWith("META-INF/SIG-") || upper.equals("META-INF/MANIFEST.MF"));
    }

    private static List<X509Certificate> trusted(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : all) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new IllegalStateException(TRUSTED + " '" + file + "' holds no certificate");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            // the operator asked for signed plugins: without the list nothing can be trusted, so nothing is
            throw new IllegalStateException("the trusted certificates in " + TRUSTED + " '" + file
                    + "' cannot be read: " + e.getMessage(), e);
        }
    }
}
