package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.patchbay.api.dto.WindowsUpdateSource;

/**
 * Stored groups move their loose {@code windowsUpdateSource} and {@code wsusUrl} into one {@code windowsUpdate}
 * object. Done in Java because the bodies are JSON text that H2 and PostgreSQL edit with different functions; the
 * name follows Flyway's convention, which gives the version.
 */
public class V6_0__Group_windows_update extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        Map<String, String> changed = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, body FROM pb_document WHERE kind = 'group'");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String upgraded = upgrade(r.getString(2));
                if (upgraded != null) {
                    changed.put(r.getString(1), upgraded);
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE pb_document SET body = ? WHERE kind = 'group' AND id = ?")) {
            for (Map.Entry<String, String> e : changed.entrySet()) {
                s.setString(1, e.getValue());
                s.setString(2, e.getKey());
                s.executeUpdate();
            }
        }
    }

    /** The body with the old fields moved, or null when it has none of them. */
    static String upgrade(String body) throws Exception {
        JsonNode node = Documents.JSON.readTree(body);
        if (!(node instanceof ObjectNode group) || !(group.has("windowsUpdateSource") || group.has("wsusUrl"))) {
            return null;
        }
        JsonNode source = group.remove("windowsUpdateSource");
        JsonNode url = group.remove("wsusUrl");
        ObjectNode windows = group.putObject("windowsUpdate");
        String mode = source == null || source.isNull() ? WindowsUpdateSource.MICROSOFT_UPDATE.value()
                : source.asText();
        windows.put("source", mode);
        // the old check let a blank URL stand beside any source; only wsus keeps one now
        if (url != null && !url.isNull() && !url.asText().isBlank() && WindowsUpdateSource.WSUS.value().equals(mode)) {
            windows.put("wsusUrl", url.asText());
        } else {
            windows.putNull("wsusUrl");
        }
        return Documents.JSON.writeValueAsString(group);
    }
}
