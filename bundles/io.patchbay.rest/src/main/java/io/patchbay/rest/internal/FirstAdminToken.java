package io.patchbay.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.DataFolder;
import io.patchbay.api.security.Credentials;
import io.patchbay.api.security.IssuedCredentialDTO;
import io.patchbay.api.security.Role;

/**
 * On the first start of a store, issues the first admin token and writes it to {@code first-admin-token} in the data
 * folder, readable by the server's user only; the log says where, never the token. Started with
 * {@code patchbay.security.newAdminToken=true}, writes a new admin token there (when every other is lost).
 */
@Component(service = {}, immediate = true)
public class FirstAdminToken {
    private static final Logger LOG = LoggerFactory.getLogger(FirstAdminToken.class);
    static final String FILE = "first-admin-token";

    /** Set at start to get a new admin token when every admin token is lost: who can start the server may. */
    static final String NEW_ADMIN_TOKEN = "patchbay.security.newAdminToken";

    @Activate
    public FirstAdminToken(@Reference Credentials credentials, @Reference DataFolder data, BundleContext context) {
        Optional<IssuedCredentialDTO> first = credentials.issueFirstAdminToken();
        if (first.isEmpty() && Boolean.parseBoolean(context.getProperty(NEW_ADMIN_TOKEN))) {
            first = Optional.of(credentials.issueToken("admin-" + Instant.now().getEpochSecond(), Role.ADMIN, null,
                    "patchbay"));
            LOG.warn("A new admin token was issued because {}=true; start without it from now on", NEW_ADMIN_TOKEN);
        }
        if (first.isEmpty()) {
            return;
        }
        Path file = data.path().resolve(FILE);
        try {
            write(file, first.get().secret + "\n");
            LOG.info("The first admin token is in {} (readable by this user only): send it as 'Authorization: "
                    + "Bearer <token>', create the tokens you need with POST /api/v1/tokens, then delete the file",
                    file);
        } catch (IOException | RuntimeException e) {
            credentials.revokeToken(first.get().id, "patchbay");
            LOG.error("The admin token could not be written to {} ({}), so it was revoked; make the data folder "
                    + "writable and start once with -D{}=true", file, e.toString(), NEW_ADMIN_TOKEN);
        }
    }

    /** Written beside, then moved into place, so the file never exists with wider permissions or half a token. */
    static void write(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions guard it
            Files.createFile(temp);
        }
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
