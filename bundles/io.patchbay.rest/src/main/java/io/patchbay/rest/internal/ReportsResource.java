package io.patchbay.rest.internal;

import java.util.List;
import java.util.stream.Collectors;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

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
    static final String CSV = "text/csv; charset=utf-8";
    static final List<String> HEADER = List.of("group_id", "group", "devices", "compliant", "missing_critical",
            "missing_any", "unknown");
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
    public Response csv() {
        ComplianceDTO r = index.compliance();
        StringBuilder sb = new StringBuilder();
        row(sb, HEADER);
        for (ComplianceDTO.Counts c : r.groups) {
            row(sb, counts(c.groupId, c.groupName, c));
        }
        row(sb, counts("", "(all devices)", r.overall));
        return Response.ok(sb.toString(), CSV).build();
    }

    private static List<String> counts(String id, String name, ComplianceDTO.Counts c) {
        return List.of(id == null ? "" : id, name == null ? "" : name, Integer.toString(c.devices),
                Integer.toString(c.compliant), Integer.toString(c.missingCritical), Integer.toString(c.missingAny),
                Integer.toString(c.unknown));
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append(cells.stream().map(ReportsResource::cell).collect(Collectors.joining(","))).append("\r\n");
    }

    /**
     * One cell: always quoted with quotes doubled (RFC 4180), so no separator or line break in a name ends it; and
     * a text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection).
     */
    static String cell(String s) {
        String text = !s.isEmpty() && FORMULA_START.indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** The characters a spreadsheet reads as the start of a formula. */
    static final String FORMULA_START = "=+-@\t\r";
}
