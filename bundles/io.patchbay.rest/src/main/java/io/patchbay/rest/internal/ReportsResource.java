package io.patchbay.rest.internal;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.UpdateIndex;
import io.patchbay.api.dto.ComplianceDTO;

/** Compliance per group and overall, as JSON or as CSV for spreadsheets. */
@Component(service = ReportsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("reports/compliance")
public class ReportsResource {
    static final String CSV = "text/csv";
    private final UpdateIndex index;

    @Activate
    public ReportsResource(@Reference UpdateIndex index) {
        this.index = index;
    }

    /** JSON is preferred when a client accepts both (as with Accept: *&#47;*): CXF weighs the qs of each. */
    @GET
    @Produces(MediaType.APPLICATION_JSON + ";qs=1")
    public ComplianceDTO json() {
        return index.compliance();
    }

    @GET
    @Produces(CSV + ";qs=0.5")
    public String csv() {
        ComplianceDTO r = index.compliance();
        StringBuilder sb = new StringBuilder("group_id,group,devices,compliant,missing_critical,missing_any,unknown\r\n");
        for (ComplianceDTO.Counts c : r.groups) {
            row(sb, c.groupId, c.groupName, c);
        }
        row(sb, "", "(all devices)", r.overall);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String id, String name, ComplianceDTO.Counts c) {
        sb.append(field(id)).append(',').append(field(name)).append(',').append(c.devices).append(',')
                .append(c.compliant).append(',').append(c.missingCritical).append(',').append(c.missingAny)
                .append(',').append(c.unknown).append("\r\n");
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled. */
    static String field(String s) {
        if (s == null) {
            return "";
        }
        return s.matches(".*[,\"\r\n].*") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
