package io.patchbay.store.internal;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.Groups;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.GroupDTO;

/** Device groups in the store; their policies are assigned directly and must exist. */
@Component(service = Groups.class)
public class StoreGroups extends DocumentStore<GroupDTO> implements Groups {
    static final Set<String> WINDOWS_SOURCES = Set.of("microsoft-update", "wsus", "keep-device-settings");

    @Activate
    public StoreGroups(@Reference Database db, @Reference StoreClock clock) {
        super(Documents.groups(db, clock).guarded(StoreGroups::policiesExist, StoreGroups::hasNoDevices));
    }

    /** Each policy a group is given exists, and stays until the group is written. */
    static void policiesExist(Connection c, GroupDTO g) throws SQLException {
        if (g.policyIds == null) {
            return;
        }
        // locked in one order, so that two groups written at once cannot wait for each other
        List<String> sorted = g.policyIds.stream().sorted().toList();
        for (String policyId : sorted) {
            if (!Documents.lockIfExists(c, "policy", policyId)) {
                int i = g.policyIds.indexOf(policyId);
                throw new InvalidInputException("policyIds[" + i + "]", policyId, "no such policy");
            }
        }
    }

    /** Refuses to delete a group that still has devices. */
    static void hasNoDevices(Connection c, String id) throws SQLException {
        int members = Documents.countByParent(c, "device", id);
        if (members > 0) {
            throw new InUseException("group '" + id + "' still has " + members + " device(s); move them first");
        }
    }

    @Override
    GroupDTO validate(GroupDTO g) {
        if (g == null) {
            throw new InvalidInputException("body", null, "a group is required");
        }
        g.name = Check.required("name", g.name, 200);
        g.description = Check.text("description", g.description, 2000);
        Check.range("scanIntervalMinutes", g.scanIntervalMinutes, 15, 10080);
        Check.oneOf("windowsUpdateSource", g.windowsUpdateSource, WINDOWS_SOURCES);
        if (g.windowsUpdateSource.equals("wsus")) {
            String url = Check.required("wsusUrl", g.wsusUrl, 500);
            try {
                URI u = URI.create(url);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("wsusUrl", url, "must be an http or https URL of the WSUS server");
            }
        } else if (g.wsusUrl != null && !g.wsusUrl.isBlank()) {
            throw new InvalidInputException("wsusUrl", g.wsusUrl, "is only for windowsUpdateSource 'wsus'");
        }
        g.policyIds = Check.strings("policyIds", g.policyIds, 100, 64);
        Check.noDuplicates("policyIds", g.policyIds);
        return g;
    }
}
