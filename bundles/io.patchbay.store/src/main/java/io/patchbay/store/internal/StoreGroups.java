package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.Groups;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.WindowsUpdateDTO;
import io.patchbay.api.dto.WindowsUpdateSource;
import io.patchbay.api.source.TargetSettings;

/** Device groups in the store; their policies are assigned directly and must exist. */
@Component(service = Groups.class)
public class StoreGroups extends DocumentStore<GroupDTO> implements Groups {
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
        g.windowsUpdate = windowsUpdate(g.windowsUpdate);
        g.policyIds = Check.strings("policyIds", g.policyIds, 100, 64);
        Check.noDuplicates("policyIds", g.policyIds);
        return g;
    }

    /** Microsoft Update when absent; a WSUS URL only with, and always with, the source {@code wsus}. */
    static WindowsUpdateDTO windowsUpdate(WindowsUpdateDTO w) {
        if (w == null) {
            return new WindowsUpdateDTO();
        }
        WindowsUpdateSource source = Check.vocabulary("windowsUpdate.source", w.source, WindowsUpdateSource::from,
                WindowsUpdateSource.allowed());
        if (source == WindowsUpdateSource.WSUS) {
            w.wsusUrl = Check.required("windowsUpdate.wsusUrl", w.wsusUrl, 500);
            try {
                TargetSettings.wsusUrl(w.wsusUrl);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("windowsUpdate.wsusUrl", Check.shown(w.wsusUrl), e.getMessage());
            }
        } else if (w.wsusUrl != null && !w.wsusUrl.isBlank()) {
            throw new InvalidInputException("windowsUpdate.wsusUrl", Check.shown(Check.escaped(w.wsusUrl)),
                    "is only for windowsUpdate.source 'wsus' (source is '" + source.value() + "')");
        } else {
            w.wsusUrl = null;
        }
        return w;
    }
}
